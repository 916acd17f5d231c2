/**
 * The soak: the sandbox (in this process, so the harness can change its faults, take it offline and read what
 * it applied), T till agents as real `till-agent serve` children on their own data directories, a cashier per
 * till, and the chaos. Then heal, drain, settle what needs a manager, and audit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from '../../main/core/seeded-random';
import { startSandbox, type SandboxHandle } from '../../main/sandbox';
import { outboxStatus, retryEnvelope } from '../../main/store/outbox';
import { openDb, openReadonlyDb, type ReadableDb } from '../../main/store';
import { audit, type AuditResult } from './audit';
import { Chaos, type ChaosStats } from './chaos';
import { driveTill, type DriverStats, emptyStats } from './driver';
import { Manager, type ManagerStats } from './manager';
import type { SoakOptions } from './options';
import { BRANCH_ID, DEMO_DIR, giftCards, membersOf, posIdOf, sandboxData, sellableItems, START_GIFT_CARD, START_POINTS, STORE_ID } from './store-data';
import { freePortPair } from './ports';
import { TillProcess } from './till';

export type SoakResult = {
  readonly options: SoakOptions;
  readonly workDir: string;
  readonly chaosMs: number;
  readonly drainMs: number;
  readonly sales: number;
  readonly kills: number;
  readonly faults: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly maxQueueAgeS: number;
  readonly peakRssMb: number;
  readonly journals: readonly { readonly posId: string; readonly ok: boolean; readonly detail: string }[];
  readonly audit: AuditResult;
  readonly chaos: ChaosStats;
  readonly driver: DriverStats;
  readonly faultsByKind: Readonly<Record<string, number>>;
  readonly requests: number;
  /** What the manager did with the CLI: retries of uncertain payments, hand drains (some killed). */
  readonly manager: ManagerStats;
  /** Crashes and failed restarts: processes that died or would not start without the harness killing them. */
  readonly crashes: readonly string[];
  readonly passed: boolean;
};

export type Progress = (line: string) => void;

function tillConfig(index: number, sandbox: SandboxHandle): unknown {
  return {
    branchId: BRANCH_ID,
    posId: posIdOf(index),
    currency: 'NOK',
    locale: 'en-GB',
    timeZone: 'Europe/Oslo',
    store: { id: STORE_ID, name: 'Soak store' },
    dintero: { baseUrl: sandbox.dinteroUrl, accountId: sandbox.accountId, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret },
    loyalty: { baseUrl: sandbox.loyaltyUrl, apiKey: sandbox.apiKey },
  };
}

/** Reads a till's database read-only (the agent may be running), or undefined before it exists. */
function readTill<T>(till: TillProcess, fn: (db: ReadableDb) => T): T | undefined {
  if (!fs.existsSync(till.dbFile())) return undefined;
  const db = openReadonlyDb(till.dbFile());
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export async function runSoak(options: SoakOptions, progress: Progress = () => undefined): Promise<SoakResult> {
  const workDir = options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'till-soak-'));
  // Credit moves only by payments, points also by what transactions earn: shared members pay with credit, so
  // another till's payment of the same amount is exactly what a reconcile sees.
  const asset = options.sharedMembers ? 'credit' : 'points';
  fs.mkdirSync(path.join(workDir, 'sandbox'), { recursive: true });
  const sandbox = await startSandbox({
    port: await freePortPair(seededRandom(Date.now() % 1_000_000)),
    dataFile: path.join(workDir, 'sandbox', 'sandbox.sqlite'),
    demo: true,
    demoDir: DEMO_DIR,
    data: sandboxData(options.tills, options.sharedMembers),
    seed: options.seed,
    strictIdentification: true,
    // The tills pay with points (credit when members are shared); the sandbox's /payment draws on the same.
    paymentAsset: asset,
  });
  const tills: TillProcess[] = [];
  const crashes: string[] = [];
  try {
    for (let i = 0; i < options.tills; i++) {
      const dataDir = path.join(workDir, posIdOf(i));
      fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(path.join(dataDir, 'till-agent.config.json'), JSON.stringify(tillConfig(i, sandbox), null, 2), { mode: 0o600 });
      const till = new TillProcess({ index: i, branchId: BRANCH_ID, posId: posIdOf(i), dataDir });
      const imported = await till.runCli(['catalog', 'import', path.join(DEMO_DIR, 'catalog.json')]);
      if (imported.code !== 0) throw new Error(`${till.spec.posId}: catalog import failed: ${imported.stderr}`);
      tills.push(till);
    }
    await Promise.all(tills.map((t) => t.start()));
    progress(`${tills.length} tills up (${workDir}); seed ${options.seed}; ${options.minutes} min of sales with ${options.kills} kills`);

    const durationMs = Math.round(options.minutes * 60_000);
    const chaos = new Chaos(sandbox, tills, { durationMs, kills: options.kills, seed: options.seed });
    const stats = emptyStats();
    const items = sellableItems();
    const cards = giftCards();
    const stopDrivers = new AbortController();

    // Figures sampled while the chaos runs: the oldest undelivered sale and the agents' memory.
    let maxQueueAgeMs = 0;
    let peakRssMb = 0;
    const sample = (): void => {
      for (const till of tills) {
        peakRssMb = Math.max(peakRssMb, till.rssMb() ?? 0);
        const age = readTill(till, (db) => outboxStatus(db, new Date()).oldestPendingAgeMs);
        if (typeof age === 'number') maxQueueAgeMs = Math.max(maxQueueAgeMs, age);
      }
    };
    const sampler = setInterval(() => {
      try {
        sample();
      } catch {
        // A read that meets a till mid-restart is skipped; the next sample counts.
      }
    }, 2000);

    const manager = new Manager();
    const chaosStarted = Date.now();
    chaos.start();
    const managing = manager.during(tills, seededRandom(options.seed * 31), stopDrivers.signal);
    const drivers = tills.map((till, i) =>
      driveTill(
        { till, random: seededRandom(options.seed * 31 + i + 1), items, members: membersOf(i, options.sharedMembers), cards, saleEveryMs: options.saleEveryMs, asset, sharedMembers: options.sharedMembers, hooks: chaos.hooks, stats },
        stopDrivers.signal,
      ),
    );
    const ticker = setInterval(() => {
      const k = chaos.stats.kills;
      progress(`t+${Math.round((Date.now() - chaosStarted) / 1000)}s sales ${stats.apiSales + stats.cliSales}, voids ${stats.voids}, refunds ${stats.refunds}, kills ${k.random + k['mid-request'] + k['mid-commit']}+${k.cli} cli`);
    }, 15_000);
    await sleep(durationMs);
    // The kills the plan has not made yet (every till was down when one was due) still happen, within a second period.
    const grace = new AbortController();
    await Promise.race([chaos.killPlanDone(), sleep(durationMs, undefined, { signal: grace.signal }).catch(() => undefined)]);
    grace.abort();
    stopDrivers.abort();
    await Promise.all([...drivers, managing]);
    await chaos.heal();
    clearInterval(ticker);
    const chaosMs = Date.now() - chaosStarted;
    progress('chaos over: faults healed, sandbox online; draining');

    // The agents deliver what they can on their own for a while (their backoff is up to minutes after a long
    // outage), then they stop and the manager's tools take over.
    const drainStarted = Date.now();
    const undelivered = (): number =>
      tills.reduce((total, t) => {
        const c = readTill(t, (db) => outboxStatus(db, new Date()).counts);
        return total + (c ? c.pending + c.retry + c.in_flight : 0);
      }, 0);
    for (let waited = 0; waited < 20_000 && undelivered() > 0; waited += 500) await sleep(500);
    sample();
    clearInterval(sampler);
    for (const till of tills) crashes.push(...till.crashes);
    await Promise.all(tills.map((t) => t.stop()));

    const uncertainLeft = (): number =>
      tills.reduce((total, t) => total + (readTill(t, (db) => outboxStatus(db, new Date()).needsAttention.filter((n) => n.reasonCode === 'uncertain').length) ?? 0), 0);
    const rounds = 4;
    for (let round = 1; round <= rounds; round++) {
      for (const till of tills) {
        // "Retry now" on what waits for its backoff: the manager's Retry, so the audit need not wait minutes.
        const db = openDb(till.dbFile());
        try {
          const waiting = db.prepare<[], { id: number }>("SELECT id FROM outbox_envelopes WHERE state = 'retry'").all();
          for (const { id } of waiting) retryEnvelope(db, id, new Date(), 'soak: retry now');
        } finally {
          db.close();
        }
        const drained = await manager.drain(till, { waitSeconds: 15 });
        if (drained.code !== 0 && drained.code !== 1) crashes.push(`${till.spec.posId} sync drain exited ${drained.code ?? drained.signal}: ${drained.stderr}`);
        // The last round only drains, so a payment the reconcile still cannot decide ends where a person sees it.
        if (round < rounds) await manager.retryUncertain(till);
      }
      if (undelivered() === 0 && uncertainLeft() === 0) break;
    }
    const drainMs = Date.now() - drainStarted;
    progress(`drained in ${Math.round(drainMs / 1000)} s; auditing`);

    const journals = [];
    for (const till of tills) {
      const verified = await till.runCli(['journal', 'verify']);
      journals.push({ posId: till.spec.posId, ok: verified.code === 0, detail: (verified.stdout + verified.stderr).trim().split('\n')[0] ?? '' });
    }
    const seen = sandbox.inspect();
    const result = audit(
      tills.map((t) => ({ spec: t.spec, dbFile: t.dbFile() })),
      seen,
      {
        giftCards: Object.fromEntries(cards.map((c) => [c.cardId, { token: c.token, amount: START_GIFT_CARD }])),
        members: Object.fromEntries(tills.flatMap((_, i) => membersOf(i, options.sharedMembers)).map((m) => [m.membershipKey, START_POINTS])),
        asset,
      },
    );
    const faultsByKind: Record<string, number> = {};
    for (const perKind of Object.values(seen.faults)) {
      for (const [kind, n] of Object.entries(perKind)) if (kind !== 'latency') faultsByKind[kind] = (faultsByKind[kind] ?? 0) + n;
    }
    faultsByKind['offline-period'] = chaos.stats.offlinePeriods;
    crashes.push(...chaos.stats.restartFailures, ...manager.stats.crashes);
    const k = chaos.stats.kills;
    const lost = result.verdicts.lost;
    const duplicated = result.verdicts.duplicated + result.ghosts;
    const passed =
      lost === 0 &&
      duplicated === 0 &&
      result.doubleDebits === 0 &&
      result.lostPayments === 0 &&
      result.balanceMismatches === 0 &&
      journals.every((j) => j.ok) &&
      crashes.length === 0 &&
      result.verdicts.unsettled === 0 &&
      // With each member at one till, every unknown payment outcome must settle by reconcile; with members
      // shared by every till, an undecidable one waiting for a person is the documented limit.
      (options.sharedMembers || result.verdicts.uncertain === 0) &&
      // A 5xx from the local API or a CLI that fails for no business reason is a finding too.
      stats.unexpected.length === 0;
    return {
      options,
      workDir,
      chaosMs,
      drainMs,
      sales: result.tills.reduce((t, a) => t + a.sales, 0),
      kills: k.random + k['mid-request'] + k['mid-commit'] + k.cli,
      faults: Object.values(faultsByKind).reduce((t, n) => t + n, 0),
      lost,
      duplicated,
      maxQueueAgeS: Math.round(maxQueueAgeMs / 100) / 10,
      peakRssMb: Math.round(peakRssMb * 10) / 10,
      journals,
      audit: result,
      chaos: chaos.stats,
      driver: stats,
      faultsByKind,
      requests: Object.values(seen.requests).reduce((t, n) => t + n, 0),
      manager: manager.stats,
      crashes,
      passed,
    };
  } finally {
    await Promise.all(tills.map((t) => t.stop()));
    await sandbox.close();
    if (!options.keep) fs.rmSync(workDir, { recursive: true, force: true });
  }
}
