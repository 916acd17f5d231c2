import { installProcessGuards } from './process-guards';
import fs from 'node:fs';
import type { AgentEvent, Status, TillBridge } from '../api/contract';
import { TillError } from '../core/errors';
import { type RunningServer, startServer } from '../api/server';
import { buildLazySchemas } from '../core/lazy-schema';
import type { Config } from '../config';
import { createLogger, type LogHandle, Redactor, silentLogger } from '../log';
import { DeviceManager } from '../devices/device-manager';
import { getMeta, lostSales, lostSalesMessage, openDb, preflightDb, restrictToOwner, setMetaIfAbsent, translateSqliteError, type WritableDb } from '../store';
import { outboxStatus } from '../store/outbox';
import { ConnectivityMonitor } from '../sync/connectivity';
import { newToken, readToken, writeToken } from './api-token';
import { assertDataDirUsable, dbPath } from './data-dir';
import type { CardTerminal } from '../devices/terminal/card-terminal';
import { diskFullWarning } from './disk-space';
import { createHandlers } from './handlers';
import { startIdleCheckpoints } from './idle-checkpoints';
import { recordFiscalEvent } from '../store/fiscal-events';
import { witnessesFlushed } from '../store/sale-witness-file';
import { loadFiscalSigningKey } from './fiscal-key';
import { ensureDemoPin } from './manager-pin';
import { ownerOnlyFile, type SecretSealer } from './secret-store';
import { keyFilesOf, sealKeyFiles } from './at-rest-key-files';
import { atRestKeyReport, lostKeyWarning } from '../store/at-rest-keys';
import { type SyncHandle, startSync } from './start-sync';
import { AGENT_VERSION } from './version';

export type AgentOptions = {
  readonly config: Config;
  /** The file the config came from (shown on the manager's settings view). */
  readonly configFile?: string | undefined;
  /** The environment the config was loaded with (process.env when not given); the settings view names overrides. */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** Overrides config.api.port; 0 = any free port. */
  readonly port?: number | undefined;
  readonly rendererDir: string | undefined;
  /** Readable log lines on stderr as well as the file. */
  readonly prettyLogs?: boolean;
  readonly probeIntervalMs?: number;
  /** How secrets are kept at rest: the OS key store in the desktop app, else a file only this user can read. */
  readonly secrets?: SecretSealer;
  /** The kiosk's card terminal adapter (tests pass a fast simulated one); see handlers.ts for the default. */
  readonly cardTerminal?: CardTerminal;
  /** Manager session idle time and expiry sweep in milliseconds (tests shorten them). */
  readonly managerSessionTimes?: { readonly idleMs?: number; readonly sweepMs?: number };
};

export type Agent = {
  readonly url: string;
  readonly token: string;
  /** The kiosk screen's token: only the kiosk's routes and the event WebSocket (docs/local-api.md). */
  readonly kioskToken: string;
  readonly port: number;
  readonly db: WritableDb;
  readonly log: LogHandle;
  readonly handlers: TillBridge;
  /** What a person starting the agent must know (a full disk); also in the log. `serve` prints them on stderr. */
  readonly warnings: readonly string[];
  status(): Status;
  subscribe(listener: (event: AgentEvent) => void): () => void;
  close(): Promise<void>;
};

/**
 * Starts the headless agent: every check that can fail runs before anything is written (config, data
 * directory, database integrity and version, the port), then the data directory, token, database and log are
 * created and the API starts answering.
 */
export async function startAgent(options: AgentOptions): Promise<Agent> {
  const { config } = options;
  const startedAt = new Date().toISOString();
  assertDataDirUsable(config.dataDir);
  const dbFile = dbPath(config.dataDir);
  preflightDb(dbFile);
  const sealer = options.secrets ?? ownerOnlyFile;
  const existingToken = fs.existsSync(config.dataDir) ? readToken(config.dataDir, sealer) : undefined;
  const token = existingToken?.token ?? newToken();
  // The kiosk screen's own token (issue 19, finding 8): reaches only the kiosk's routes, never the same as the API token.
  const existingKioskToken = fs.existsSync(config.dataDir) ? readToken(config.dataDir, sealer, 'kiosk') : undefined;
  const kioskToken = existingKioskToken && existingKioskToken.token !== token ? existingKioskToken.token : newToken();

  const listeners = new Set<(event: AgentEvent) => void>();
  const connectivity = new ConnectivityMonitor(
    [
      { name: 'dintero', url: config.dintero ? config.dintero.baseUrl : undefined },
      // POST-only with five headers: a TCP connect, never an unauthenticated request (docs/connectors.md).
      { name: 'loyalty', url: config.loyalty ? config.loyalty.baseUrl : undefined, kind: 'tcp' },
    ],
    // The probe reads only the status: a redirect is not followed to another host (issue 19, finding 3).
    (url, init) => fetch(url, { ...init, redirect: 'manual' }),
    { intervalMs: options.probeIntervalMs ?? 15_000, timeoutMs: 3_000, headers: { 'x-pos-id': config.posId, 'x-branch-id': config.branchId } },
  );

  // Built before anything is written: a bad in-store layout is a config error that must leave the disk alone.
  const devices = new DeviceManager(config.devices, { now: () => new Date() });

  const queueCounts = (): Status['queue'] => {
    // Before the database is open (the first milliseconds of start-up) nothing can be known to be queued.
    if (!db) return { pending: 0, inFlight: 0, retry: 0, needsAttention: 0, done: 0 };
    const c = outboxStatus(db, new Date()).counts;
    return { pending: c.pending, inFlight: c.in_flight, retry: c.retry, needsAttention: c.needs_attention, done: c.done };
  };
  const { prefixKey, ...wedgeTiming } = config.devices.keyboardWedge;
  const wedge: Status['keyboardWedge'] = { prefixKey: prefixKey ?? null, ...wedgeTiming };
  const status = (): Status => ({
    branchId: config.branchId,
    storeName: config.store.name,
    posId: config.posId,
    mode: config.mode,
    sourceType: config.sourceType,
    version: AGENT_VERSION,
    demo: config.demo,
    currency: config.currency,
    locale: config.locale,
    timeZone: config.timeZone,
    startedAt,
    online: { dintero: connectivity.state('dintero'), loyalty: connectivity.state('loyalty') },
    queue: queueCounts(),
    devices: devices.status(),
    keyboardWedge: wedge,
  });
  const publish = (event: AgentEvent): void => {
    for (const l of listeners) l(event);
  };

  const redactor = new Redactor();
  redactor.registerSecret(config.dintero?.clientSecret);
  redactor.registerSecret(config.loyalty?.apiKey);
  redactor.registerSecret(token);
  redactor.registerSecret(kioskToken);

  const warnings: string[] = [];
  let server: RunningServer | undefined;
  let db: WritableDb | undefined;
  let log: LogHandle | undefined;
  const quiet = silentLogger();
  // Assigned once the database is open; the sale service wakes it after each commit.
  let sync: SyncHandle | undefined = undefined;
  const handlers = createHandlers({
    config,
    db: () => {
      if (!db) throw new TillError('DB_BUSY', 'The till agent is still starting; try again in a moment.');
      return db;
    },
    status,
    devices,
    publish,
    clock: { now: () => new Date() },
    logger: () => log?.logger ?? quiet,
    // A commit queues an envelope: the screens' queue count moves at once, not with the next delivery (offline: never).
    wakeSync: () => {
      sync?.wake();
      publishSoon();
    },
    backEnds: { loyalty: () => sync?.loyaltyClient, dintero: () => sync?.dinteroClient },
    // Looked up per payment: the sync starts after the handlers, and a till with no back end has none.
    valuePayments: {
      pay: (payment, signal) => sync?.valuePayments.pay(payment, signal) ?? Promise.resolve({ status: 'not_sent', reason: 'no back end is configured at this till' }),
    },
    refreshRules: () => sync?.refreshRules() ?? Promise.resolve(undefined),
    configFile: options.configFile,
    env: options.env,
    cardTerminal: options.cardTerminal,
    managerSessionTimes: options.managerSessionTimes,
  });
  try {
    server = await startServer({
      handlers,
      events: { subscribe: (l) => (listeners.add(l), () => listeners.delete(l)) },
      token,
      kioskToken,
      port: options.port ?? config.api.port,
      rendererDir: options.rendererDir,
      // The log file is created only after listen succeeds, so a port clash leaves nothing behind.
      logger: () => log?.logger ?? quiet,
      version: AGENT_VERSION,
    });
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    // The data directory holds the database, token and logs: owner-only, even when made by an older agent.
    restrictToOwner([config.dataDir]);
    const full = diskFullWarning(config.dataDir);
    if (full) warnings.push(full);
    // A new token, or one kept in plain text that the OS key store can now protect.
    if (existingToken?.sealedWith !== sealer.kind) writeToken(config.dataDir, token, sealer);
    if (existingKioskToken?.token !== kioskToken || existingKioskToken.sealedWith !== sealer.kind) writeToken(config.dataDir, kioskToken, sealer, 'kiosk');
    // The lookup and sealed-field keys live beside the database, sealed like the token (issue 19 finding 5).
    db = openDb(dbFile, { keyFiles: keyFilesOf(sealer) });
    sealKeyFiles(config.dataDir, sealer);
    const keyWarning = lostKeyWarning(atRestKeyReport(db));
    if (keyWarning) warnings.push(keyWarning);
    const lost = lostSales(db);
    if (lost) warnings.push(`${lostSalesMessage(lost)} A manager acknowledges with \`till-agent sale acknowledge-lost --by NAME\`.`);
    setMetaIfAbsent(db, 'first_started_at', startedAt);
    // Loaded (or made, on a new till) before the API takes a sale: every sale is signed in its commit.
    const fiscalKey = loadFiscalSigningKey(config.dataDir, db, sealer, config.timeZone, new Date());
    // A full disk must not keep the till from starting (it refuses sales with DB_FULL instead); the missing
    // start event is then named in the log, the one place the manager will look.
    const startRecorded = recordUnlessFull(db, dbFile, 'app_start', { text: `till-agent ${AGENT_VERSION}` });
    if (!startRecorded) warnings.push('The disk is full: this start could not be recorded in the electronic journal.');
    // A demo till gets the documented demo PIN (docs/screens.md), so its back office can be tried at once.
    if (config.demo) await ensureDemoPin(db, new Date());
    log = await createLogger({ dataDir: config.dataDir, level: config.log.level, redactor, pretty: options.prettyLogs ?? false });
    log.logger.info(
      { version: AGENT_VERSION, branchId: config.branchId, posId: config.posId, mode: config.mode, demo: config.demo, firstStartedAt: getMeta(db, 'first_started_at'), fiscalKeyVersion: fiscalKey.version },
      'till-agent started',
    );
    for (const warning of warnings) log.logger.warn(warning);
  } catch (err) {
    await server?.close();
    db?.close();
    throw err;
  }

  const announce = (message: string, pick: (s: Status) => object): void => {
    const s = status();
    log?.logger.info(pick(s), message);
    publish({ type: 'status', status: s });
  };
  connectivity.onDidChange(() => announce('back-end connectivity changed', (s) => ({ online: s.online })));
  connectivity.start();
  devices.onDidChangeStatus(() => announce('device status changed', (s) => ({ devices: s.devices })));
  // Opening never rejects for a missing device (the status says so), so it does not hold up start-up.
  void devices.start();
  // Queue counts change with every delivery: tell the screens at most four times a second, without logging.
  // The timer is kept so close() can cancel it: once fired after the database closed, status() would throw.
  let statusTimer: ReturnType<typeof setTimeout> | undefined;
  let closing = false;
  const publishSoon = (): void => {
    if (statusTimer !== undefined || closing) return;
    statusTimer = setTimeout(() => {
      statusTimer = undefined;
      publish({ type: 'status', status: status() });
    }, 250).unref();
  };
  sync = startSync(config, db, log.logger, publishSoon, (reached) => connectivity.report('loyalty', reached));
  const checkpoints = startIdleCheckpoints(db, () => log?.logger ?? quiet);
  void devices.startPrinting(db, {
    store: {
      name: config.store.name,
      addressLines: config.store.addressLines,
      ...(config.store.orgNumber ? { orgNumber: config.store.orgNumber } : {}),
      vatRegistered: config.fiscal.vatRegistered,
      registerId: config.fiscal.registerId ?? config.posId,
    },
    locale: config.locale,
    currency: config.currency,
    timeZone: config.timeZone,
  });

  const running = server;
  const openDbHandle = db;
  const logHandle = log;
  const removeGuards = installProcessGuards({
    logger: () => logHandle.logger,
    context: () => ({ branchId: config.branchId, posId: config.posId, mode: config.mode }),
    closeDb: () => openDbHandle.close(),
  });
  // The contract's schemas wait to be built until the agent is up (api/lazy-schema.ts): built just after, they do
  // not delay the first scan either.
  setImmediate(buildLazySchemas).unref();
  return {
    url: running.url,
    token,
    kioskToken,
    port: running.port,
    db: openDbHandle,
    log: logHandle,
    handlers,
    warnings,
    status,
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    async close() {
      closing = true;
      removeGuards();
      clearTimeout(statusTimer);
      connectivity.stop();
      await sync?.stop();
      await devices.stop();
      await running.close();
      checkpoints.stop();
      if (!recordUnlessFull(openDbHandle, dbFile, 'app_stop', {})) logHandle.logger.warn('The disk is full: this stop could not be recorded in the electronic journal.');
      openDbHandle.close();
      // The last sales' witness on disk before the process exits (serve exits right after close).
      await witnessesFlushed();
      logHandle.logger.info('till-agent stopped');
      await logHandle.close();
    },
  };
}

/** Records a start or stop event; false when the disk is full (DB_FULL), any other failure is thrown. */
function recordUnlessFull(db: WritableDb, file: string, kind: 'app_start' | 'app_stop', detail: Parameters<typeof recordFiscalEvent>[2]): boolean {
  try {
    recordFiscalEvent(db, kind, detail, new Date());
    return true;
  } catch (err) {
    const translated = translateSqliteError(err, file);
    if (translated instanceof TillError && translated.code === 'DB_FULL') return false;
    throw translated;
  }
}
