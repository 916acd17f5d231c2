import { describe, expect, it } from 'vitest';
import type { SaleView } from '../../../../main/api/contract';
import { unavailable } from '../../../../renderer/cashier/availability';

type Sale = Parameters<typeof unavailable>[1]['sale'];
const line = { lineId: 1 } as SaleView['lines'][number];
const shift: SaleView['shift'] = { businessDay: { id: 1, businessDate: '2026-12-05' }, shift: { id: 1, operatorId: 'kari', openedAt: '2026-12-05T08:00:00Z' } };
const noChecks: SaleView['checks'] = { mode: 'cashier', pending: [], approvals: [] };
const ageCheck = { ...noChecks, pending: [{ lineId: 1, kind: 'age', description: 'Lager', ageLimit: 18 }] } as SaleView['checks'];
const base: Sale = { lines: [line], tenders: [], remaining: 4000, checks: noChecks, shift, help: null, lastReceipt: null };

describe('what the cashier cannot do now, and why', () => {
  it('holds every payment while an ID check is pending, and names it', () => {
    for (const a of ['cash', 'card', 'giftCard', 'points'] as const) {
      expect(unavailable(a, { sale: base, selected: 1 })).toBeUndefined();
      expect(unavailable(a, { sale: { ...base, checks: ageCheck }, selected: 1 })).toBe('checks-pending');
    }
    expect(unavailable('approve', { sale: { ...base, checks: ageCheck }, selected: 1 })).toBeUndefined();
    expect(unavailable('approve', { sale: base, selected: 1 })).toBe('nothing-to-approve');
  });

  it('refuses payments on an empty basket, with no shift, or with nothing left to pay', () => {
    expect(unavailable('cash', { sale: { ...base, lines: [] }, selected: undefined })).toBe('empty-basket');
    expect(unavailable('card', { sale: { ...base, shift: { businessDay: null, shift: null } }, selected: 1 })).toBe('no-shift');
    expect(unavailable('cash', { sale: { ...base, remaining: 0 }, selected: 1 })).toBe('nothing-due');
    // Cash held above the total but short of the rounded cash part: more cash is due, nothing else is.
    expect(unavailable('cash', { sale: { ...base, remaining: 0, cashDue: 40 }, selected: 1 })).toBeUndefined();
    expect(unavailable('card', { sale: { ...base, remaining: 0, cashDue: 40 }, selected: 1 })).toBe('nothing-due');
    expect(unavailable('cash', { sale: { ...base, remaining: 0, cashDue: 0 }, selected: 1 })).toBe('nothing-due');
  });

  it('needs a selected line to delete or change it, and something to cancel', () => {
    expect(unavailable('voidLine', { sale: base, selected: undefined })).toBe('no-line');
    expect(unavailable('quantity', { sale: base, selected: 9 })).toBe('no-line');
    expect(unavailable('voidLine', { sale: base, selected: 1 })).toBeUndefined();
    expect(unavailable('cancelSale', { sale: { ...base, lines: [] }, selected: undefined })).toBe('empty-basket');
    const tendered = { ...base, lines: [], tenders: [{ kind: 'cash', amount: 100, offline: false }] } as Sale;
    expect(unavailable('cancelSale', { sale: tendered, selected: undefined })).toBeUndefined();
  });

  it('prints a provisional receipt only of a basket with lines, in an open shift', () => {
    expect(unavailable('provisional', { sale: base, selected: undefined })).toBeUndefined();
    expect(unavailable('provisional', { sale: { ...base, lines: [] }, selected: undefined })).toBe('empty-basket');
    expect(unavailable('provisional', { sale: { ...base, shift: { businessDay: null, shift: null } }, selected: 1 })).toBe('no-shift');
  });

  it('reprints only after a sale, and clears help only when someone called', () => {
    expect(unavailable('reprint', { sale: base, selected: 1 })).toBe('no-receipt');
    expect(unavailable('helpDone', { sale: base, selected: 1 })).toBe('no-help');
    expect(unavailable('helpDone', { sale: { ...base, help: { requestedAt: '2026-12-05T09:00:00Z' } }, selected: 1 })).toBeUndefined();
  });
});
