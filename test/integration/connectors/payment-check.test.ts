import { describe, expect, it } from 'vitest';
import { enqueueEnvelope, listEffects, outboxStatus, retryEffect } from '../../../main/store/outbox';
import { MEMBER, PAY, SANDBOX_DATA, START_CREDIT, saleEnvelope } from './fixtures';
import { type OutboxRig, useOutboxRig } from '../../helpers/outbox-rig';

/**
 * The uncertain-payment check (main/sync/outbox/payment-check.ts) against the sandbox's faults on `/payment`: a
 * reset after the sandbox applied the payment, and a reset before it did. Whatever the fault, the member is
 * debited once and the payment is not lost (issue 15).
 */
type Rig = OutboxRig;
const start = useOutboxRig({ seed: 15, sandbox: { strictIdentification: true, data: SANDBOX_DATA, paymentAsset: 'credit' } });

function paymentEffect(r: Rig): ReturnType<typeof listEffects>[number] {
  const pay = listEffects(r.db, 1).find((e) => e.kind === 'loyalty_payment');
  if (!pay) throw new Error('the sale has no loyalty payment');
  return pay;
}

const payments = (r: Rig): number => r.sandbox.inspect().payments.filter((p) => !p.cancelled).length;
const credit = (r: Rig): number | undefined => r.sandbox.inspect().memberBalances[MEMBER.membershipKey]?.credit;

describe('uncertain payment check under the sandbox faults on /payment', { timeout: 60_000 }, () => {
  it('a reset after the payment was applied: the check proves it landed, and it is never sent again', async () => {
    const r = await start();
    r.sandbox.setFaults({ routes: { 'loyalty.payment': { resetAfter: 1 } } });
    r.db.transaction(() => enqueueEnvelope(r.db, saleEnvelope('oslo-1-till-7-000001'), r.time.clock.now()))();
    await r.worker.drain({ waitForRetriesMs: 3600_000 });
    const pay = paymentEffect(r);
    expect(pay).toMatchObject({ state: 'done', outcome: 'applied' });
    expect(pay.evidence).toMatchObject({ verdict: 'landed' });
    expect(r.sandbox.inspect().faults['loyalty.payment']).toMatchObject({ 'reset-after': 1 });
    expect(payments(r)).toBe(1);
    expect(credit(r)).toBe(START_CREDIT - PAY.credit);
    expect(outboxStatus(r.db, r.time.clock.now()).counts.done).toBe(1);
  });

  it('a reset before it was applied: the check proves it did not land, and a manager retry sends it once', async () => {
    const r = await start();
    r.sandbox.setFaults({ routes: { 'loyalty.payment': { resetBefore: 1 } } });
    r.db.transaction(() => enqueueEnvelope(r.db, saleEnvelope('oslo-1-till-7-000001'), r.time.clock.now()))();
    await r.worker.drain({ waitForRetriesMs: 3600_000 });
    const waiting = paymentEffect(r);
    // Never resent by itself: the balance did not move, so the manager is told to retry.
    expect(waiting).toMatchObject({ state: 'needs_attention', reasonCode: 'uncertain' });
    expect(waiting.evidence).toMatchObject({ verdict: 'not_landed' });
    expect(payments(r)).toBe(0);
    expect(credit(r)).toBe(START_CREDIT);
    // The rest of the sale was delivered regardless.
    expect(listEffects(r.db, 1).filter((e) => e.kind !== 'loyalty_payment' && e.kind !== 'loyalty_transaction').every((e) => e.state === 'done')).toBe(true);

    r.sandbox.setFaults({});
    retryEffect(r.db, { envelopeId: 1, seq: waiting.seq }, r.time.clock.now(), 'test: manager retries');
    await r.worker.drain({ waitForRetriesMs: 3600_000 });
    expect(paymentEffect(r)).toMatchObject({ state: 'done', outcome: 'applied' });
    expect(payments(r)).toBe(1);
    expect(credit(r)).toBe(START_CREDIT - PAY.credit);
    // A second manager retry of a done payment is refused: it cannot be sent twice.
    expect(() => retryEffect(r.db, { envelopeId: 1, seq: waiting.seq }, r.time.clock.now())).toThrow(/done/);
  });
});
