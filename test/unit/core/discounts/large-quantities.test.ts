/**
 * docs/discounts.md §5.11: rewards count units arithmetically, so a line of ten million units is priced exactly
 * (and at once) instead of being expanded unit by unit; quantities beyond MAX_LINE_QUANTITY are refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, MAX_LINE_QUANTITY, parseRules, ReceiptSchema, type Rule } from '../../../../main/core/discounts';
import { FROM, linesOf, receipt, rule, run, TO, type ItemSpec } from './helpers';

const TEN_MILLION = 10_000_000;

describe('very large quantities (§5.11)', () => {
  it('buy 3 pay for 2 on 10,000,000 units: every third unit free, the cheapest of each set', () => {
    const b3 = rule('b3', { requirement: { item: { quantity: 3, items: [{ id: 'soap' }] } }, reward: { type: 'discount_item_quantity', value: 1 } });
    const even = run(receipt([{ id: 'soap', gross: TEN_MILLION * 2500, qty: TEN_MILLION }]), [b3]);
    expect(linesOf(even)).toEqual({ 1: Math.floor(TEN_MILLION / 3) * 2500 });
    // 9,999,999 units sharing 123,456,789,014 øre: `extra` (6,801,359) units of q+1 and the rest of q. Sorted most
    // expensive first, the free units are the 3rd, 6th, ... of the list: floor(extra / 3) of them cost q+1.
    const n = 9_999_999;
    const gross = 123_456_789_014;
    const q = Math.floor(gross / n);
    const extra = gross - q * n;
    const free = Math.floor(n / 3);
    const dearFree = Math.floor(extra / 3);
    const uneven = run(receipt([{ id: 'soap', gross, qty: n }]), [b3]);
    expect(linesOf(uneven)).toEqual({ 1: dearFree * (q + 1) + (free - dearFree) * q });
    expect(uneven.discounts[0]?.refs[0]).toMatchObject({ amount: dearFree * (q + 1) + (free - dearFree) * q, usage: 1 });
  });

  it('discount_item_percent on 10,000,000 units: one reward per 3 units, on the cheapest units', () => {
    const half = rule('half', { requirement: { item: { quantity: 3, items: [{ id: 'cup' }] } }, reward: { type: 'discount_item_percent', value: 50 } });
    const res = run(receipt([{ id: 'cup', gross: TEN_MILLION * 1000, qty: TEN_MILLION }]), [half]);
    expect(linesOf(res)).toEqual({ 1: (Math.floor(TEN_MILLION / 3) * 1000) / 2 });
  });

  it('discount_item_new_price and discount_amount per unit, with and without discount_reward_usage', () => {
    const spec: ItemSpec[] = [{ id: 'pen', gross: TEN_MILLION * 1000 + 7, qty: TEN_MILLION }];
    const price = rule('price', { requirement: { item: { items: [{ id: 'pen' }] } }, reward: { type: 'discount_item_new_price', value: 600 } });
    // 7 units cost 1001, the rest 1000: each saves what it costs above 600.
    expect(linesOf(run(receipt(spec), [price]))).toEqual({ 1: 7 * 401 + (TEN_MILLION - 7) * 400 });
    const limited = rule('limited', { requirement: { item: { items: [{ id: 'pen' }] } }, reward: { type: 'discount_item_new_price', value: 600 }, limitation: { discount_reward_usage: 9 } });
    // The units with the largest saving are kept: the seven of 1001 first, then two of 1000.
    expect(linesOf(run(receipt(spec), [limited]))).toEqual({ 1: 7 * 401 + 2 * 400 });
    const amount = rule('amount', { requirement: { item: { items: [{ id: 'pen' }] } }, reward: { type: 'discount_amount', value: 150 }, limitation: { discount_reward_usage: 4_000_000 } });
    expect(linesOf(run(receipt(spec), [amount]))).toEqual({ 1: 4_000_000 * 150 });
  });

  it('mix and match on 10,000,000 burgers and 5,000,000 drinks: 5,000,000 sets, each split as the single set is', () => {
    const meal = rule('meal', {
      requirement: { item: { mixes: [{ quantity: 1, reward_eligible: true, items: [{ group_id: 'burgers' }] }, { quantity: 1, reward_eligible: true, items: [{ group_id: 'drinks' }] }] } },
      reward: { type: 'discount_mix_new_price', value: 9900 },
    });
    const basket = (burgers: number, drinks: number): ReturnType<typeof receipt> =>
      receipt([
        { id: 'burger', gross: burgers * 8900, qty: burgers, groups: ['burgers'] },
        { id: 'cola', gross: drinks * 3500, qty: drinks, groups: ['drinks'] },
      ]);
    // One set saves 25.00, split 17.95 and 7.05 (§5.6); five million sets save five million times that.
    expect(linesOf(run(basket(1, 1), [meal]))).toEqual({ 1: 1795, 2: 705 });
    const res = run(basket(TEN_MILLION, TEN_MILLION / 2), [meal]);
    expect(linesOf(res)).toEqual({ 1: 1795 * 5_000_000, 2: 705 * 5_000_000 });
    expect(res.total_discount).toBe(2500 * 5_000_000);
  });

  it('refuses a quantity above MAX_LINE_QUANTITY, naming the line', () => {
    const parsed = ReceiptSchema.safeParse({
      receipt_id: 'r',
      purchase_at: FROM,
      store: { id: 's' },
      items: [
        { line_id: 1, id: 'a', quantity: 2, gross_amount: 100 },
        { line_id: 2, id: 'b', quantity: MAX_LINE_QUANTITY + 1, gross_amount: 100 },
      ],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['items', 1, 'quantity'], message: `at most ${MAX_LINE_QUANTITY} units on one line` });
    expect(ReceiptSchema.safeParse({ receipt_id: 'r', purchase_at: FROM, store: { id: 's' }, items: [{ line_id: 1, quantity: MAX_LINE_QUANTITY, gross_amount: 100 }] }).success).toBe(true);
  });
});

/** Rewards that add whole unit amounts (no per-line percentage rounding), so splitting a line cannot change them. */
const UNIT_REWARDS = ['discount_amount', 'discount_item_new_price', 'discount_item_quantity', 'discount_mix_new_price'] as const;

const sameRule = fc
  .record({
    type: fc.constantFrom(...UNIT_REWARDS),
    value: fc.integer({ min: 0, max: 3000 }),
    quantity: fc.integer({ min: 2, max: 5 }),
    usage: fc.constantFrom(-1, 1, 3, 7),
  })
  .map((g): Rule => {
    const raw: Record<string, unknown> = {
      id: 'r',
      requirement: {
        purchase_from: FROM,
        purchase_to: TO,
        item:
          g.type === 'discount_mix_new_price'
            ? { mixes: [{ quantity: 2, reward_eligible: true, items: [{ id: 'a' }] }, { quantity: 1, reward_eligible: true, items: [{ id: 'b' }] }] }
            : { quantity: g.type === 'discount_item_quantity' ? g.quantity : 0, items: [{ id: 'a' }] },
      },
      reward: { type: g.type, value: g.type === 'discount_item_quantity' ? 1 : g.value * 10 },
      limitation: { discount_reward_usage: g.usage },
      customers: ['*', '/'],
    };
    const parsed = parseRules([raw]);
    if (parsed.rejected.length > 0) throw new Error(JSON.stringify(parsed.rejected));
    return parsed.rules[0] as Rule;
  });

/** A line of `qty` units sharing `gross` as lines of one unit each: `extra` units of q+1 and the rest of q (§5). */
function unitLines(id: string, gross: number, qty: number): ItemSpec[] {
  const q = Math.floor(gross / qty);
  const extra = gross - q * qty;
  return Array.from({ length: qty }, (_, i) => ({ id, gross: i < extra ? q + 1 : q }));
}

describe('a line of n units is priced like n lines of one unit (property, fixed seed)', () => {
  it('gives the same total discount for any prices, counts and reward', () => {
    // Every unit costs at least 1 øre: a line of one unit and no gross is not eligible, a unit of 0 in a line is.
    const line = fc
      .record({ qty: fc.integer({ min: 1, max: 30 }), unit: fc.integer({ min: 1, max: 3000 }), spare: fc.nat() })
      .map(({ qty, unit, spare }) => ({ qty, gross: qty * unit + (spare % qty) }));
    fc.assert(
      fc.property(sameRule, line, line, fc.option(line, { nil: undefined }), (r, a1, a2, b) => {
        const grouped: ItemSpec[] = [
          { id: 'a', gross: a1.gross, qty: a1.qty },
          { id: 'a', gross: a2.gross, qty: a2.qty },
          ...(b ? [{ id: 'b', gross: b.gross, qty: b.qty }] : []),
        ];
        const expanded = [...unitLines('a', a1.gross, a1.qty), ...unitLines('a', a2.gross, a2.qty), ...(b ? unitLines('b', b.gross, b.qty) : [])];
        const one = evaluate(receipt(grouped), [r]);
        const many = evaluate(receipt(expanded), [r]);
        expect(one.total_discount).toBe(many.total_discount);
        expect(one.discounts[0]?.refs[0]?.amount ?? 0).toBe(many.discounts[0]?.refs[0]?.amount ?? 0);
      }),
      { seed: 20261123, numRuns: 300 },
    );
  });
});
