import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../../../main/core/catalog';
import { minor, sum } from '../../../../main/core/money';
import {
  addToBasket,
  basketReceipt,
  buildRefundEntry,
  buildSaleEntry,
  buildVoidEntry,
  cashUnitFor,
  EMPTY_BASKET,
  receiptId,
  roundToCashUnit,
  settle,
  stillToPay,
  type EntryHeader,
  type SaleEntry,
  type Tender,
} from '../../../../main/core/sale';

fc.configureGlobal({ seed: 20261206, numRuns: 300 });

const cash = (amount: number): Tender => ({ kind: 'cash', amount: minor(amount) });
const card = (amount: number): Tender => ({ kind: 'card', amount: minor(amount), terminalRef: 'T-1' });
const external = (amount: number): Tender => ({ kind: 'card', amount: minor(amount), terminal: 'external' });
const NOK = 100;

describe('the cash unit', () => {
  it('defaults by currency and a store setting wins; 1 is off', () => {
    expect([cashUnitFor('NOK', undefined), cashUnitFor('SEK', undefined), cashUnitFor('DKK', undefined), cashUnitFor('CHF', undefined), cashUnitFor('EUR', undefined)]).toEqual([100, 100, 50, 5, 1]);
    expect(cashUnitFor('NOK', 1)).toBe(1);
    expect(cashUnitFor('EUR', 5)).toBe(5);
    expect(() => cashUnitFor('NOK', 0)).toThrow(/cash unit/);
  });

  it('rounds to the nearest unit, halves away from zero', () => {
    expect([1960, 1940, 1950, 1949, 2000, 49, 50, 0].map((a) => roundToCashUnit(minor(a), NOK))).toEqual([2000, 1900, 2000, 1900, 2000, 0, 100, 0]);
    expect([-1950, -1949].map((a) => roundToCashUnit(minor(a), NOK))).toEqual([-2000, -1900]);
    expect([1024, 1025, 1074, 1075].map((a) => roundToCashUnit(minor(a), 50))).toEqual([1000, 1050, 1050, 1100]);
    expect([1002, 1003].map((a) => roundToCashUnit(minor(a), 5))).toEqual([1000, 1005]);
    expect(roundToCashUnit(minor(1999), 1)).toBe(1999);
  });
});

describe('settle with cash rounding', () => {
  it('NOK 19.60 in cash is 20.00: rounding +0.40, no change from a 20 note', () => {
    const s = settle(minor(1960), [cash(2000)], { cashUnit: NOK });
    expect(s).toMatchObject({ rounding: 40, change: 0, tendered: 2000 });
    expect(s.tenders.map((t) => t.applied)).toEqual([1960]);
    expect(() => settle(minor(1960), [cash(1999)], { cashUnit: NOK })).toThrow(/with the cash rounding of 40\): 2000; 1 is still to pay/);
  });

  it('NOK 19.40 in cash is 19.00: rounding -0.40; a 50 note gets 31.00 back', () => {
    const exact = settle(minor(1940), [cash(1900)], { cashUnit: NOK });
    expect(exact).toMatchObject({ rounding: -40, change: 0 });
    expect(exact.tenders.map((t) => t.applied)).toEqual([1940]);
    const note = settle(minor(1940), [cash(5000)], { cashUnit: NOK });
    expect(note).toMatchObject({ rounding: -40, change: 3100 });
    expect(note.tenders.map((t) => t.applied)).toEqual([1940]);
  });

  it('rounds only the cash part of a mixed card and cash payment', () => {
    // 99.30 due, 50.00 on the card: 49.30 in cash rounds to 49.00.
    const s = settle(minor(9930), [card(5000), cash(10_000)], { cashUnit: NOK });
    expect(s).toMatchObject({ rounding: -30, change: 5100 });
    expect(s.tenders.map((t) => t.applied)).toEqual([5000, 4930]);
    // The card alone pays to the øre: no cash, no rounding.
    expect(settle(minor(9930), [card(9930)], { cashUnit: NOK })).toMatchObject({ rounding: 0, change: 0 });
    expect(settle(minor(9930), [external(9930)], { cashUnit: NOK })).toMatchObject({ rounding: 0, change: 0 });
  });

  it('unit 1 rounds nothing; DKK rounds to 50 øre', () => {
    expect(settle(minor(1960), [cash(2000)], { cashUnit: 1 })).toMatchObject({ rounding: 0, change: 40 });
    expect(settle(minor(1960), [cash(2000)])).toMatchObject({ rounding: 0, change: 40 });
    expect(settle(minor(1024), [cash(1000)], { cashUnit: 50 })).toMatchObject({ rounding: -24, change: 0 });
    expect(settle(minor(1025), [cash(2000)], { cashUnit: 50 })).toMatchObject({ rounding: 25, change: 950 });
  });

  it('a refund pays back exactly the rounded cash', () => {
    expect(settle(minor(1960), [cash(2000)], { cashUnit: NOK, allowChange: false })).toMatchObject({ rounding: 40, change: 0 });
    expect(() => settle(minor(1960), [cash(1960)], { cashUnit: NOK, allowChange: false })).toThrow(/still to pay/);
    expect(() => settle(minor(1960), [cash(2100)], { cashUnit: NOK, allowChange: false })).toThrow(/exactly 2000/);
  });

  it('a card without a reference must say it was an external terminal', () => {
    expect(() => settle(minor(100), [{ kind: 'card', amount: minor(100), terminalRef: ' ' }])).toThrow(/terminal's reference/);
    expect(settle(minor(100), [external(100)]).tenders[0]).toMatchObject({ kind: 'card', terminal: 'external', applied: 100 });
  });

  it('invariants: applied adds up to due, cash covers due + rounding, change = tendered - (due + rounding), |rounding| <= unit/2', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 500_000 }),
        fc.array(fc.integer({ min: 1, max: 200_000 }), { maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 300_000 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(1, 5, 50, 100),
        (due, cards, cashes, unit) => {
          const cardTotal = cards.reduce((a, b) => a + b, 0);
          fc.pre(cardTotal <= due);
          const tenders = [...cards.map(card), ...cashes.map(cash)];
          const tendered = cardTotal + cashes.reduce((a, b) => a + b, 0);
          const cashPart = due - cardTotal;
          const rounded = roundToCashUnit(minor(cashPart), unit);
          if (tendered - cardTotal < rounded) {
            expect(() => settle(minor(due), tenders, { cashUnit: unit })).toThrow(/still to pay/);
            expect(stillToPay(minor(due), tenders, unit)).toBe(rounded - (tendered - cardTotal));
            return;
          }
          const s = settle(minor(due), tenders, { cashUnit: unit });
          expect(stillToPay(minor(due), tenders, unit)).toBe(0);
          expect(sum(s.tenders.map((t) => t.applied))).toBe(due);
          expect(s.rounding).toBe(rounded - cashPart);
          expect(Math.abs(s.rounding) * 2).toBeLessThanOrEqual(unit);
          expect(s.change).toBe(tendered - (due + s.rounding));
          expect(s.change).toBeGreaterThanOrEqual(0);
          // The drawer keeps the rounded cash part: cash handed over less the change.
          expect(tendered - cardTotal - s.change).toBe(rounded);
          for (const t of s.tenders) if (t.kind !== 'cash') expect(t.applied).toBe(t.amount);
        },
      ),
    );
  });
});

const item = (over: Partial<CatalogItem> = {}): CatalogItem => ({ id: 'milk', codes: ['1'], name: 'Milk', groups: [], unitPrice: minor(1960), vatRateBp: 1500, unit: 'piece', eligibleForDiscount: true, ...over });
const header = (saleNo: number): EntryHeader => ({ receiptId: receiptId('b', 'p', saleNo), saleNo, branchId: 'b', posId: 'p', operatorId: 'op', currency: 'NOK', purchaseAt: '2026-12-06T10:00:00.000Z', ruleSetVersion: 'v' });
const receiptOf = (items: { item: CatalogItem; quantity?: number }[]) => {
  let b = EMPTY_BASKET;
  for (const i of items) b = addToBasket(b, i);
  return basketReceipt(b, { receiptId: 'draft', purchaseAt: 'x', storeId: 'b', currency: 'NOK' });
};
const drawer = (e: SaleEntry): number => sum(e.tenders.filter((t) => t.kind === 'cash').map((t) => t.applied)) + (e.rounding ?? 0);

describe('entries with cash rounding', () => {
  it('a sale keeps its line totals and VAT; the rounding is its own amount', () => {
    const sale = buildSaleEntry(header(1), { receipt: receiptOf([{ item: item() }]), tenders: [cash(2000)], cashUnit: NOK });
    expect(sale.totals.net).toBe(1960);
    expect(sale.rounding).toBe(40);
    expect(drawer(sale)).toBe(2000);
    const plain = buildSaleEntry(header(1), { receipt: receiptOf([{ item: item() }]), tenders: [cash(2000)] });
    expect(plain.rounding).toBeUndefined();
    expect(plain.totals).toEqual(sale.totals);
    expect(plain.change).toBe(40);
  });

  it('a void gives back the cash its sale took, with the same rounding', () => {
    const sale = buildSaleEntry(header(1), { receipt: receiptOf([{ item: item({ unitPrice: minor(1940) }) }]), tenders: [cash(5000)], cashUnit: NOK });
    expect(sale).toMatchObject({ rounding: -40, change: 3100 });
    const v = buildVoidEntry(header(2), sale);
    expect(v.rounding).toBe(-40);
    expect(v.tenders.map((t) => [t.kind, t.amount, t.applied])).toEqual([['cash', 1900, 1940]]);
    expect(drawer(v)).toBe(drawer(sale));
  });

  it('a void of card + cash in two cash tenders pays back one cash amount', () => {
    const sale = buildSaleEntry(header(1), { receipt: receiptOf([{ item: item({ unitPrice: minor(1860) }) }]), tenders: [card(0 + 500), cash(1000), cash(500)], cashUnit: NOK });
    // Cash part 13.60 -> 14.00: rounding +0.40; 15.00 handed over, 1.00 back.
    expect(sale).toMatchObject({ rounding: 40, change: 100 });
    const v = buildVoidEntry(header(2), sale);
    expect(v.tenders.map((t) => [t.kind, t.amount])).toEqual([['card', 500], ['cash', 1400]]);
    expect(drawer(v)).toBe(1400);
  });

  it('a cash refund rounds what the till pays back', () => {
    const sale = buildSaleEntry(header(1), { receipt: receiptOf([{ item: item({ unitPrice: minor(1980) }), quantity: 2 }]), tenders: [cash(4000)], cashUnit: NOK });
    expect(sale).toMatchObject({ rounding: 40, change: 0 }); // 39.60 -> 40.00
    const r = buildRefundEntry(header(2), sale, [{ lineId: 1, quantity: 1 }], (due) => [{ kind: 'cash', amount: due }], new Map(), undefined, NOK);
    expect(r.totals.net).toBe(-1980);
    expect(r.rounding).toBe(20); // 19.80 paid back as 20.00
    expect(r.tenders.map((t) => [t.amount, t.applied])).toEqual([[2000, 1980]]);
    const card1 = buildRefundEntry(header(3), sale, [{ lineId: 1, quantity: 1 }], (due) => [card(due)], new Map(), undefined, NOK);
    expect(card1.rounding).toBeUndefined();
  });
});
