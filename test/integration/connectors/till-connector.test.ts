import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { startSandbox, type FaultConfig, type SandboxHandle } from '../../../main/sandbox';
import { openDb, type WritableDb } from '../../../main/store';
import { enqueueEnvelope, outboxStatus, retryEnvelope, type NewEnvelope } from '../../../main/store/outbox';
import { OutboxWorker, seededRandom } from '../../../main/sync/outbox';
import type { TillConnector } from '../../../main/sync/connectors/till-connector';
import { tempDir } from '../../helpers/temp-dir';
import { sandboxBackends } from '../../helpers/sandbox-env';
import { testConnector } from '../../helpers/test-connector';
import { recordingLogger } from '../../unit/sync/connectors/test-server';
import { fakeTime, type FakeTime } from '../../unit/sync/outbox/fakes';
import { CARD, MEMBER, PAY, SANDBOX_DATA, START_CREDIT, saleEnvelope, voidEnvelope } from './fixtures';

type Rig = {
  sandbox: SandboxHandle;
  db: WritableDb;
  time: FakeTime;
  connector: TillConnector;
  worker: OutboxWorker;
  log: ReturnType<typeof recordingLogger>;
  /** Moves the sandbox's clock ahead of the till's. */
  skew: { ms: number };
};

let rig: Rig | undefined;

afterEach(async () => {
  rig?.db.close();
  await rig?.sandbox.close();
  rig = undefined;
});

async function start(options: { faults?: FaultConfig; tokenTtlSeconds?: number; onSettle?: (count: number) => void } = {}): Promise<Rig> {
  const time = fakeTime();
  const skew = { ms: 0 };
  const sandbox = await startSandbox({
    seed: 20261123,
    strictIdentification: true,
    data: SANDBOX_DATA,
    now: () => new Date(time.now() + skew.ms),
    tokenTtlSeconds: options.tokenTtlSeconds ?? 4 * 3600,
    paymentAsset: 'credit',
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const db = openDb(dbPath(tempDir()));
  const log = recordingLogger();
  const connector = testConnector({
    db,
    ...sandboxBackends(sandbox),
    logger: log,
    now: () => time.now(),
    timeoutMs: 400,
  });
  let settled = 0;
  const worker = new OutboxWorker({
    db,
    connector,
    clock: time.clock,
    sleep: time.sleep,
    random: seededRandom(20261123),
    concurrency: 4,
    onDidSettle: () => options.onSettle?.(++settled),
  });
  rig = { sandbox, db, time, connector, worker, log, skew };
  return rig;
}

/** Drains, and plays the manager who retries what needs attention, until nothing is left open. */
async function drainToEnd(r: Rig): Promise<string[]> {
  const reasons: string[] = [];
  for (let round = 0; round < 40; round++) {
    await r.worker.drain({ waitForRetriesMs: 7 * 24 * 3600_000 });
    const status = outboxStatus(r.db, r.time.clock.now());
    const open = status.counts.pending + status.counts.retry + status.counts.in_flight + status.counts.needs_attention;
    if (open === 0) return reasons;
    for (const item of status.needsAttention) {
      reasons.push(`${item.reasonCode ?? '?'}: ${item.reason ?? ''}`);
      retryEnvelope(r.db, item.id, r.time.clock.now(), 'test: manager retries');
    }
  }
  throw new Error(`the outbox did not drain: ${JSON.stringify(outboxStatus(r.db, r.time.clock.now()).counts)} ${reasons.slice(-3).join(' | ')}`);
}

function enqueue(r: Rig, envelope: NewEnvelope): void {
  r.db.transaction(() => enqueueEnvelope(r.db, envelope, r.time.clock.now()))();
}

function enqueueSales(r: Rig, count: number): string[] {
  const ids = Array.from({ length: count }, (_, i) => `oslo-1-till-7-${String(i + 1).padStart(6, '0')}`);
  for (const id of ids) enqueue(r, saleEnvelope(id));
  return ids;
}

/** Every effect landed exactly once and the balances on the sandbox match what the till took. */
function expectExactlyOnce(r: Rig, sales: readonly string[], voided: readonly string[]): void {
  const seen = r.sandbox.inspect();
  const kept = sales.filter((s) => !voided.includes(s));
  for (const s of sales) {
    expect(seen.claimsApplied[`${s}:claim`], `claim of ${s}`).toBe(1);
    expect(seen.loyaltyTransactions[s]?.applied, `transaction of ${s}`).toBe(1);
    expect(seen.loyaltyTransactions[s]?.cancelled, `transaction of ${s} cancelled`).toBe(voided.includes(s));
  }
  expect(seen.claims).toEqual({ live: kept.length, released: voided.length });
  expect(seen.receipts).toBe(sales.length + voided.length);
  expect(seen.walletTransactions).toBe(sales.length);
  expect(seen.walletBalances[CARD.card_id]).toEqual({ balance: CARD.amount - PAY.gift * sales.length, available: CARD.amount - PAY.gift * sales.length });
  expect(seen.payments.filter((p) => !p.cancelled)).toHaveLength(kept.length);
  expect(seen.payments.filter((p) => p.cancelled)).toHaveLength(voided.length);
  expect(seen.payments.every((p) => p.amount === PAY.credit)).toBe(true);
  expect(seen.memberBalances[MEMBER.membershipKey]?.credit).toBe(START_CREDIT - PAY.credit * kept.length);
}

function expectCleanLogs(r: Rig): void {
  const text = r.log.lines.join('\n');
  expect(r.log.lines.length).toBeGreaterThan(0);
  for (const secret of [r.sandbox.apiKey, r.sandbox.clientSecret, MEMBER.email, MEMBER.phoneNumber, MEMBER.phoneNumber.slice(3), CARD.token]) {
    expect(text).not.toContain(secret);
  }
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}|Bearer|Basic /);
}

describe('TillConnector against the sandbox', () => {
  it('delivers sales and a void with all identification headers, each effect once', async () => {
    const r = await start();
    const sales = enqueueSales(r, 6);
    const first = sales[0] ?? '';
    // The void goes to a sale without a gift card: its refund would need the wallet fund scope a till lacks.
    enqueue(r, saleEnvelope('oslo-1-till-7-900001', { giftCard: false }));
    enqueue(r, voidEnvelope('oslo-1-till-7-900002', 'oslo-1-till-7-900001'));
    const reasons = await drainToEnd(r);
    expect(reasons).toEqual([]);
    const seen = r.sandbox.inspect();
    expect(seen.claimsApplied['oslo-1-till-7-900001:claim']).toBe(1);
    expect(seen.claims.released).toBe(1);
    expect(seen.loyaltyTransactions['oslo-1-till-7-900001']).toEqual({ applied: 1, replays: 0, cancelled: true });
    expect(seen.payments.filter((p) => p.cancelled)).toHaveLength(1);
    expect(seen.memberBalances[MEMBER.membershipKey]?.credit).toBe(START_CREDIT - PAY.credit * sales.length);
    expect(seen.walletBalances[CARD.card_id]?.balance).toBe(CARD.amount - PAY.gift * sales.length);
    expect(seen.claimsApplied[`${first}:claim`]).toBe(1);
    // The strict sandbox refuses a Dintero call without x-pos-id/x-branch-id and a Loyalty call without any of
    // the five headers, so every request above carried them; no request was refused for it.
    expect(r.log.lines.filter((l) => l.includes('"status":400') || l.includes('"status":401'))).toEqual([]);
    expect(r.connector.dinteroClient?.tokensFetched).toBe(1);
    expectCleanLogs(r);
  });

  it('lands every effect exactly once under 500s, 429, resets before and after apply, and hangs', async () => {
    const r = await start({
      faults: {
        routes: {
          'dintero.*': { status500: 0.08, status429: 0.06, retryAfterSeconds: 2, resetBefore: 0.06, resetAfter: 0.08, hang: 0.02, hangAfter: 0.02 },
          'loyalty.*': { status500: 0.08, status503: 0.04, resetBefore: 0.06, resetAfter: 0.08, hang: 0.02, hangAfter: 0.03 },
        },
      },
    });
    const sales = enqueueSales(r, 14);
    enqueue(r, voidEnvelope('oslo-1-till-7-900002', sales[3] ?? ''));
    const reasons = await drainToEnd(r);
    // Nothing was refused: every attention was an unknown payment outcome, settled by reconciliation.
    expect(reasons.filter((x) => x.startsWith('rejected'))).toEqual([]);
    const seen = r.sandbox.inspect();
    expect(Object.values(seen.faults).reduce((n, kinds) => n + Object.values(kinds).reduce((a, b) => a + b, 0), 0)).toBeGreaterThan(10);
    // The void of a gift-card sale cannot refund the card (no fund scope), so this test's void leaves it.
    expectExactlyOnce(r, sales, [sales[3] ?? '']);
    expectCleanLogs(r);
  });

  it('a claim whose answer was lost and whose ref lookup then fails is tried again, never read as refused', async () => {
    const r = await start({
      faults: { routes: { 'dintero.claims.create': { resetAfter: 1, times: 1 }, 'dintero.claims.list': { status503: 1, times: 1 } } },
    });
    const sales = enqueueSales(r, 1);
    const reasons = await drainToEnd(r);
    expect(reasons.filter((x) => x.startsWith('rejected'))).toEqual([]);
    const seen = r.sandbox.inspect();
    expect(seen.claimsApplied[`${sales[0] ?? ''}:claim`]).toBe(1);
    // The repeat was answered 409 and the ref lookup failed once: both faults fired.
    expect(seen.faults['dintero.claims.list']).toBeDefined();
  });

  it('keeps the queue through an offline back end and delivers when it returns', async () => {
    const r = await start();
    const sales = enqueueSales(r, 3);
    await r.sandbox.setOffline(true);
    await r.worker.drain();
    expect(outboxStatus(r.db, r.time.clock.now()).counts.done).toBe(0);
    expect(r.sandbox.inspect().claims.live).toBe(0);
    await r.sandbox.setOffline(false);
    await drainToEnd(r);
    expectExactlyOnce(r, sales, []);
  });

  it('refreshes a token that expires mid-drain once and goes on', async () => {
    const r = await start({
      tokenTtlSeconds: 3600,
      // After the third sale, the server's clock passes the token's expiry while the till's does not.
      onSettle: (n) => {
        if (n === 3) rig!.skew.ms = 3600_000 + 1_000;
      },
    });
    const sales = enqueueSales(r, 8);
    const reasons = await drainToEnd(r);
    expect(reasons).toEqual([]);
    expect(r.connector.dinteroClient?.tokensFetched).toBe(2);
    expect(r.sandbox.inspect().requests['dintero.auth.token']).toBe(2);
    expectExactlyOnce(r, sales, []);
  });
});
