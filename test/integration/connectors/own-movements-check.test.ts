import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { startSandbox, type DemoData, type SandboxHandle } from '../../../main/sandbox';
import { openDb, type WritableDb } from '../../../main/store';
import { getPaymentOp } from '../../../main/store/loyalty-confirmations';
import type { TillConnector } from '../../../main/sync/connectors/till-connector';
import type { Effect } from '../../../main/store/outbox';
import type { EffectToDeliver } from '../../../main/sync/outbox';
import { checkStep, DEFAULT_CHECK_TIMING, type CheckStep } from '../../../main/sync/outbox/payment-check';
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

/** The effect as the outbox keeps it while it checks: the evidence of the last step carries the reads. */
function held(target: EffectToDeliver, evidence: unknown): Effect {
  return {
    envelopeId: 0,
    seq: 0,
    kind: 'loyalty_payment',
    idempotencyKey: target.idempotencyKey,
    payload: target.payload,
    amountAtRisk: 0,
    state: 'uncertain',
    outcome: null,
    attempts: 1,
    sentAt: 0,
    lastError: null,
    nextAttemptAt: null,
    reasonCode: null,
    reason: null,
    waitsFor: null,
    evidence,
    resendAllowed: false,
  };
}

/** Checks as the outbox worker does (`checkStep`, one read per step, 2.5 s apart) until a verdict; `between` runs after the first read. */
async function checkUntilDecided(r: Rig, target: EffectToDeliver, between?: () => Promise<void>): Promise<Exclude<CheckStep, { next: 'uncertain' | 'send' }>> {
  let evidence: unknown = null;
  for (let step = 0; step < 5; step += 1) {
    const s = await checkStep(r.till.connector, target, held(target, evidence), r.clock.t, DEFAULT_CHECK_TIMING, signal);
    if (s.next === 'send') throw new Error(`the check sent it again: ${s.note}`);
    if (s.next !== 'uncertain') return s;
    evidence = s.evidence;
    if (step === 0 && between) await between();
    r.clock.t += DEFAULT_CHECK_TIMING.gapMs;
  }
  throw new Error('the check never decided');
}

describe("the balance check of a lost points refund counts the till's own payments for the member", { timeout: 60_000 }, () => {
  it('the soak case: the refund landed, the member paid 16 points at this till between the reads: landed', async () => {
    const r = await start();
    const voidRefund = await lostRefund(r, 'resetAfter');
    const step = await checkUntilDecided(r, voidRefund, async () => {
      expect(await r.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:2', BUSY, 16), signal)).toEqual({ type: 'applied' });
    });
    expect(points(r, BUSY)).toBe(START - 16);
    expect(step).toMatchObject({ next: 'done', evidence: { verdict: 'landed', before: START - PAID } });
    expect(step.evidence.own).toEqual([{ key: 'oslo-1-till-7:tender:2', action: 'pay', delta: -16, counted: 'surely' }]);
    expect(step.evidence.readings.map((x) => x.balance)).toEqual([START, START - 16, START - 16]);
    expect(getPaymentOp(r.till.db, 'oslo-1-till-7:void:1')?.state).toBe('done');
  });

  it('the refund never landed, the member paid 16 points at this till before the reads: not landed, and the manager sees the arithmetic', async () => {
    const r = await start();
    const voidRefund = await lostRefund(r, 'resetBefore');
    expect(await r.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:2', BUSY, 16), signal)).toEqual({ type: 'applied' });
    const step = await checkUntilDecided(r, voidRefund);
    expect(points(r, BUSY)).toBe(START - PAID - 16);
    expect(step).toMatchObject({ next: 'needs_attention', evidence: { verdict: 'not_landed' } });
    expect(step.evidence.own).toEqual([{ key: 'oslo-1-till-7:tender:2', action: 'pay', delta: -16, counted: 'surely' }]);
    if (step.next !== 'needs_attention') return;
    expect(step.reason).toContain(`points before ${START - PAID}, expected ${START - 16} if it landed (${START - PAID - 16} if not)`);
    expect(step.reason).toContain("this till's own movements for the member: pay oslo-1-till-7:tender:2 -16 (confirmed in between: counted)");
    expect(step.evidence.recommendation).toContain("moved only by this till's other payments for the member");
    // Not released: a resend waits for a manager's retry, as before.
    expect(getPaymentOp(r.till.db, 'oslo-1-till-7:void:1')?.state).toBe('uncertain');
  });

  it('an own payment whose answer was also lost is tried both ways: decided when both ways agree, undecided when they do not', async () => {
    const r = await start();
    const voidRefund = await lostRefund(r, 'resetAfter');
    // 16 points, answer lost (applied): the reading is START - 16 or START whether or not it counts; only "landed" fits.
    r.sandbox.setFaults({ routes: { 'loyalty.payment': { resetAfter: 1, times: 1 } } });
    expect(await r.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:2', BUSY, 16), signal)).toMatchObject({ uncertain: true });
    r.sandbox.setFaults({});
    const decided = await checkUntilDecided(r, voidRefund);
    expect(decided).toMatchObject({ next: 'done', evidence: { verdict: 'landed' } });
    expect(decided.evidence.own).toEqual([{ key: 'oslo-1-till-7:tender:2', action: 'pay', delta: -16, counted: 'maybe' }]);

    // A refund whose answer is lost while a pay of exactly its size is unknown too: "refund and pay landed" and
    // "neither landed" read the same balance. (The 16 points' answer was lost before this refund's before read:
    // in that balance if it landed at all, so it no longer counts.)
    expect(await r.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:3', BUSY, 5_000), signal)).toEqual({ type: 'applied' });
    r.sandbox.setFaults({ routes: { 'loyalty.payment': { resetAfter: 1, times: 1 } } });
    const second = refund('oslo-1-till-7:void:3', 'oslo-1-till-7:tender:3', BUSY, 5_000);
    expect(await r.till.connector.loyalty_payment(second, signal)).toMatchObject({ uncertain: true });
    r.sandbox.setFaults({ routes: { 'loyalty.payment': { resetAfter: 1, times: 1 } } });
    expect(await r.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:4', BUSY, 5_000), signal)).toMatchObject({ uncertain: true });
    r.sandbox.setFaults({});
    const undecided = await checkUntilDecided(r, second);
    expect(undecided).toMatchObject({ next: 'needs_attention', evidence: { verdict: 'undecided' } });
    expect(undecided.evidence.own).toEqual([{ key: 'oslo-1-till-7:tender:4', action: 'pay', delta: -5_000, counted: 'maybe' }]);
    if (undecided.next !== 'needs_attention') return;
    expect(undecided.reason).toMatch(/fits both outcomes/);
    expect(undecided.evidence.recommendation).toContain('another payment of this member at this till whose outcome is not known yet');
    expect(getPaymentOp(r.till.db, 'oslo-1-till-7:void:3')?.state).toBe('uncertain');
  });

  it("another member's payments at this till, even unknown ones of the same size, do not matter", async () => {
    const r = await start();
    const voidRefund = await lostRefund(r, 'resetBefore');
    r.sandbox.setFaults({ routes: { 'loyalty.payment': { resetAfter: 1, times: 1 } } });
    expect(await r.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:9', OTHER, PAID), signal)).toMatchObject({ uncertain: true });
    r.sandbox.setFaults({});
    expect(await r.till.connector.loyalty_payment(pay('oslo-1-till-7:tender:10', OTHER, 16), signal)).toEqual({ type: 'applied' });
    const step = await checkUntilDecided(r, voidRefund);
    expect(step).toMatchObject({ next: 'needs_attention', evidence: { verdict: 'not_landed' } });
    expect(step.evidence.own).toBeUndefined();
    expect(points(r, OTHER)).toBe(START - PAID - 16);
  });

  it('the member paying at another till between the reads still leaves it to a manager', async () => {
    const r = await start();
    const voidRefund = await lostRefund(r, 'resetAfter');
    const step = await checkUntilDecided(r, voidRefund, async () => {
      expect(await r.otherTill.connector.loyalty_payment(pay('oslo-1-till-8:tender:1', BUSY, 16), signal)).toEqual({ type: 'applied' });
    });
    expect(points(r, BUSY)).toBe(START - 16);
    expect(step).toMatchObject({ next: 'needs_attention', evidence: { verdict: 'undecided' } });
    expect(step.evidence.own).toBeUndefined();
    if (step.next !== 'needs_attention') return;
    expect(step.reason).toContain(`${START} was expected if it landed, ${START - PAID} if not`);
    expect(step.evidence.recommendation).toContain('another till, points earned');
    expect(getPaymentOp(r.till.db, 'oslo-1-till-7:void:1')?.state).toBe('uncertain');
  });
});
