import { describe, expect, it } from 'vitest';
import { balancesOf, newBalanceOf } from '../../../../../main/sync/connectors/loyalty/member-balance';
import { apiItem, apiTransaction } from '../../../../../main/sync/connectors/loyalty/transaction-body';

describe('balancesOf', () => {
  it('reads points and credit wherever the documented samples put them', () => {
    expect(balancesOf({ member: { points: 5, credit: 7 } })).toEqual({ points: 5, credit: 7 });
    expect(balancesOf({ points: 5, creditBalance: 9 })).toEqual({ points: 5, credit: 9 });
    expect(balancesOf({ member: { balance: { points: 1 } } })).toEqual({ points: 1, credit: null });
    expect(newBalanceOf({ newBalance: { points: 1700, credit: 0 } })).toEqual({ points: 1700, credit: 0 });
  });
});

describe('apiTransaction', () => {
  it('keeps only the API fields and maps the ledger item names', () => {
    const t = apiTransaction({ transactionId: 'x', dateTime: 'd', totalAmount: 10, refersTo: 'r', items: [{ lineId: '1', code: 'c', name: 'n', quantity: 1, price: 12, amount: 10 }] }, 'sale-1');
    expect(t).toEqual({
      transactionId: 'sale-1',
      dateTime: 'd',
      totalAmount: 10,
      meansOfPayment: [],
      items: [{ lineId: '1', code: 'c', name: 'n', departmentCode: 'GENERAL', departmentName: 'General', quantity: 1, grossAmount: 10, netAmount: 10 }],
    });
  });
  it('sends the ledger line gross and net, and the names the settings choose', () => {
    const raw = { transactionId: 'x', dateTime: 'd', totalAmount: 1200, payments: [{ type: 'CASH', amount: 1000 }], items: [{ lineId: '1', code: 'c', name: 'n', quantity: 2, grossAmount: 1200, netAmount: 1000 }] };
    expect(apiTransaction(raw, 's')).toMatchObject({ meansOfPayment: [{ type: 'CASH', amount: 1000 }], items: [{ grossAmount: 1200, netAmount: 1000 }] });
    const examples = apiTransaction(raw, 's', { paymentsField: 'payments', itemAmounts: 'subtotal/total', cancelAmount: 'omit', partialRefund: 'negative_pay' });
    expect(examples).toMatchObject({ payments: [{ type: 'CASH', amount: 1000 }], items: [{ subtotal: 1200, total: 1000 }] });
    expect(examples).not.toHaveProperty('meansOfPayment');
    expect(examples.items).not.toContainEqual(expect.objectContaining({ grossAmount: 1200 }));
  });
  it('marks negative lines as returns with positive amounts', () => {
    expect(apiItem({ lineId: 2, code: 'c', name: 'n', quantity: -1, amount: -500 })).toMatchObject({ lineId: '2', quantity: 1, netAmount: 500, action: 'return' });
  });
});
