import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../../../main/core/catalog';
import { TillError } from '../../../../main/core/errors';
import { minor, sum } from '../../../../main/core/money';
import {
  addToBasket,
  basketReceipt,
  buildRefundEntry,
  buildSaleEntry,
  buildVoidEntry,
  EMPTY_BASKET,
  lineGross,
  orderingKeyOf,
  planEnvelope,
  receiptDocument,
  receiptId,
  removeLine,
  saleNoOf,
  setLineQuantity,
  settle,
  totalsOf,
  type EntryHeader,
  type SaleReceipt,
} from '../../../../main/core/sale';

fc.configureGlobal({ seed: 20261123, numRuns: 200 });

const item = (over: Partial<CatalogItem> = {}): CatalogItem => ({ id: 'milk', codes: ['1'], name: 'Milk', groups: [], unitPrice: minor(2190), vatRateBp: 1500, unit: 'piece', eligibleForDiscount: true, ...over });
const header = (saleNo: number): EntryHeader => ({ receiptId: receiptId('b', 'p', saleNo), saleNo, branchId: 'b', posId: 'p', operatorId: 'op', currency: 'NOK', purchaseAt: '2026-03-02T10:00:00.000Z', ruleSetVersion: 'v' });
const receiptOf = (items: CatalogItem[], grams = 452): SaleReceipt => {
  let b = EMPTY_BASKET;
  for (const i of items) b = addToBasket(b, i.unit === 'weight' ? { item: i, grams } : { item: i });
  return basketReceipt(b, { receiptId: 'draft', purchaseAt: 'x', storeId: 'b', currency: 'NOK' });
};

describe('receipt ids', () => {
  it('derive from branch, till and sale number and parse back', () => {
    expect(receiptId('demo-branch', 'till-1', 42)).toBe('demo-branch-till-1-000042');
    expect(saleNoOf('demo-branch-till-1-1234567', 'demo-branch', 'till-1')).toBe(1234567);
    expect(saleNoOf('other-till-1-000001', 'demo-branch', 'till-1')).toBeUndefined();
    expect(() => receiptId('b', 'p', 0)).toThrow(TillError);
  });
});

describe('basket', () => {
  it('merges repeated scans of a piece item, keeps weights apart, and never reuses line ids', () => {
    let b = addToBasket(EMPTY_BASKET, { item: item() });
    b = addToBasket(b, { item: item(), quantity: 2 });
    expect(b.items).toHaveLength(1);
    expect(b.items[0]).toMatchObject({ quantity: 3, quantity_milli: 3000, gross_amount: 6570 });
    b = addToBasket(b, { item: item({ id: 'apples', unit: 'weight', unitPrice: minor(3490) }), grams: 452 });
    expect(b.items[1]).toMatchObject({ quantity: 0.452, gross_amount: 1577, scale_item: true }); // 15.7748 -> 15.77
    b = setLineQuantity(b, 1, 1);
    expect(b.items[0]?.gross_amount).toBe(2190);
    b = removeLine(b, 2);
    b = addToBasket(b, { item: item({ id: 'x' }) });
    expect(b.items.map((i) => i.line_id)).toEqual([1, 3]);
    expect(() => addToBasket(b, { item: item({ unit: 'weight' }) })).toThrow(/by weight/);
  });

  it('prices weights half up from price per kg and grams', () => {
    expect(lineGross(minor(1000), 'weight', 1)).toBe(1); // 1.0
    expect(lineGross(minor(1000), 'weight', 1499)).toBe(1499);
    expect(lineGross(minor(999), 'weight', 500)).toBe(500); // 499.5 -> 500
  });
});

describe('totals and VAT', () => {
  it('nets follow the discount lines and the parts always add up, per rate', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ price: fc.integer({ min: 0, max: 500_000 }), qty: fc.integer({ min: 1, max: 20 }), rate: fc.constantFrom(0, 1200, 1500, 2500), off: fc.integer({ min: 0, max: 100 }) }), { minLength: 1, maxLength: 30 }),
        (lines) => {
          const r = receiptOf(lines.map((l, i) => item({ id: `i${i}`, unitPrice: minor(l.price), vatRateBp: l.rate })));
          const items = r.items.map((it, i) => {
            const l = lines[i];
            const q = l?.qty ?? 1;
            const gross = minor(it.gross_amount * q);
            const off = Math.floor((gross * (l?.off ?? 0)) / 100);
            return { ...it, quantity: q, quantity_milli: q * 1000, gross_amount: gross, discount_lines: off > 0 ? [{ amount: off }] : [] };
          });
          const gross = sum(items.map((i) => i.gross_amount));
          // Cash of more than the gross always covers the net; an all-zero basket needs no tender.
          const entry = buildSaleEntry(header(1), { receipt: { ...r, items }, tenders: gross > 0 ? [{ kind: 'cash', amount: minor(gross + 1) }] : [] });
          const t = entry.totals;
          expect(t.net).toBe(sum(entry.receipt.items.map((i) => i.net_amount)));
          expect(t.gross - t.discount).toBe(t.net);
          for (const v of t.vat) {
            expect(v.vat + v.net).toBe(v.gross);
            // VAT is the included share rounded half up: |vat - gross * rate / (100 % + rate)| <= 1/2.
            expect(Math.abs(2 * v.vat * (10_000 + v.rateBp) - 2 * v.gross * v.rateBp)).toBeLessThanOrEqual(10_000 + v.rateBp);
          }
          expect(sum(t.vat.map((v) => v.gross))).toBe(t.net);
        },
      ),
    );
  });

  it('refuses a discount larger than its line', () => {
    const r = receiptOf([item()]);
    const bad = { ...r, items: r.items.map((i) => ({ ...i, discount_lines: [{ amount: 5000 }] })) };
    expect(() => buildSaleEntry(header(1), { receipt: bad, tenders: [{ kind: 'cash', amount: minor(1) }] })).toThrow(/discounts of 5000/);
    expect(totalsOf([]).net).toBe(0);
  });
});

describe('tenders', () => {
  it('gives change only from cash, from the last cash tender first', () => {
    const s = settle(minor(8000), [{ kind: 'cash', amount: minor(5000) }, { kind: 'card', amount: minor(2000), terminalRef: 'T' }, { kind: 'cash', amount: minor(2000) }]);
    expect(s.change).toBe(1000);
    expect(s.tenders.map((t) => t.applied)).toEqual([5000, 2000, 1000]);
    expect(() => settle(minor(1000), [{ kind: 'card', amount: minor(1500), terminalRef: 'T' }])).toThrow(/only cash gives change/);
    expect(() => settle(minor(1000), [{ kind: 'cash', amount: minor(999) }])).toThrow(/1 is still to pay/);
    expect(() => settle(minor(1000), [{ kind: 'cash', amount: minor(0) }])).toThrow(/positive/);
    expect(() => settle(minor(1000), [{ kind: 'cash', amount: minor(1500) }], { allowChange: false })).toThrow(/exactly/);
  });

  it('applied amounts always add up to what is due', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.integer({ min: 1, max: 300_000 }), { maxLength: 5 }), fc.integer({ min: 0, max: 50_000 }), (due, cards, extra) => {
        const cardTotal = cards.reduce((a, b) => a + b, 0);
        fc.pre(cardTotal <= due);
        const cash = due - cardTotal + extra;
        const tenders = [...cards.map((c) => ({ kind: 'card' as const, amount: minor(c), terminalRef: 'T' })), ...(cash > 0 ? [{ kind: 'cash' as const, amount: minor(cash) }] : [])];
        const s = settle(minor(due), tenders);
        expect(sum(s.tenders.map((t) => t.applied))).toBe(due);
        expect(s.change).toBe(cash > 0 ? extra : 0);
      }),
    );
  });
});

describe('voids, refunds and effects', () => {
  const sale = (): ReturnType<typeof buildSaleEntry> => {
    const r = receiptOf([item(), item({ id: 'apples', unit: 'weight', unitPrice: minor(3490) })]);
    const discounted = { ...r, customer_id: 'c1', items: r.items.map((i) => (i.id === 'milk' ? { ...i, quantity: 3, quantity_milli: 3000, gross_amount: minor(6570), discount_lines: [{ amount: 100, discount_id: 'd1' }] } : i)), discounts: [{ id: 'd1', refs: [{ id: 'ref1', amount: 100, usage: 1 }] }] };
    return buildSaleEntry(header(1), { receipt: discounted, tenders: [{ kind: 'gift_card', amount: minor(3000), cardToken: 'tok-99887766' }, { kind: 'cash', amount: minor(10_000) }], amountsAtRisk: [3000, 0] });
  };

  it('a void mirrors the sale exactly', () => {
    const s = sale();
    const v = buildVoidEntry(header(2), s);
    expect(v.totals.net).toBe(0 - s.totals.net);
    expect(v.totals.vatTotal).toBe(0 - s.totals.vatTotal);
    expect(v.tenders.map((t) => t.applied)).toEqual(s.tenders.map((t) => t.applied));
    expect(() => buildVoidEntry(header(3), v)).toThrow(/only sales can be voided/);
  });

  it('partial refunds of any split add up to the line as paid', () => {
    const s = sale();
    const milk = s.receipt.items[0];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }), (parts) => {
        let refunded = 0;
        let total = 0;
        for (const q of parts) {
          if (refunded + q * 1000 > 3000) break;
          const e = buildRefundEntry(header(2), s, [{ lineId: 1, quantity: q }], (due) => (due > 0 ? [{ kind: 'cash', amount: due }] : []), new Map([[1, refunded]]));
          refunded += q * 1000;
          total += e.totals.net;
        }
        if (refunded === 3000) expect(total).toBe(0 - (milk?.net_amount ?? 0));
        else expect(-total).toBeLessThanOrEqual(milk?.net_amount ?? 0);
      }),
    );
  });

  it('plans the envelope with keys from the receipt id, claims first, risk on the offline tender', () => {
    const s = sale();
    const env = planEnvelope(s);
    expect(env).toMatchObject({ kind: 'sale', ref: 'b-p-000001', orderingKey: 'c1' });
    expect(env.effects.map((e) => [e.kind, e.idempotencyKey, e.amountAtRisk])).toEqual([
      ['discount_claim', 'b-p-000001:claim', undefined],
      ['wallet_transaction', 'b-p-000001:pay:0', 3000],
      ['receipt', 'b-p-000001:receipt', undefined],
      ['loyalty_transaction', 'b-p-000001:tx', undefined],
    ]);
    const doc = receiptDocument(s);
    expect(doc.tenders[0]).toEqual({ kind: 'gift_card', amount: 3000, reference: '…7766', offline: true });
    expect(JSON.stringify(doc)).not.toContain('tok-99887766');
    const v = planEnvelope(buildVoidEntry(header(2), s), s);
    expect(v.effects.map((e) => e.kind)).toEqual(['claim_release', 'wallet_transaction', 'receipt', 'loyalty_transaction']);
    expect(v.effects[3]?.payload).toMatchObject({ action: 'cancel', reverses: 'b-p-000001:tx' });
  });

  it('keys anonymous sales by receipt, shared with their own voids, so one refused sale holds back no other', () => {
    const anonymous = buildSaleEntry(header(1), { receipt: receiptOf([item()]), tenders: [{ kind: 'cash', amount: minor(100_000) }] });
    const other = buildSaleEntry(header(2), { receipt: receiptOf([item()]), tenders: [{ kind: 'cash', amount: minor(100_000) }] });
    const voided = buildVoidEntry(header(3), anonymous);
    expect(orderingKeyOf(anonymous)).toBe(`receipt:${anonymous.receiptId}`);
    expect(orderingKeyOf(voided)).toBe(orderingKeyOf(anonymous));
    expect(orderingKeyOf(other)).not.toBe(orderingKeyOf(anonymous));
    expect(orderingKeyOf({ ...anonymous, memberId: 'm-7' })).toBe('member:m-7');
    // One lane per person: a member identified with a Dintero customer id as well is still keyed by the member.
    expect(orderingKeyOf({ ...anonymous, customerId: 'c-7', memberId: 'm-7' })).toBe('member:m-7');
    expect(orderingKeyOf({ ...anonymous, customerId: 'c-7' })).toBe('c-7');
  });
});
