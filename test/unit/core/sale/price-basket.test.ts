import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../../../main/core/catalog';
import { buildIndex, evaluate, ReceiptSchema } from '../../../../main/core/discounts';
import { TillError } from '../../../../main/core/errors';
import { minor, sum } from '../../../../main/core/money';
import { addToBasket, basketReceipt, EMPTY_BASKET, fromEngineResult, identifyCustomer, priceBasket, settleReceipt, toEngineReceipt, totalsOf, type Basket, type SaleReceipt } from '../../../../main/core/sale';
import { MONDAY_NOON, rule } from '../discounts/helpers';

fc.configureGlobal({ seed: 20261205, numRuns: 200 });

const items: CatalogItem[] = [
  { id: 'milk', codes: ['1'], name: 'Milk', groups: [{ id: 'dairy' }], unitPrice: minor(2190), vatRateBp: 1500, unit: 'piece', eligibleForDiscount: true },
  { id: 'cheese', codes: ['2'], name: 'Cheese', groups: [{ id: 'dairy' }], unitPrice: minor(8990), vatRateBp: 1500, unit: 'piece', eligibleForDiscount: true },
  { id: 'apples', codes: ['3'], name: 'Apples', groups: [{ id: 'fruit' }], unitPrice: minor(3490), vatRateBp: 1500, unit: 'weight', eligibleForDiscount: true },
  { id: 'stamps', codes: ['4'], name: 'Stamps', groups: [], unitPrice: minor(2500), vatRateBp: 0, unit: 'piece', eligibleForDiscount: false },
];

const rules = buildIndex([
  rule('dairy-10', { requirement: { item: { items: [{ group_id: 'dairy' }] } }, reward: { type: 'discount_item_percent', value: 10 } }),
  rule('big-basket', { requirement: { gross_amount: 20000 }, reward: { type: 'discount_amount', value: 1500 } }),
  rule('cheese-bonus', { requirement: { item: { items: [{ id: 'cheese' }] } }, reward: { type: 'discount_item_percent', value: 5, effect: 'bonus' } }),
]);

const context = { receiptId: 'draft', purchaseAt: MONDAY_NOON, storeId: 'oslo-1', currency: 'NOK' };

const basketArb: fc.Arbitrary<Basket> = fc
  .record({
    lines: fc.array(fc.record({ index: fc.integer({ min: 0, max: items.length - 1 }), quantity: fc.integer({ min: 1, max: 12 }), grams: fc.integer({ min: 1, max: 3000 }) }), { maxLength: 8 }),
    customer: fc.boolean(),
  })
  .map(({ lines, customer }) => {
    let basket = EMPTY_BASKET;
    for (const l of lines) {
      const item = items[l.index] as CatalogItem;
      basket = addToBasket(basket, item.unit === 'weight' ? { item, grams: l.grams } : { item, quantity: l.quantity });
    }
    return customer ? identifyCustomer(basket, { customerId: 'c-1' }) : basket;
  });

describe('priceBasket', () => {
  it('prices exactly as the engine answers, taken back onto the sale receipt without a cast', () => {
    fc.assert(
      fc.property(basketArb, (basket) => {
        const draft = basketReceipt(basket, context);
        const priced = priceBasket(basket, context, rules);
        if (draft.items.length === 0) {
          expect(priced).toEqual({ receipt: draft, outcomes: [] });
          return;
        }
        // The engine's own answer, read field by field: the same discount lines per line, the same discounts used.
        const answer = evaluate(ReceiptSchema.parse(draft), rules);
        for (const line of priced.receipt.items) {
          const engineLine = answer.receipt.items?.find((i) => i.line_id === line.line_id);
          expect(line.discount_lines).toEqual(engineLine?.discount_lines ?? []);
          expect(line.bonus_lines).toEqual(engineLine?.bonus_lines);
        }
        expect(priced.receipt.discounts).toEqual(answer.discounts);
        expect(priced.outcomes).toEqual(answer.outcomes);
        // Totals are the till's arithmetic: lines minus their discounts, summed.
        const totals = totalsOf(priced.receipt.items);
        expect(priced.receipt.net_amount).toBe(totals.net);
        expect(priced.receipt.net_amount).toBe(sum(priced.receipt.items.map((i) => minor(i.gross_amount - sum(i.discount_lines.map((d) => minor(d.amount)))))));
        expect(priced.receipt.total_discount).toBe(minor(priced.receipt.gross_amount - priced.receipt.net_amount));
        expect(priced.receipt).toEqual(settleReceipt(priced.receipt));
      }),
    );
  });

  it('does not evaluate an empty rule set and leaves the list prices', () => {
    const basket = addToBasket(EMPTY_BASKET, { item: items[1] as CatalogItem, quantity: 2 });
    const priced = priceBasket(basket, context, buildIndex([]));
    expect(priced.outcomes).toEqual([]);
    expect(priced.receipt.net_amount).toBe(2 * 8990);
    expect(priced.receipt.total_discount).toBe(0);
  });
});

describe('the engine receipt converter', () => {
  it('gives the engine a receipt its schema accepts as it is', () => {
    fc.assert(
      fc.property(basketArb, (basket) => {
        const engine = toEngineReceipt(basketReceipt(basket, context));
        expect(ReceiptSchema.parse(engine)).toEqual(engine);
      }),
    );
  });

  it('keeps a line the engine did not answer for, and refuses a discount line without an amount', () => {
    const draft: SaleReceipt = basketReceipt(addToBasket(addToBasket(EMPTY_BASKET, { item: items[0] as CatalogItem }), { item: items[1] as CatalogItem }), context);
    const engine = toEngineReceipt(draft);
    const onlyFirst = { ...engine, items: (engine.items ?? []).slice(0, 1).map((i) => ({ ...i, discount_lines: [{ amount: 100, discount_id: 'x' }] })) };
    const back = fromEngineResult(draft, { receipt: onlyFirst, discounts: [] });
    expect(back.items[0]?.discount_lines).toEqual([{ amount: 100, discount_id: 'x' }]);
    expect(back.items[1]).toBe(draft.items[1]);
    const broken = { ...engine, items: (engine.items ?? []).map((i) => ({ ...i, discount_lines: [{ discount_id: 'x' }] })) };
    expect(() => fromEngineResult(draft, { receipt: broken, discounts: [] })).toThrow(TillError);
  });
});
