import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../../../main/core/catalog';
import { TillError } from '../../../../main/core/errors';
import { minor } from '../../../../main/core/money';
import {
  addToBasket,
  approveChecks,
  assertUnlocked,
  type Basket,
  basketReceipt,
  buildSaleEntry,
  dropLineChecks,
  EMPTY_BASKET,
  type EntryHeader,
  lockMessage,
  methodFor,
  NO_CHECKS,
  requireChecks,
  type SaleChecks,
  type TillMode,
  verifiedAge,
} from '../../../../main/core/sale';

const BEER: CatalogItem = { id: 'beer', codes: ['1'], name: 'Lager 0.5 l', groups: [], unitPrice: minor(3990), vatRateBp: 2500, unit: 'piece', ageLimit: 18, eligibleForDiscount: true };
const SPIRIT: CatalogItem = { ...BEER, id: 'aquavit', name: 'Aquavit 0.7 l', ageLimit: 20 };
const MILK: CatalogItem = { ...BEER, id: 'milk', name: 'Milk', ageLimit: undefined };
const APPLES: CatalogItem = { id: 'apples', codes: ['2'], name: 'Apples', groups: [], unitPrice: minor(3490), vatRateBp: 1500, unit: 'weight', eligibleForDiscount: true };
const AT = '2026-03-02T10:00:00.000Z';

/** Adds an item as the sale service does: the basket first, then the checks for the line it landed on. */
function add(state: { basket: Basket; checks: SaleChecks }, mode: TillMode, item: CatalogItem, grams?: number): { basket: Basket; checks: SaleChecks } {
  const basket = addToBasket(state.basket, { item, ...(grams !== undefined ? { grams } : {}) });
  const line = basket.items.at(-1);
  if (!line) throw new Error('no line');
  return { basket, checks: requireChecks(state.checks, mode, item, line) };
}

const start = { basket: EMPTY_BASKET, checks: NO_CHECKS };

describe('age and weight checks', () => {
  it('locks a basket with an age-restricted item at any till, and a weighed item only at a kiosk', () => {
    const cashier = add(add(start, 'cashier', APPLES, 640), 'cashier', BEER);
    expect(cashier.checks.pending).toEqual([{ kind: 'age', lineId: 2, itemId: 'beer', description: 'Lager 0.5 l', ageLimit: 18 }]);
    const kiosk = add(add(start, 'kiosk', APPLES, 640), 'kiosk', BEER);
    expect(kiosk.checks.pending.map((c) => c.kind)).toEqual(['weight', 'age']);
    expect(kiosk.checks.pending[0]).toMatchObject({ lineId: 1, grams: 640 });
    expect(add(start, 'kiosk', MILK).checks).toBe(NO_CHECKS);
  });

  it('refuses payment while locked, naming what waits and for whom', () => {
    const kiosk = add(start, 'kiosk', BEER);
    expect(() => assertUnlocked(kiosk.checks, 'kiosk')).toThrow(TillError);
    expect(() => assertUnlocked(kiosk.checks, 'kiosk')).toThrow('Staff must approve this basket before payment: Lager 0.5 l (age 18+).');
    expect(lockMessage(add(start, 'cashier', BEER).checks, 'cashier')).toBe("Check the customer's ID before payment: Lager 0.5 l (age 18+).");
    expect(() => assertUnlocked(NO_CHECKS, 'kiosk')).not.toThrow();
  });

  it('merges repeated scans into one check per line', () => {
    const twice = add(add(start, 'kiosk', BEER), 'kiosk', BEER);
    expect(twice.basket.items).toHaveLength(1);
    expect(twice.checks.pending).toHaveLength(1);
  });

  it('an approval clears every pending check, records who and how, and vouches for the highest age', () => {
    const locked = add(add(add(start, 'kiosk', BEER), 'kiosk', APPLES, 500), 'kiosk', SPIRIT);
    const approved = approveChecks(locked.checks, { operatorId: ' 4711 ', method: methodFor('kiosk'), at: AT });
    expect(approved.pending).toEqual([]);
    expect(approved.approvals).toEqual([{ operatorId: '4711', method: 'staff-approval', at: AT, checks: locked.checks.pending, verifiedAge: 20 }]);
    expect(verifiedAge(approved)).toBe(20);
    expect(methodFor('cashier')).toBe('id-check');
  });

  it('needs no new ID check for an item within the age already verified, but does for a higher one', () => {
    const s1 = add(start, 'cashier', BEER);
    const s2 = { ...s1, checks: approveChecks(s1.checks, { operatorId: 'c1', method: 'id-check', at: AT }) };
    const more = add(s2, 'cashier', BEER);
    expect(more.checks.pending).toEqual([]);
    const spirit = add(more, 'cashier', SPIRIT);
    expect(spirit.checks.pending).toEqual([expect.objectContaining({ kind: 'age', ageLimit: 20, lineId: 2 })]);
  });

  it('a weighed item at a kiosk needs approval each time, even after one was approved', () => {
    const s1 = add(start, 'kiosk', APPLES, 500);
    const s2 = { ...s1, checks: approveChecks(s1.checks, { operatorId: 'a', method: 'staff-approval', at: AT }) };
    expect(add(s2, 'kiosk', APPLES, 300).checks.pending).toEqual([expect.objectContaining({ kind: 'weight', lineId: 2, grams: 300 })]);
  });

  it('a voided line takes its pending checks along, and an approval with nothing pending or no operator is refused', () => {
    const locked = add(add(start, 'kiosk', BEER), 'kiosk', APPLES, 500);
    const dropped = dropLineChecks(locked.checks, 1);
    expect(dropped.pending.map((c) => c.lineId)).toEqual([2]);
    expect(dropLineChecks(dropped, 2).pending).toEqual([]);
    expect(dropLineChecks(NO_CHECKS, 9)).toBe(NO_CHECKS);
    expect(() => approveChecks(NO_CHECKS, { operatorId: 'a', method: 'staff-approval', at: AT })).toThrow('Nothing in this basket is waiting for approval.');
    expect(() => approveChecks(locked.checks, { operatorId: '  ', method: 'staff-approval', at: AT })).toThrow(/operator id/);
  });
});

describe('a sale entry with checks', () => {
  const header: EntryHeader = { receiptId: 'b-p-000001', saleNo: 1, branchId: 'b', posId: 'p', operatorId: 'op', currency: 'NOK', purchaseAt: AT, ruleSetVersion: 'none' };
  const receiptOf = (basket: Basket) => basketReceipt(basket, { receiptId: 'draft', purchaseAt: AT, storeId: 'b', currency: 'NOK' });

  it('is refused while a check is pending, even if a caller skipped the lock', () => {
    const locked = add(start, 'kiosk', BEER);
    expect(() => buildSaleEntry(header, { receipt: receiptOf(locked.basket), tenders: [{ kind: 'cash', amount: minor(3990) }], checks: locked.checks })).toThrow(/locked until its checks are approved: Lager 0.5 l \(age 18\+\)/);
  });

  it('carries its approvals into the ledger document, and none when there were none', () => {
    const locked = add(start, 'kiosk', BEER);
    const checks = approveChecks(locked.checks, { operatorId: 'a1', method: 'staff-approval', at: AT });
    const entry = buildSaleEntry(header, { receipt: receiptOf(locked.basket), tenders: [{ kind: 'card', amount: minor(3990), terminalRef: 'T1' }], checks });
    expect(entry.approvals).toEqual(checks.approvals);
    const plain = add(start, 'kiosk', MILK);
    expect(buildSaleEntry(header, { receipt: receiptOf(plain.basket), tenders: [{ kind: 'cash', amount: minor(3990) }], checks: plain.checks })).not.toHaveProperty('approvals');
  });
});
