import { describe, expect, it } from 'vitest';
import { attachPaymentOpsToSale, getPaymentOp } from '../../../main/store/loyalty-confirmations';
import { enqueueEnvelope, getEffectByKey, retryEffect, type NewEnvelope } from '../../../main/store/outbox';
import { type EffectToDeliver } from '../../../main/sync/outbox';
import { MEMBER, PAY, SANDBOX_DATA, START_CREDIT, saleEnvelope } from './fixtures';
import { type OutboxRig, useOutboxRig } from '../../helpers/outbox-rig';

/**
 * A `/payment` attempt whose answer was lost, met again by the connector (a pay delivered again, a refund of it,
 * a cancelled sale's refund retried) while the same member's other payments at this till landed meanwhile. Only
 * the outbox's balance check, which counts those payments (own-movements.ts), decides such an attempt; the
 * connector never decides "send again" from a balance of its own (docs/sync.md, "Uncertain payments").
 * Real sandbox over loopback (it debits on every repeated pay), real SQLite files.
 */
type Rig = OutboxRig;
const start = useOutboxRig({ seed: 28, sandbox: { strictIdentification: true, data: SANDBOX_DATA, paymentAsset: 'credit' } });

const signal = new AbortController().signal;
const member = MEMBER.membershipKey;

function effect(key: string, payload: unknown): EffectToDeliver {
  return { envelopeId: 0, envelopeRef: key, seq: 0, kind: 'loyalty_payment', idempotencyKey: key, payload, amountAtRisk: 0, attempt: 1 };
}
const pay = (key: string, amount: number): EffectToDeliver => effect(key, { member: { id: member }, payment: { action: 'pay', amount }, asset: 'credit' });
const refund = (key: string, reverses: string, amount: number): EffectToDeliver =>
  effect(key, { member: { id: member }, payment: { action: 'cancel', amount }, asset: 'credit', reverses });

/** The refund of a payment made at tender time, as main/core/sale/tender-refunds.ts plans it. */
function tenderRefund(paymentKey: string, amount: number): NewEnvelope {
  const payload = { member: { id: member }, payment: { action: 'cancel', amount }, asset: 'credit', reverses: paymentKey };
  return { kind: 'void', ref: paymentKey, orderingKey: `member:${member}`, effects: [{ kind: 'loyalty_payment', idempotencyKey: `${paymentKey}:refund`, payload }] };
}

/** A void that only cancels the sale's Loyalty transaction, which first refunds the sale's payments. */
function voidTransaction(voidId: string, saleId: string): NewEnvelope {
  const payload = { action: 'cancel', reverses: `${saleId}:tx`, transactionId: voidId };
  return { kind: 'void', ref: voidId, orderingKey: MEMBER.customerId, effects: [{ kind: 'loyalty_transaction', idempotencyKey: `${voidId}:tx`, payload }] };
}

const enqueue = (r: Rig, env: NewEnvelope): void => {
  r.db.transaction(() => enqueueEnvelope(r.db, env, r.time.clock.now()))();
};
const credit = (r: Rig): number | undefined => r.sandbox.inspect().memberBalances[member]?.credit;
const paymentRequests = (r: Rig): number => r.sandbox.inspect().requests['loyalty.payment'] ?? 0;
const lose = (r: Rig, fault: 'resetAfter' | 'resetBefore'): void => r.sandbox.setFaults({ routes: { 'loyalty.payment': { [fault]: 1, times: 1 } } });

describe('a /payment attempt whose answer was lost is decided only by the outbox balance check', { timeout: 60_000 }, () => {
  it('a pay delivered again after a refund of the same size for the member landed: never sent again (no second debit)', async () => {
    const r = await start();
    expect(await r.connector.loyalty_payment(pay('oslo-1-till-7:tender:1', PAY.credit), signal)).toEqual({ type: 'applied' });
    // The second sale's points payment: applied, its answer lost.
    lose(r, 'resetAfter');
    expect(await r.connector.loyalty_payment(pay('oslo-1-till-7:tender:2', PAY.credit), signal)).toMatchObject({ type: 'transient', uncertain: true });
    r.sandbox.setFaults({});
    // The first sale is refunded meanwhile: the balance is back where it was before the lost payment.
    expect(await r.connector.loyalty_payment(refund('oslo-1-till-7:tender:1:refund', 'oslo-1-till-7:tender:1', PAY.credit), signal)).toEqual({ type: 'applied' });
    expect(credit(r)).toBe(START_CREDIT - PAY.credit);
    const sent = paymentRequests(r);

    const again = await r.connector.loyalty_payment(pay('oslo-1-till-7:tender:2', PAY.credit), signal);
    expect(again).toMatchObject({ type: 'transient', uncertain: true });
    expect(paymentRequests(r)).toBe(sent);
    expect(credit(r)).toBe(START_CREDIT - PAY.credit);
    expect(getPaymentOp(r.db, 'oslo-1-till-7:tender:2')?.state).toBe('uncertain');
  });

  it('a refund retried by a cancelled sale, its first answer lost, while the member paid the same amount: the check settles it, never resent', async () => {
    const r = await start();
    enqueue(r, saleEnvelope('oslo-1-till-7-000001', { giftCard: false }));
    await r.worker.drain({ waitForRetriesMs: 3600_000 });
    expect(credit(r)).toBe(START_CREDIT - PAY.credit);
    // The void cancels the Loyalty transaction, which first refunds the sale's payment: that refund's answer is lost.
    enqueue(r, voidTransaction('oslo-1-till-7-000002', 'oslo-1-till-7-000001'));
    lose(r, 'resetAfter');
    await r.worker.drain({ waitForRetriesMs: 0 });
    r.sandbox.setFaults({});
    expect(getPaymentOp(r.db, 'oslo-1-till-7-000001:pay:1:cancel')?.state).toBe('uncertain');
    expect(credit(r)).toBe(START_CREDIT);
    // The member pays the same amount at tender time before the retry: the balance reads as if the refund never landed.
    expect(await r.connector.loyalty_payment(pay('oslo-1-till-7:tender:3', PAY.credit), signal)).toEqual({ type: 'applied' });
    const sent = paymentRequests(r);

    await r.worker.drain({ waitForRetriesMs: 3600_000 });
    expect(paymentRequests(r)).toBe(sent);
    expect(getPaymentOp(r.db, 'oslo-1-till-7-000001:pay:1:cancel')?.state).toBe('done');
    expect(getEffectByKey(r.db, 'oslo-1-till-7-000002:tx')).toMatchObject({ state: 'done' });
    expect(r.sandbox.inspect().loyaltyTransactions['oslo-1-till-7-000001']?.cancelled).toBe(true);
    expect(credit(r)).toBe(START_CREDIT - PAY.credit);
  });

  it("a cancelled sale paid with points at tender time: its refund's lost answer is checked on the asset the pay's answer showed", async () => {
    const r = await start();
    const key = 'oslo-1-till-7:tender:5';
    const sale = 'oslo-1-till-7-000005';
    expect(await r.connector.loyalty_payment(pay(key, PAY.credit), signal)).toEqual({ type: 'applied' });
    // At commit the tender-time payment becomes the sale's (sale-commit.ts); it has no outbox effect of its own.
    attachPaymentOpsToSale(r.db, [key], sale);
    const tx = saleEnvelope(sale, { giftCard: false }).effects.find((e) => e.kind === 'loyalty_transaction');
    expect(await r.connector.loyalty_transaction({ ...effect(`${sale}:tx`, tx?.payload), kind: 'loyalty_transaction' }, signal)).toEqual({ type: 'applied' });
    enqueue(r, voidTransaction('oslo-1-till-7-000006', sale));
    lose(r, 'resetAfter');
    await r.worker.drain({ waitForRetriesMs: 0 });
    r.sandbox.setFaults({});
    expect(getPaymentOp(r.db, `${key}:cancel`)?.state).toBe('uncertain');
    expect(await r.connector.loyalty_payment(pay('oslo-1-till-7:tender:6', PAY.credit), signal)).toEqual({ type: 'applied' });
    const sent = paymentRequests(r);

    await r.worker.drain({ waitForRetriesMs: 3600_000 });
    expect(getEffectByKey(r.db, 'oslo-1-till-7-000006:tx')).toMatchObject({ state: 'done' });
    expect(getPaymentOp(r.db, `${key}:cancel`)?.state).toBe('done');
    expect(r.sandbox.inspect().loyaltyTransactions[sale]?.cancelled).toBe(true);
    expect(paymentRequests(r)).toBe(sent);
    expect(credit(r)).toBe(START_CREDIT - PAY.credit);
  });

  it("a void whose own refund's answer was lost: the sale's transaction is not cancelled until the check settles the refund", async () => {
    const r = await start();
    const key = 'oslo-1-till-7:tender:8';
    const sale = 'oslo-1-till-7-000008';
    expect(await r.connector.loyalty_payment(pay(key, PAY.credit), signal)).toEqual({ type: 'applied' });
    attachPaymentOpsToSale(r.db, [key], sale);
    const tx = saleEnvelope(sale, { giftCard: false }).effects.find((e) => e.kind === 'loyalty_transaction');
    expect(await r.connector.loyalty_transaction({ ...effect(`${sale}:tx`, tx?.payload), kind: 'loyalty_transaction' }, signal)).toEqual({ type: 'applied' });
    // The void: the payment's refund, then the transaction's cancel (which would take back what the sale earned).
    const refundEffect = tenderRefund(key, PAY.credit).effects[0];
    const cancelEffect = voidTransaction('oslo-1-till-7-000009', sale).effects[0];
    if (!refundEffect || !cancelEffect) throw new Error('fixture');
    enqueue(r, { kind: 'void', ref: 'oslo-1-till-7-000009', orderingKey: MEMBER.customerId, effects: [refundEffect, cancelEffect] });
    lose(r, 'resetAfter');
    await r.worker.drain({ waitForRetriesMs: 0 });
    r.sandbox.setFaults({});
    expect(getPaymentOp(r.db, `${key}:refund`)?.state).toBe('uncertain');
    expect(credit(r)).toBe(START_CREDIT);
    // The balance the check reads must be the refund's alone: the transaction is still standing.
    expect(r.sandbox.inspect().loyaltyTransactions[sale]?.cancelled).not.toBe(true);

    await r.worker.drain({ waitForRetriesMs: 3600_000 });
    expect(getPaymentOp(r.db, `${key}:refund`)?.state).toBe('done');
    expect(getEffectByKey(r.db, 'oslo-1-till-7-000009:tx')).toMatchObject({ state: 'done' });
    expect(r.sandbox.inspect().loyaltyTransactions[sale]?.cancelled).toBe(true);
    expect(credit(r)).toBe(START_CREDIT);
  });

  it('the refund of a tender-time payment that never landed, while the cashier took it again: the check, then the manager, never a false "landed"', async () => {
    const r = await start();
    lose(r, 'resetBefore');
    expect(await r.connector.loyalty_payment(pay('oslo-1-till-7:tender:1', PAY.credit), signal)).toMatchObject({ type: 'transient', uncertain: true });
    r.sandbox.setFaults({});
    // Taken again under a new key: it lands, moving the balance by exactly the lost one's amount.
    expect(await r.connector.loyalty_payment(pay('oslo-1-till-7:tender:2', PAY.credit), signal)).toEqual({ type: 'applied' });
    enqueue(r, tenderRefund('oslo-1-till-7:tender:1', PAY.credit));
    const sent = paymentRequests(r);

    await r.worker.drain({ waitForRetriesMs: 3600_000 });
    const waiting = getEffectByKey(r.db, 'oslo-1-till-7:tender:1:refund');
    expect(waiting).toMatchObject({ state: 'needs_attention', reasonCode: 'uncertain' });
    expect(waiting?.evidence).toMatchObject({ verdict: 'not_landed', refundOf: 'oslo-1-till-7:tender:1' });
    expect(JSON.stringify(waiting?.evidence)).toContain('nothing to give back');
    expect(getPaymentOp(r.db, 'oslo-1-till-7:tender:1')?.state).toBe('uncertain');
    expect(paymentRequests(r)).toBe(sent);

    // The manager retries: checked once more, still not there, so the refund closes with nothing given back.
    if (!waiting) return;
    retryEffect(r.db, { envelopeId: waiting.envelopeId, seq: waiting.seq }, r.time.clock.now(), 'test: manager retries');
    await r.worker.drain({ waitForRetriesMs: 3600_000 });
    expect(getEffectByKey(r.db, 'oslo-1-till-7:tender:1:refund')).toMatchObject({ state: 'done', outcome: 'already_applied' });
    expect(getPaymentOp(r.db, 'oslo-1-till-7:tender:1')?.state).toBe('failed');
    expect(paymentRequests(r)).toBe(sent);
    expect(credit(r)).toBe(START_CREDIT - PAY.credit);
  });

  it('the refund of a tender-time payment that landed but whose answer (and code) was lost: refused for the manager, told what to give back; nothing is sent', async () => {
    const r = await start();
    lose(r, 'resetAfter');
    expect(await r.connector.loyalty_payment(pay('oslo-1-till-7:tender:4', PAY.credit), signal)).toMatchObject({ type: 'transient', uncertain: true });
    r.sandbox.setFaults({});
    expect(credit(r)).toBe(START_CREDIT - PAY.credit);
    enqueue(r, tenderRefund('oslo-1-till-7:tender:4', PAY.credit));
    const sent = paymentRequests(r);

    await r.worker.drain({ waitForRetriesMs: 3600_000 });
    // The balance check proved the pay landed; a refund through the API needs its confirmation code, which never came.
    expect(getPaymentOp(r.db, 'oslo-1-till-7:tender:4')).toMatchObject({ state: 'done', confirmationCode: null });
    const waiting = getEffectByKey(r.db, 'oslo-1-till-7:tender:4:refund');
    // Not an unknown outcome (the pay landed, the refund was not sent): refused, for a manager, saying what to give back.
    expect(waiting).toMatchObject({ state: 'needs_attention', reasonCode: 'rejected' });
    expect(waiting?.reason).toContain('confirmation code was lost');
    expect(waiting?.reason).toContain(`give back ${PAY.credit} in member credit`);
    expect(waiting?.reason).toContain('Loyalty back office');
    expect(paymentRequests(r)).toBe(sent);
    expect(credit(r)).toBe(START_CREDIT - PAY.credit);
  });

  it('a refund of a payment this till has no record of goes to the manager; nothing is sent', async () => {
    const r = await start();
    enqueue(r, tenderRefund('oslo-1-till-9:tender:77', PAY.credit));
    await r.worker.drain({ waitForRetriesMs: 3600_000 });
    const waiting = getEffectByKey(r.db, 'oslo-1-till-9:tender:77:refund');
    expect(waiting).toMatchObject({ state: 'needs_attention', reasonCode: 'uncertain' });
    expect(waiting?.reason).toContain('has no record of the payment');
    expect(paymentRequests(r)).toBe(0);
    expect(credit(r)).toBe(START_CREDIT);
  });
});
