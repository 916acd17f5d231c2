import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { startSandbox, type DemoData, type SandboxHandle } from '../../../main/sandbox';
import { openDb, type WritableDb } from '../../../main/store';
import { getPaymentOp } from '../../../main/store/loyalty-confirmations';
import type { TillConnector } from '../../../main/sync/connectors/till-connector';
import type { BalanceReading, EffectToDeliver, PaymentCheck } from '../../../main/sync/outbox';
import { tempDir } from '../../helpers/temp-dir';
import { sandboxBackends } from '../../helpers/sandbox-env';
import { testConnector } from '../../helpers/test-connector';
import { recordingLogger } from '../../unit/sync/connectors/test-server';
import { SANDBOX_DATA } from './fixtures';

/**
 * The balance check of a points refund whose answer was lost, while the same member pays at the same till (the
 * CI soak's case): the till's own confirmed payments are counted, its unknown ones tried both ways, another
 * member's ignored, another till's still unknown (main/sync/connectors/loyalty/own-movements.ts). Real sandbox
 * over loopback, real SQLite files. The till's clock stands still but for the checks' 2.5 s gaps: the order of
 * the till's own payments comes from its store, not from the clock.
 */
const BUSY = 'mk-busy';
const OTHER = 'mk-other';
const START = 50_000;
const PAID = 16_920;

const base = SANDBOX_DATA.members?.[0];
if (!base) throw new Error('fixtures have no member');
const DATA: DemoData = {
  ...SANDBOX_DATA,
  members: [
    { ...base, customerId: 'cust-busy', membershipKey: BUSY, phoneNumber: '+4799000001', email: 'busy@example.com', points: START },
    { ...base, customerId: 'cust-other', membershipKey: OTHER, phoneNumber: '+4799000002', email: 'other@example.com', points: START },
  ],
};

type Till = { db: WritableDb; connector: TillConnector };
type Rig = { sandbox: SandboxHandle; till: Till; otherTill: Till; clock: { t: number } };
let rig: Rig | undefined;

afterEach(async () => {
  rig?.till.db.close();
  rig?.otherTill.db.close();
  await rig?.sandbox.close();
  rig = undefined;
});

async function start(): Promise<Rig> {
  const clock = { t: Date.UTC(2026, 11, 6, 9, 0, 0) };
  const now = (): number => clock.t;
  const sandbox = await startSandbox({ seed: 27, strictIdentification: true, data: DATA, now: () => new Date(clock.t), paymentAsset: 'points' });
  // Each till has its own database: the other till's payments are in its store, not in ours.
  const till = (): Till => {
    const db = openDb(dbPath(tempDir()));
    return { db, connector: testConnector({ db, ...sandboxBackends(sandbox), logger: recordingLogger(), now, timeoutMs: 400 }) };
  };
  rig = { sandbox, till: till(), otherTill: till(), clock };
  return rig;
}

const signal = new AbortController().signal;

function effect(key: string, payload: unknown): EffectToDeliver {
  return { envelopeId: 0, envelopeRef: key, seq: 0, kind: 'loyalty_payment', idempotencyKey: key, payload, amountAtRisk: 0, attempt: 1 };
}
const pay = (key: string, member: string, amount: number): EffectToDeliver => effect(key, { member: { id: member }, payment: { action: 'pay', amount }, asset: 'points' });
const refund = (key: string, reverses: string, member: string, amount: number): EffectToDeliver =>
  effect(key, { member: { id: member }, payment: { action: 'cancel', amount }, asset: 'points', reverses });

const points = (r: Rig, member: string): number | undefined => r.sandbox.inspect().memberBalances[member]?.points;

/** The earlier sale's points payment, then its refund (the void) with its answer lost after (or before) it applied. */
async function lostRefund(r: Rig, fault: 'resetAfter' | 'resetBefore'): Promise<EffectToDeliver> {
  expect(await r.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:1', BUSY, PAID), signal)).toEqual({ type: 'applied' });
  r.sandbox.setFaults({ routes: { 'loyalty.payment': { [fault]: 1, times: 1 } } });
  const voidRefund = refund('oslo-1-till-7:void:1', 'oslo-1-till-7:tender:1', BUSY, PAID);
  expect(await r.till.connector.loyalty_payment(voidRefund, signal)).toMatchObject({ type: 'transient', uncertain: true });
  r.sandbox.setFaults({});
  expect(getPaymentOp(r.till.db, 'oslo-1-till-7:void:1')?.state).toBe('uncertain');
  return voidRefund;
}

/** Checks as the outbox does (one read per step, 2.5 s apart) until a verdict; `between` runs after the first read. */
async function checkUntilDecided(r: Rig, target: EffectToDeliver, between?: () => Promise<void>): Promise<PaymentCheck> {
  let readings: readonly BalanceReading[] = [];
  for (let step = 0; step < 5; step += 1) {
    const check = await r.till.connector.checkPayment(target, { readings, resendAllowed: false }, signal);
    if (check.type !== 'read') return check;
    readings = check.evidence.readings;
    if (step === 0 && between) await between();
    r.clock.t += 2_500;
  }
  throw new Error('the check never decided');
}

describe("the balance check of a lost points refund counts the till's own payments for the member", { timeout: 60_000 }, () => {
  it('the soak case: the refund landed, the member paid 16 points at this till between the reads: landed', async () => {
    const r = await start();
    const voidRefund = await lostRefund(r, 'resetAfter');
    const check = await checkUntilDecided(r, voidRefund, async () => {
      expect(await r.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:2', BUSY, 16), signal)).toEqual({ type: 'applied' });
    });
    expect(points(r, BUSY)).toBe(START - 16);
    expect(check).toMatchObject({ type: 'landed' });
    if (check.type !== 'landed') return;
    expect(check.evidence.own).toEqual([{ key: 'oslo-1-till-7:tender:2', action: 'pay', delta: -16, counted: 'surely' }]);
    expect(check.evidence.readings.map((x) => x.balance)).toEqual([START, START - 16, START - 16]);
    expect(getPaymentOp(r.till.db, 'oslo-1-till-7:void:1')?.state).toBe('done');
  });

  it('the refund never landed, the member paid 16 points at this till before the reads: not landed', async () => {
    const r = await start();
    const voidRefund = await lostRefund(r, 'resetBefore');
    expect(await r.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:2', BUSY, 16), signal)).toEqual({ type: 'applied' });
    const check = await checkUntilDecided(r, voidRefund);
    expect(points(r, BUSY)).toBe(START - PAID - 16);
    expect(check).toMatchObject({ type: 'not_landed', resend: false });
    if (check.type !== 'not_landed') return;
    expect(check.evidence.own).toEqual([{ key: 'oslo-1-till-7:tender:2', action: 'pay', delta: -16, counted: 'surely' }]);
    // Not released: a resend waits for a manager's retry, as before.
    expect(getPaymentOp(r.till.db, 'oslo-1-till-7:void:1')?.state).toBe('uncertain');
  });

  it('an own payment whose answer was also lost is tried both ways: decided when both ways agree, undecided when they do not', async () => {
    const r = await start();
    const voidRefund = await lostRefund(r, 'resetAfter');
    // 16 points, answer lost (applied): the reading is START - 16 whether or not it counts; only "landed" fits.
    r.sandbox.setFaults({ routes: { 'loyalty.payment': { resetAfter: 1, times: 1 } } });
    expect(await r.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:2', BUSY, 16), signal)).toMatchObject({ uncertain: true });
    r.sandbox.setFaults({});
    const decided = await checkUntilDecided(r, voidRefund);
    expect(decided).toMatchObject({ type: 'landed' });
    if (decided.type !== 'landed') return;
    expect(decided.evidence.own).toEqual([{ key: 'oslo-1-till-7:tender:2', action: 'pay', delta: -16, counted: 'maybe' }]);

    // A second refund of PAID's size whose answer is lost while another pay of exactly that size is unknown too:
    // "refund landed, pay landed" and "neither landed" read the same.
    const r2 = rig;
    if (!r2) throw new Error('no rig');
    expect(await r2.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:3', BUSY, 5_000), signal)).toEqual({ type: 'applied' });
    r2.sandbox.setFaults({ routes: { 'loyalty.payment': { resetAfter: 1, times: 1 } } });
    const second = refund('oslo-1-till-7:void:3', 'oslo-1-till-7:tender:3', BUSY, 5_000);
    expect(await r2.till.connector.loyalty_payment(second, signal)).toMatchObject({ uncertain: true });
    r2.sandbox.setFaults({ routes: { 'loyalty.payment': { resetAfter: 1, times: 1 } } });
    expect(await r2.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:4', BUSY, 5_000), signal)).toMatchObject({ uncertain: true });
    r2.sandbox.setFaults({});
    const undecided = await checkUntilDecided(r2, second);
    expect(undecided).toMatchObject({ type: 'undecided' });
    if (undecided.type !== 'undecided') return;
    expect(undecided.detail).toMatch(/fits both outcomes/);
    expect(undecided.evidence.own).toContainEqual({ key: 'oslo-1-till-7:tender:4', action: 'pay', delta: -5_000, counted: 'maybe' });
    expect(getPaymentOp(r2.till.db, 'oslo-1-till-7:void:3')?.state).toBe('uncertain');
  });

  it("another member's payments at this till, even unknown ones of the same size, do not matter", async () => {
    const r = await start();
    const voidRefund = await lostRefund(r, 'resetBefore');
    r.sandbox.setFaults({ routes: { 'loyalty.payment': { resetAfter: 1, times: 1 } } });
    expect(await r.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:9', OTHER, PAID), signal)).toMatchObject({ uncertain: true });
    r.sandbox.setFaults({});
    expect(await r.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:10', OTHER, 16), signal)).toEqual({ type: 'applied' });
    const check = await checkUntilDecided(r, voidRefund);
    expect(check).toMatchObject({ type: 'not_landed' });
    if (check.type !== 'not_landed') return;
    expect(check.evidence.own).toBeUndefined();
    expect(points(r, OTHER)).toBe(START - PAID - 16);
  });

  it("the member paying at another till between the reads still leaves it to a manager", async () => {
    const r = await start();
    const voidRefund = await lostRefund(r, 'resetAfter');
    const check = await checkUntilDecided(r, voidRefund, async () => {
      expect(await r.otherTill.connector.loyalty_payment(pay('oslo-1-till-8:tender:1', BUSY, 16), signal)).toEqual({ type: 'applied' });
    });
    expect(points(r, BUSY)).toBe(START - 16);
    expect(check).toMatchObject({ type: 'undecided' });
    if (check.type !== 'undecided') return;
    expect(check.evidence.own).toBeUndefined();
    expect(check.detail).toContain(`${START} was expected if it landed, ${START - PAID} if not`);
    expect(getPaymentOp(r.till.db, 'oslo-1-till-7:void:1')?.state).toBe('uncertain');
  });
});
