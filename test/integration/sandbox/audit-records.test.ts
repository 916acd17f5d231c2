/**
 * What the soak's audit reads from the sandbox: per idempotency key, what was applied (claims per ref, receipts,
 * wallet transactions per ref_id, payments per sale), and the `request` event that lets a chaos harness kill a
 * till while its request is on the wire.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startSandbox, type RequestEvent } from '../../../main/sandbox';
import { tempDir } from '../../helpers/temp-dir';
import { dintero, loyalty, refOf, sandbox } from './clients';

const OLA = { phoneNumber: '+4799999901' };

/** A whole Transaction: the sandbox checks a payment's `transaction` like the one of /transaction. */
const sale = (transactionId: string, amount: number): Record<string, unknown> => ({
  transactionId,
  dateTime: '2026-11-23T10:00:00Z',
  totalAmount: amount,
  items: [{ lineId: '1', code: 'c', name: 'n', departmentCode: 'GENERAL', departmentName: 'General', quantity: 1, grossAmount: amount, netAmount: amount }],
  meansOfPayment: [{ type: 'CREDIT', amount }],
});

describe('Sandbox records for an exactly-once audit', () => {
  it('keeps the sale a payment names, so payments can be counted per sale; a pay without one has none', async () => {
    const s = await sandbox({ demo: true });
    const call = loyalty(s);
    expect((await call('payment', { member: OLA, payment: { action: 'pay', amount: 500 }, transaction: sale('b-p-000001', 500) })).status).toBe(200);
    expect((await call('payment', { member: OLA, payment: { action: 'pay', amount: 700 }, transaction: sale('b-p-000001', 700) })).status).toBe(200);
    expect((await call('payment', { member: OLA, payment: { action: 'pay', amount: -200 } })).status).toBe(200);
    const payments = s.inspect().payments;
    expect(payments.map((p) => [p.transactionId, p.amount]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      [null, -200],
      ['b-p-000001', 500],
      ['b-p-000001', 700],
    ]);
  });

  it('sums the points each member earned by transactions not cancelled', async () => {
    const s = await sandbox({ demo: true });
    const call = loyalty(s);
    const tx = (id: string, amount: number) => ({
      member: OLA,
      transaction: {
        transactionId: id,
        dateTime: '2026-11-23T10:00:00Z',
        totalAmount: amount,
        items: [{ lineId: '1', code: 'x', name: 'X', departmentCode: 'd', departmentName: 'D', quantity: 1, grossAmount: amount, netAmount: amount }],
        payments: [{ type: 'CASH', amount }],
      },
    });
    expect((await call('transaction', tx('e-1', 25_000))).status).toBe(200);
    const second = await call('transaction', tx('e-2', 12_000));
    const ola = '5a7d0000-0000-4000-8000-000000000001';
    expect(s.inspect().pointsEarned).toEqual({ [ola]: 25 + 12 });
    // Seed 004's shape (the sandbox's default): the code beside `status`.
    const code = (second.body as { confirmationCode: string }).confirmationCode;
    expect((await call('transaction', { member: OLA, transaction: { action: 'cancel', confirmationCode: code } })).status).toBe(200);
    expect(s.inspect().pointsEarned).toEqual({ [ola]: 25 });
  });

  it('lists claims per ref (live and released), stored receipt ids and wallet transactions per ref_id', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const claim = {
      ref: 'b-p-000002:claim',
      purchase_at: '2026-11-23T10:00:00Z',
      customer_id: 'cust-0003',
      discounts: [{ id: 'demo-coffee-20kr', refs: [{ id: await refOf(call, 'cust-0003', 'demo-coffee-20kr'), amount: 2000, usage: 1 }] }],
    };
    const created = await call('POST', 'discounts/available_for_receipt/claims', claim);
    expect(created.status).toBe(200);
    expect((await call('POST', 'discounts/available_for_receipt/claims', claim)).status).toBe(409);
    const receipt = { receipt_id: 'b-p-000002', purchase_at: '2026-11-23T10:00:00Z', store: { id: 'demo-branch' }, items: [] };
    expect((await call('POST', 'receipts', [receipt])).body).toMatchObject({ duplicates: 0 });
    expect((await call('POST', 'receipts', [receipt])).body).toMatchObject({ duplicates: 1 });
    const drawdown = { token: 'GC1000000002', ref_id: 'b-p-000002:pay:0', amount: 1500, currency: 'NOK' };
    expect((await call('POST', 'wallets/transactions', drawdown)).status).toBe(200);
    expect((await call('POST', 'wallets/transactions', drawdown)).status).toBe(200);

    let seen = s.inspect();
    expect(seen.claimsByRef).toEqual({ 'b-p-000002:claim': { live: 1, released: 0 } });
    expect(seen.receiptIds).toEqual(['b-p-000002']);
    expect(seen.walletRefs).toEqual({ 'b-p-000002:pay:0': { count: 1, type: 'drawdown', amount: 1500, cardId: 'gc-0002' } });
    expect(seen.walletBalances['gc-0002']).toEqual({ balance: 100_000 - 1500, available: 100_000 - 1500 });

    const id = (created.body as { id: string }).id;
    expect((await call('DELETE', `discounts/available_for_receipt/claims/${id}`)).status).toBe(200);
    seen = s.inspect();
    expect(seen.claimsByRef).toEqual({ 'b-p-000002:claim': { live: 0, released: 1 } });
    expect(seen.claimsApplied).toEqual({ 'b-p-000002:claim': 1 });
  });

  it('emits `request` with the caller`s pos id before any fault, even for a request that is reset unanswered', async () => {
    const s = await sandbox({ demo: true, faults: { routes: { 'loyalty.payment': { resetBefore: 1, times: 1 } } } });
    const seen: RequestEvent[] = [];
    s.events.on('request', (e: RequestEvent) => seen.push(e));
    await expect(loyalty(s)('payment', { member: OLA, payment: { action: 'pay', amount: 100 } })).rejects.toThrow();
    expect(seen).toEqual([{ route: 'loyalty.payment', posId: 'till-1' }]);
    expect(s.inspect().payments).toEqual([]);
  });

  it('adds the payment column to a data file written before it existed, keeping its payments', async () => {
    const file = path.join(tempDir(), 'sandbox.sqlite');
    const first = await startSandbox({ dataFile: file, demo: true });
    expect((await loyalty(first)('payment', { member: OLA, payment: { action: 'pay', amount: 300 } })).status).toBe(200);
    await first.close();
    const old = new Database(file);
    old.exec('ALTER TABLE loyalty_payments DROP COLUMN transaction_id');
    old.close();

    const again = await startSandbox({ dataFile: file });
    try {
      expect((await loyalty(again)('payment', { member: OLA, payment: { action: 'pay', amount: 400 }, transaction: sale('t-2', 400) })).status).toBe(200);
      expect(again.inspect().payments.map((p) => [p.amount, p.transactionId]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
        [300, null],
        [400, 't-2'],
      ]);
    } finally {
      await again.close();
    }
  });
});
