/**
 * Every answer shape the Loyalty connector reads, as the published pages print it (§ = sections of
 * /work/shared/reference/loyalty-api.md; seed 004 = /work/shared/seeds/004_*.txt): both success shapes, each
 * documented error code, and the rule that an answer the docs do not describe is uncertain, never a success.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { getLoyaltyTransaction, getPaymentOp } from '../../../main/store/loyalty-confirmations';
import type { Reply } from '../../unit/sync/connectors/test-server';
import { effect, ledgerTransaction, MEMBER, pay, refund, rig, type Rig } from './rig';

let r: Rig | undefined;
afterEach(async () => {
  await r?.close();
  r = undefined;
});

/** Answers /payment (pay only: cancels get the documented success) with `reply`. */
function onPay(reply: Reply): (path: string, body: Record<string, unknown>) => Reply | undefined {
  return (path, body) => (path === '/v1/payment' && (body.payment as { action: string }).action === 'pay' ? reply : undefined);
}

describe('success shapes', () => {
  it('seed 004 verbatim, {"status":"success","confirmationCode":"ABC123"}: the code is kept, and the payment is cancelled and refunded later', async () => {
    r = await rig({ answer: onPay({ status: 200, body: { status: 'success', confirmationCode: 'ABC123' } }) });
    expect(await pay(r, 'R-1:pay:0', 300)).toEqual({ type: 'applied' });
    expect(getPaymentOp(r.db, 'R-1:pay:0')).toMatchObject({ state: 'done', confirmationCode: 'ABC123' });
    expect(await refund(r, 'RF-1:pay:0', 'R-1:pay:0', 100)).toEqual({ type: 'applied' });
    expect(await refund(r, 'V-1:pay:0', 'R-1:pay:0')).toEqual({ type: 'applied' });
    const cancels = r.server.seen.filter((s) => s.url === '/v1/payment').slice(1).map((s) => (s.body as { payment: unknown }).payment);
    expect(cancels).toEqual([
      { action: 'cancel', confirmationCode: 'ABC123', amount: -100 },
      { action: 'cancel', confirmationCode: 'ABC123', amount: -200 },
    ]);
    expect(r.server.problems).toEqual([]);
  });

  it('the top-level shape on /transaction too: the code is kept and cancels the transaction (seed 004, §2.5)', async () => {
    r = await rig({ shape: 'top-level' });
    await r.effects.transaction(effect('loyalty_transaction', 'R-1:tx', { member: MEMBER, transaction: ledgerTransaction('R-1') }));
    expect(getLoyaltyTransaction(r.db, 'R-1')?.confirmationCode).toBe('ABC001');
    expect(await r.effects.transaction(effect('loyalty_transaction', 'V-1:tx', { action: 'cancel', reverses: 'R-1:tx' }, 'V-1'))).toEqual({ type: 'applied' });
    expect(r.server.seen.at(-1)?.body).toMatchObject({ transaction: { action: 'cancel', confirmationCode: 'ABC001' } });
  });

  it('§2.6 verbatim, the code and newBalance inside `data`', async () => {
    const answer = { status: 'success', data: { confirmationCode: '3fa85f64-5717-4562-b3fc-2c963f66afa6', newBalance: { points: 1700, credit: 0 } } };
    r = await rig({ answer: onPay({ status: 200, body: answer }) });
    expect(await pay(r, 'R-1:pay:0', 300)).toEqual({ type: 'applied' });
    expect(getPaymentOp(r.db, 'R-1:pay:0')).toMatchObject({ state: 'done', confirmationCode: '3fa85f64-5717-4562-b3fc-2c963f66afa6', after: { points: 1700, credit: 0 } });
  });

  it('/member/details\' `"status":"ok"` sample with the member at the top level is read for the balance (§2.3)', async () => {
    r = await rig({ points: 4321 });
    await pay(r, 'R-1:pay:0', 300);
    expect(getPaymentOp(r.db, 'R-1:pay:0')?.before).toEqual({ points: 4321, credit: null });
  });
});

describe('documented errors (§4 envelope: {"status":"error","error":{"code","message","path"}})', () => {
  const refusals: [string, string, string][] = [
    ['407', 'creditBalance balance for members is insufficient to process the payment!', '§2.6'],
    ['1001', 'phoneNumber is not allowed', '§2.2, §2.7'],
    ['4001012', 'Member not found', '§4'],
    ['203', 'Cannot find any member with the given identifier!', 'seed 004, §2.2'],
  ];
  for (const [code, message, where] of refusals) {
    it(`${code} (${where}) is a final refusal: the payment is marked failed, not uncertain`, async () => {
      for (const status of [200, 400]) {
        r = await rig({ answer: onPay({ status, body: { status: 'error', error: { code, message, path: 'body.member.phoneNumber' } } }) });
        const result = await pay(r, 'R-1:pay:0', 300);
        expect(result.type).toBe('permanent');
        expect(getPaymentOp(r.db, 'R-1:pay:0')?.state).toBe('failed');
        await r.close();
        r = undefined;
      }
    });
  }

  it('500 "Server error" (§2.7) leaves the payment uncertain: not resent blindly', async () => {
    r = await rig({ answer: onPay({ status: 500, body: { status: 'error', error: { code: '500', message: 'Server error' } } }) });
    expect(await pay(r, 'R-1:pay:0', 300)).toMatchObject({ type: 'transient', uncertain: true });
    expect(getPaymentOp(r.db, 'R-1:pay:0')?.state).toBe('uncertain');
  });
});

describe('undocumented answers are uncertain, never success', () => {
  const answers: [string, Reply][] = [
    ['an unknown error code', { status: 400, body: { status: 'error', error: { code: '409', message: 'duplicate' } } }],
    ['an error code our sandbox invented', { status: 402, body: { status: 'error', error: { code: 'INSUFFICIENT_BALANCE', message: 'no' } } }],
    ['an error envelope without a code', { status: 200, body: { status: 'error', error: { message: 'something' } } }],
    ['a 2xx without a status', { status: 200, body: { confirmationCode: 'X1' } }],
    ['a 2xx with an unknown status', { status: 200, body: { status: 'pending', data: { confirmationCode: 'X1' } } }],
    ['an empty 2xx', { status: 200 }],
    ['a success envelope on HTTP 4xx', { status: 400, body: { status: 'success', confirmationCode: 'X1' } }],
    ['a text body', { status: 200, body: '<html>Bad gateway</html>' }],
  ];
  for (const [what, reply] of answers) {
    it(`${what}: the payment is uncertain, and only the outbox's balance check decides it`, async () => {
      r = await rig({ answer: onPay(reply) });
      const result = await pay(r, 'R-1:pay:0', 300);
      expect(result).toMatchObject({ type: 'transient', uncertain: true });
      expect(getPaymentOp(r.db, 'R-1:pay:0')?.state).toBe('uncertain');
      // Delivered again, it sends nothing and reads nothing: it answers uncertain, for the outbox to check.
      const before = r.server.seen.length;
      expect(await pay(r, 'R-1:pay:0', 300)).toMatchObject({ type: 'transient', uncertain: true, checkPayment: true });
      expect(r.server.seen.length).toBe(before);
      // The check reads the balance (the docs server did not move it): not landed, and not resent without a manager.
      const held = effect('loyalty_payment', 'R-1:pay:0', { member: MEMBER, payment: { action: 'pay', amount: 300 }, asset: 'points' });
      const first = await r.effects.checkPayment(held, { readings: [], resendAllowed: false });
      expect(first.type).toBe('read');
      const readings = first.type === 'read' ? first.evidence.readings : [];
      expect(await r.effects.checkPayment(held, { readings, resendAllowed: false })).toMatchObject({ type: 'not_landed', resend: false });
      expect(r.server.seen.slice(before).map((s) => s.url)).toEqual(['/v1/member/details', '/v1/member/details']);
    });
  }

  it('an undocumented answer to /transaction is not a delivered transaction', async () => {
    r = await rig({ answer: (path) => (path === '/v1/transaction' ? { status: 200, body: { ok: true } } : undefined) });
    const result = await r.effects.transaction(effect('loyalty_transaction', 'R-1:tx', { transaction: ledgerTransaction('R-1') }));
    expect(result.type).toBe('transient');
    expect(getLoyaltyTransaction(r.db, 'R-1')).toBeUndefined();
  });
});
