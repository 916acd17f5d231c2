/**
 * Every request the Loyalty connector sends, checked field by field against the published pages
 * (published-shapes.ts; § = /work/shared/reference/loyalty-api.md). The server is a real loopback server that
 * answers as the docs show, not our sandbox.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getPaymentOp } from '../../../main/store/loyalty-confirmations';
import type { LoyaltyWire } from '../../../main/sync/connectors/loyalty/transaction-body';
import { checkBody, checkHeaders } from './published-shapes';
import { effect, ledgerTransaction, MEMBER, pay, refund, rig, type Rig } from './rig';

let r: Rig | undefined;
afterEach(async () => {
  await r?.close();
  r = undefined;
});

function paths(rig: Rig): string[] {
  return rig.server.seen.map((s) => s.url);
}

describe('requests (§1 headers, §2 endpoints, §3 objects)', () => {
  it('the checks themselves catch what the docs forbid (a stub transaction, a negative pay, a missing header)', () => {
    expect(checkBody('/v1/payment', { member: MEMBER, payment: { action: 'pay', amount: -5 }, transaction: { transactionId: 'R-1' } })).toEqual(
      expect.arrayContaining(['payment.amount: positive for pay (§3.4)', 'transaction.openTime: required, missing', 'transaction.meansOfPayment: required, missing']),
    );
    expect(checkBody('/v1/payment', { member: {}, payment: { action: 'cancel', confirmationCode: 'X' } })).toEqual(
      expect.arrayContaining(['member: at least one identifier is required (§3.1)', 'payment.amount: required, missing']),
    );
    expect(checkHeaders({ 'content-type': 'application/json', 'x-api-key': 'k', 'x-source-type': 'POS', 'x-source-name': 'n', 'x-branch-id': 'b' })).toEqual(['header x-pos-id: required (§1)']);
    expect(checkBody('/v1/transaction', { transaction: { ...ledgerTransaction('R'), items: [{ lineId: '1', code: 'c', name: 'n', quantity: 1, grossAmount: 100, netAmount: 100 }] } })).toEqual(
      expect.arrayContaining(['transaction.items[0].departmentCode: required, missing', 'transaction.payments: not a documented field']),
    );
  });

  it('/transaction: the full Transaction (§3.2) with every required Item field (§3.3), the five headers, POST', async () => {
    r = await rig();
    const result = await r.effects.transaction(effect('loyalty_transaction', 'R-1:tx', { member: MEMBER, transaction: ledgerTransaction('R-1') }));
    expect(result).toEqual({ type: 'applied' });
    expect(paths(r)).toEqual(['/v1/transaction']);
    expect(r.server.problems).toEqual([]);
    const sent = r.server.seen[0]?.body as { transaction: Record<string, unknown> };
    // From the ledger's real values: totals, gross and net per line, the payment breakdown under its reference name.
    expect(sent.transaction).toMatchObject({ transactionId: 'R-1', totalAmount: 5000, totalTaxAmount: 1000, totalGeneralDiscount: 0, meansOfPayment: [{ type: 'POINTS', amount: 300 }, { type: 'CASH', amount: 4400 }] });
    expect((sent.transaction.items as unknown[])[0]).toMatchObject({ grossAmount: 3000, netAmount: 2700, departmentCode: 'GENERAL' });
  });

  it('/payment pay: member, a positive amount and the full transaction (§2.6, §3.4), after a /member/details read (§2.3)', async () => {
    r = await rig();
    expect(await pay(r, 'R-1:pay:0', 300)).toEqual({ type: 'applied' });
    expect(paths(r)).toEqual(['/v1/member/details', '/v1/payment']);
    expect(r.server.problems).toEqual([]);
    expect(r.server.seen[1]?.body).toMatchObject({ member: MEMBER, payment: { action: 'pay', amount: 300 }, transaction: { transactionId: 'R-1' } });
  });

  it('/payment cancel: the confirmation code and a negative amount, whole or in part (§3.4 reference page)', async () => {
    r = await rig();
    await pay(r, 'R-1:pay:0', 300);
    const code = getPaymentOp(r.db, 'R-1:pay:0')?.confirmationCode;
    expect(code).toMatch(/^3fa85f64-/);
    expect(await refund(r, 'RF-1:pay:0', 'R-1:pay:0', 100)).toEqual({ type: 'applied' });
    expect(await refund(r, 'RF-2:pay:0', 'R-1:pay:0')).toEqual({ type: 'applied' });
    expect(r.server.problems).toEqual([]);
    const cancels = r.server.seen.filter((s) => s.url === '/v1/payment').slice(1).map((s) => (s.body as { payment: unknown }).payment);
    expect(cancels).toEqual([
      { action: 'cancel', confirmationCode: code, amount: -100 },
      { action: 'cancel', confirmationCode: code, amount: -200 },
    ]);
    // Both refunds moved the documented balance back to where it started.
    expect(r.server.points).toBe(10_000);
  });

  it('loyalty.wire set to the examples\' spelling: payments, subtotal/total, and a whole cancel without amount (flow page)', async () => {
    const wire: LoyaltyWire = { paymentsField: 'payments', itemAmounts: 'subtotal/total', cancelAmount: 'omit', partialRefund: 'cancel' };
    r = await rig({ names: { payments: 'payments', amounts: 'subtotal/total' }, cancelAmount: 'omit' }, wire);
    await pay(r, 'R-1:pay:0', 300);
    expect(await refund(r, 'V-1:pay:0', 'R-1:pay:0')).toEqual({ type: 'applied' });
    expect(await r.effects.transaction(effect('loyalty_transaction', 'R-1:tx', { transaction: ledgerTransaction('R-1') }))).toEqual({ type: 'applied' });
    expect(r.server.problems).toEqual([]);
    const whole = r.server.seen.filter((s) => s.url === '/v1/payment')[1]?.body as { payment: Record<string, unknown> };
    expect(whole.payment).not.toHaveProperty('amount');
  });

  it('a sale cancel refunds its loyalty payment, then cancels the transaction by its confirmation code (§2.5)', async () => {
    r = await rig();
    await pay(r, 'R-1:pay:0', 300);
    await r.effects.transaction(effect('loyalty_transaction', 'R-1:tx', { member: MEMBER, transaction: ledgerTransaction('R-1') }));
    expect(await r.effects.transaction(effect('loyalty_transaction', 'V-1:tx', { action: 'cancel', reverses: 'R-1:tx', member: MEMBER }, 'V-1'))).toEqual({ type: 'applied' });
    expect(r.server.problems).toEqual([]);
    const last = r.server.seen.at(-1)?.body as { transaction: Record<string, unknown> };
    expect(last.transaction).toMatchObject({ action: 'cancel', confirmationCode: 'ABC002' });
    expect(r.server.points).toBe(10_000);
  });

  it('/member/register, /member/update and /event carry their documented fields (§2.1, §2.2, §2.7)', async () => {
    r = await rig();
    const register = { phoneNumber: '5511122233', email: 'member@example.com', firstName: 'John', lastName: 'Doe', allowedSMS: true, allowedEmail: false, termsOfUse: true, gdpr: true, birthday: '1990-01-01' };
    expect(await r.effects.memberRegister(effect('member_register', 'reg-1', register))).toEqual({ type: 'applied' });
    expect(await r.effects.memberUpdate(effect('member_update', 'upd-1', { member: { id: MEMBER.membershipKey }, newMemberData: { firstName: 'Jon' } }))).toEqual({ type: 'applied' });
    expect(await r.effects.event(effect('loyalty_event', 'ev-1', { member: MEMBER, event: { type: 'signup', subType: 'web', dateTime: '2025-06-23T13:29:39.487Z', payload: { campaign: 'summer2025' } } }))).toEqual({ type: 'applied' });
    expect(paths(r)).toEqual(['/v1/member/register', '/v1/member/update', '/v1/event']);
    expect(r.server.problems).toEqual([]);
    // The till's member id is the API's membershipKey (§3.1).
    expect(r.server.seen[1]?.body).toEqual({ member: { membershipKey: MEMBER.membershipKey }, newMemberData: { firstName: 'Jon' } });
  });
});
