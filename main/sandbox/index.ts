/**
 * The loyalty back-end sandbox: loopback simulators of the Dintero Loyalty APIs and the Loyalty POS API, with
 * their state in SQLite and seeded fault injection. Demo mode and the integration tests start it here.
 *
 * Two listeners in one process: Dintero on `port` (its paths follow `/v1/accounts/{aid}/`), the Loyalty POS API
 * on `loyaltyPort` (default: the next port, or any free port when `port` is 0) under `/v1/`.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { SandboxContext, EarnRule, LoyaltySuccessShape } from './context';
import { getMeta, openSandboxDb, setMeta, type SandboxDb } from './db';
import { ADMIN_SCOPES, POS_SCOPES, type Client } from './dintero/auth';
import { createDinteroServer } from './dintero/server';
import { findDemoDir, loadDemoData, readDemoFiles, type DemoData } from './demo-data';
import { FaultPlan, parseFaultConfig, type FaultConfig } from './faults';
import { setListening, type Traffic } from './http';
import { createLoyaltyServer } from './loyalty/server';
import { seededRng } from './rng';

export { parseFaultConfig, FaultConfigError, FAULT_KINDS, type FaultConfig, type FaultKind, type FaultSpec } from './faults';
export { DemoDataError, type DemoData } from './demo-data';
export type { FaultEvent, RequestEvent } from './http';

export type SandboxOptions = {
  /** Dintero simulator port; 0 (default) = any free port. */
  readonly port?: number;
  /** Loyalty POS API port; default port + 1, or any free port when port is 0. */
  readonly loyaltyPort?: number;
  /** SQLite file for the simulators' state, or ':memory:' (default). */
  readonly dataFile?: string;
  readonly faults?: FaultConfig;
  /** Seeds fault rolls and short codes (default 1). */
  readonly seed?: number;
  /** Require x-pos-id and x-branch-id on every Dintero call, which the real service ignores. */
  readonly strictIdentification?: boolean;
  /** Lifetime of Dintero access tokens (default 4 h, as the seed says). */
  readonly tokenTtlSeconds?: number;
  /** Load demo/ (rules, members, gift cards) into an empty state. */
  readonly demo?: boolean;
  /** Where demo/ is; found by walking up from the working directory otherwise. */
  readonly demoDir?: string;
  /** Extra data to load (tests), after the demo data. */
  readonly data?: DemoData;
  /** The simulators' clock; tests pass one to expire tokens and short codes without waiting. */
  readonly now?: () => Date;
  readonly earn?: EarnRule;
  /** Which member balance `/payment` draws on (default credit). */
  readonly paymentAsset?: 'credit' | 'points';
  /**
   * Where Loyalty successes put their fields: `top-level` (default: seed 004), `data` (the /payment page), `ok`
   * (the /member/details sample), or `rotate` (each in turn, answer by answer). docs/sandbox.md.
   */
  readonly loyaltyAnswers?: LoyaltySuccessShape | 'rotate';
};

export type SandboxInspection = {
  /** Accepted claims per claim `ref` (a ref applied twice would show 2). */
  readonly claimsApplied: Readonly<Record<string, number>>;
  readonly claims: { readonly live: number; readonly released: number };
  readonly receipts: number;
  /** Applied transactions per transactionId (all branches), and answered replays. */
  readonly loyaltyTransactions: Readonly<Record<string, { readonly applied: number; readonly replays: number; readonly cancelled: boolean }>>;
  /** Every `/payment` pay (refunds by negative amount included), with the sale its `transaction` named. */
  readonly payments: readonly {
    readonly confirmationCode: string;
    readonly membershipKey: string;
    readonly asset: string;
    readonly amount: number;
    readonly cancelled: boolean;
    /** What cancels gave back so far (a partial cancel gives back part). */
    readonly refunded: number;
    readonly transactionId: string | null;
  }[];
  /** Per claim `ref`: live and released claims (a ref applied twice shows in `claimsApplied`). */
  readonly claimsByRef: Readonly<Record<string, { readonly live: number; readonly released: number }>>;
  /** The receipt ids stored (a receipt is stored once; a repeat counts in the answer's `duplicates`). */
  readonly receiptIds: readonly string[];
  /** Wallet transactions per `ref_id` over all cards: how many, and the first one's type and amount. */
  readonly walletRefs: Readonly<Record<string, { readonly count: number; readonly type: string; readonly amount: number; readonly cardId: string }>>;
  readonly walletBalances: Readonly<Record<string, { readonly balance: number; readonly available: number }>>;
  readonly walletTransactions: number;
  readonly memberBalances: Readonly<Record<string, { readonly points: number; readonly credit: number }>>;
  /** Points earned per membership key by the transactions that are not cancelled (a cancel takes them back). */
  readonly pointsEarned: Readonly<Record<string, number>>;
  readonly loyaltyEvents: number;
  readonly requests: Readonly<Record<string, number>>;
  readonly faults: Readonly<Record<string, Readonly<Record<string, number>>>>;
};

export type SandboxHandle = {
  /** The root that `/v1/accounts/{aid}/...` follows, e.g. http://127.0.0.1:P */
  readonly dinteroUrl: string;
  /** Ends in `/v1/`. */
  readonly loyaltyUrl: string;
  readonly accountId: string;
  /** The POS client: the scopes a till needs (seed 001). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** A back-office client with admin scopes, for tests and tooling. */
  readonly adminClientId: string;
  readonly adminClientSecret: string;
  readonly apiKey: string;
  /** Emits `fault` ({route, kind}) when a fault takes effect. */
  readonly events: EventEmitter;
  setFaults(config: FaultConfig): void;
  /** Takes both listeners off the network (connection refused) or back on the same ports. */
  setOffline(offline: boolean): Promise<void>;
  inspect(): SandboxInspection;
  load(data: DemoData): void;
  close(): Promise<void>;
};

const FOUR_HOURS = 4 * 3600;

function credential(db: SandboxDb, key: string, make: () => string): string {
  const known = getMeta(db, key);
  if (known !== undefined) return known;
  const value = make();
  setMeta(db, key, value);
  return value;
}

function inspect(db: SandboxDb, traffic: Traffic): SandboxInspection {
  const all = <T>(sql: string): T[] => db.prepare<[], T>(sql).all();
  const claimsApplied = Object.fromEntries(all<{ ref: string; count: number }>('SELECT ref, count FROM claim_applied').map((r) => [r.ref, r.count]));
  const claims = all<{ live: number; released: number }>(
    'SELECT SUM(deleted_at IS NULL) AS live, SUM(deleted_at IS NOT NULL) AS released FROM claims',
  )[0];
  const loyaltyTransactions: Record<string, { applied: number; replays: number; cancelled: boolean }> = {};
  for (const r of all<{ transaction_id: string; replays: number; cancel_answer: string | null }>('SELECT transaction_id, replays, cancel_answer FROM loyalty_transactions')) {
    const entry = loyaltyTransactions[r.transaction_id] ?? { applied: 0, replays: 0, cancelled: false };
    loyaltyTransactions[r.transaction_id] = { applied: entry.applied + 1, replays: entry.replays + r.replays, cancelled: entry.cancelled || r.cancel_answer !== null };
  }
  const count = (table: string): number => all<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)[0]?.n ?? 0;
  return {
    claimsApplied,
    claims: { live: claims?.live ?? 0, released: claims?.released ?? 0 },
    receipts: count('receipts'),
    loyaltyTransactions,
    payments: all<{ confirmation_code: string; membership_key: string; asset: string; amount: number; cancelled_at: string | null; transaction_id: string | null; refunded: number }>(
      'SELECT * FROM loyalty_payments ORDER BY created_at, confirmation_code',
    ).map((p) => ({
      confirmationCode: p.confirmation_code,
      membershipKey: p.membership_key,
      asset: p.asset,
      amount: p.amount,
      cancelled: p.cancelled_at !== null,
      refunded: p.refunded,
      transactionId: p.transaction_id,
    })),
    claimsByRef: Object.fromEntries(
      all<{ ref: string; live: number; released: number }>(
        'SELECT ref, SUM(deleted_at IS NULL) AS live, SUM(deleted_at IS NOT NULL) AS released FROM claims WHERE ref IS NOT NULL GROUP BY ref',
      ).map((r) => [r.ref, { live: r.live, released: r.released }]),
    ),
    receiptIds: all<{ receipt_id: string }>('SELECT receipt_id FROM receipts ORDER BY receipt_id').map((r) => r.receipt_id),
    walletRefs: Object.fromEntries(
      all<{ ref_id: string; n: number; type: string; amount: number; card_id: string }>(
        // Capture and void rows of a pending drawdown carry their own ref ids; only the transactions a till names count here.
        "SELECT ref_id, COUNT(*) AS n, MIN(type) AS type, MIN(amount) AS amount, MIN(card_id) AS card_id FROM wallet_transactions WHERE parent_id IS NULL GROUP BY ref_id",
      ).map((r) => [r.ref_id, { count: r.n, type: r.type, amount: r.amount, cardId: r.card_id }]),
    ),
    walletBalances: Object.fromEntries(
      all<{ card_id: string; amount_balance: number; amount_available: number }>('SELECT card_id, amount_balance, amount_available FROM cards').map((c) => [
        c.card_id,
        { balance: c.amount_balance, available: c.amount_available },
      ]),
    ),
    walletTransactions: count('wallet_transactions'),
    memberBalances: Object.fromEntries(
      all<{ membership_key: string; points: number; credit: number }>('SELECT membership_key, points, credit FROM members').map((m) => [
        m.membership_key,
        { points: m.points, credit: m.credit },
      ]),
    ),
    pointsEarned: Object.fromEntries(
      all<{ membership_key: string; earned: number }>(
        'SELECT membership_key, SUM(points_earned) AS earned FROM loyalty_transactions WHERE membership_key IS NOT NULL AND cancel_answer IS NULL GROUP BY membership_key',
      ).map((r) => [r.membership_key, r.earned]),
    ),
    loyaltyEvents: count('loyalty_events'),
    requests: Object.fromEntries(traffic.requests),
    faults: Object.fromEntries([...traffic.faults].map(([route, kinds]) => [route, Object.fromEntries(kinds)])),
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const seed = options.seed ?? 1;
  const db = openSandboxDb(options.dataFile ?? ':memory:');
  const codeRng = seededRng(seed ^ 0x5eed);
  const clients: Client[] = [
    {
      clientId: credential(db, 'pos_client_id', () => `sandbox-pos-${randomBytes(6).toString('hex')}`),
      clientSecret: credential(db, 'pos_client_secret', () => randomBytes(24).toString('base64url')),
      scopes: POS_SCOPES,
    },
    {
      clientId: credential(db, 'admin_client_id', () => `sandbox-admin-${randomBytes(6).toString('hex')}`),
      clientSecret: credential(db, 'admin_client_secret', () => randomBytes(24).toString('base64url')),
      scopes: ADMIN_SCOPES,
    },
  ];
  const ctx: SandboxContext = {
    db,
    now: options.now ?? ((): Date => new Date()),
    newId: randomUUID,
    accountId: credential(db, 'account_id', () => `T${String(randomInt(0, 100_000_000)).padStart(8, '0')}`),
    signingKey: credential(db, 'signing_key', () => randomBytes(32).toString('base64url')),
    clients,
    apiKey: credential(db, 'api_key', () => `sandbox-${randomBytes(18).toString('base64url')}`),
    tokenTtlSeconds: options.tokenTtlSeconds ?? FOUR_HOURS,
    strictIdentification: options.strictIdentification ?? false,
    currency: 'NOK',
    earn: options.earn ?? { minorPerPoint: 1000 },
    paymentAsset: options.paymentAsset ?? 'credit',
    loyaltySuccessShape: successShapes(options.loyaltyAnswers ?? 'top-level'),
    code: (digits) => String(Math.floor(codeRng.next() * 10 ** digits)).padStart(digits, '0'),
  };

  if (options.demo === true && getMeta(db, 'demo_loaded') === undefined) {
    loadDemoData(ctx, readDemoFiles(findDemoDir(options.demoDir)));
    setMeta(db, 'demo_loaded', ctx.now().toISOString());
  }
  if (options.data) loadDemoData(ctx, options.data);

  let plan = new FaultPlan(parseFaultConfig(options.faults ?? {}), seed);
  const events = new EventEmitter();
  const traffic: Traffic = { requests: new Map(), faults: new Map() };
  const hung = new Set<Socket>();
  const closing = new AbortController();
  const kit = { plan: () => plan, events, traffic, hung, closing: closing.signal };
  const dintero = createDinteroServer(ctx, kit);
  const loyalty = createLoyaltyServer(ctx, kit);

  const dinteroPort = await listen(dintero.app, options.port ?? 0);
  const loyaltyPort = await listen(loyalty.app, options.loyaltyPort ?? (options.port ? dinteroPort + 1 : 0));
  let closed = false;

  return {
    dinteroUrl: `http://127.0.0.1:${dinteroPort}`,
    loyaltyUrl: `http://127.0.0.1:${loyaltyPort}/v1/`,
    accountId: ctx.accountId,
    clientId: clients[0]?.clientId ?? '',
    clientSecret: clients[0]?.clientSecret ?? '',
    adminClientId: clients[1]?.clientId ?? '',
    adminClientSecret: clients[1]?.clientSecret ?? '',
    apiKey: ctx.apiKey,
    events,
    setFaults(config) {
      plan = new FaultPlan(parseFaultConfig(config), seed);
    },
    async setOffline(offline) {
      await Promise.all([setListening(dintero.app, dinteroPort, !offline), setListening(loyalty.app, loyaltyPort, !offline)]);
    },
    inspect: () => inspect(db, traffic),
    load: (data) => loadDemoData(ctx, data),
    async close() {
      if (closed) return;
      closed = true;
      closing.abort();
      for (const socket of hung) socket.destroy();
      await Promise.all([closeApp(dintero.app), closeApp(loyalty.app)]);
      db.close();
    },
  };
}

const SHAPES: readonly LoyaltySuccessShape[] = ['top-level', 'data', 'ok'];

function successShapes(choice: LoyaltySuccessShape | 'rotate'): () => LoyaltySuccessShape {
  if (choice !== 'rotate') return () => choice;
  let next = 0;
  return () => SHAPES[next++ % SHAPES.length] ?? 'top-level';
}

async function listen(app: FastifyInstance, port: number): Promise<number> {
  await app.listen({ port, host: '127.0.0.1' });
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : port;
}

async function closeApp(app: FastifyInstance): Promise<void> {
  // An offline listener is already closed; fastify's close would wait on it forever.
  if (!app.server.listening) {
    app.server.closeAllConnections();
    return;
  }
  await app.close();
}
