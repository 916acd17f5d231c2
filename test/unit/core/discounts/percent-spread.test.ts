/**
 * A percentage is taken once on its base and spread by largest remainder; a gross base is the gross before any
 * discount; amounts are in the currency's own minor unit (docs/discounts.md §5). Sources: Dintero's OpenAPI types
 * (RobertoSnap/dintero-api-customers-ts, src/api/dintero-discounts-api.d.ts: `Reward.type` "discount_percent -
 * value percentage of gross amount", `Reward.base` gross = "total expense amount, including taxes", net =
 * `gross - "any existing discounts"`; `Receipt.gross_amount` "before discounts").
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, explainText, type Receipt } from '../../../../main/core/discounts';
import { allocateCapped, allocateLargestRemainder, minor, percentOf } from '../../../../main/core/money';
import { fuzzParams } from '../../../helpers/fuzz';
import { linesOf, outcome, receipt, rule, run } from './helpers';

fc.configureGlobal(fuzzParams(200));

const weightsArb = fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 12 }).filter((w) => w.some((x) => x > 0));

describe('money.allocateLargestRemainder', () => {
  it('adds up exactly, keeps each part within one unit of its share, and gives the spare units to the largest fractions', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), weightsArb, (total, weights) => {
        const parts = allocateLargestRemainder(minor(total), weights);
        const W = weights.reduce((a, b) => a + b, 0);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        const rest = (i: number): bigint => (BigInt(total) * BigInt(weights[i] as number)) % BigInt(W);
        parts.forEach((p, i) => {
          const floor = (BigInt(total) * BigInt(weights[i] as number)) / BigInt(W);
          expect(BigInt(p) === floor || BigInt(p) === floor + 1n).toBe(true);
        });
        // Hamilton: no line left at its floor has a larger cut-off fraction than a line that got the extra unit.
        const up = parts.map((p, i) => BigInt(p) !== (BigInt(total) * BigInt(weights[i] as number)) / BigInt(W));
        for (let i = 0; i < parts.length; i++) for (let j = 0; j < parts.length; j++) if (up[i] && !up[j]) expect(rest(i) > rest(j) || (rest(i) === rest(j) && i < j)).toBe(true);
      }),
    );
  });

  it('is exact where total times weight passes 2^53', () => {
    const parts = allocateLargestRemainder(minor(9_000_000_000_001), [3_000_000_001, 3_000_000_000, 3_000_000_000]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(9_000_000_000_001);
    // T·w div W = 3000000000666, 2999999999667, 2999999999667 with remainders 8999999335, 333, 333: the one spare
    // unit goes to the first line. Floats would lose the last digits of T·w (about 2.7e22).
    expect(parts).toEqual([3_000_000_000_667, 2_999_999_999_667, 2_999_999_999_667]);
  });

  it('refuses a negative total or weights with nothing to split by, saying what was wrong', () => {
    expect(() => allocateLargestRemainder(minor(-1), [1])).toThrow(/non-negative whole amount, got -1/);
    expect(() => allocateLargestRemainder(minor(5), [0, 0])).toThrow(/Cannot split 5 over weights that add up to 0/);
    expect(() => allocateLargestRemainder(minor(5), [1.5])).toThrow(/Weights must be non-negative whole numbers, got 1.5/);
    expect(allocateLargestRemainder(minor(0), [0, 0])).toEqual([0, 0]);
  });
});

describe('money.allocateCapped', () => {
  it('never passes a cap, and adds up to the total or to all the caps when they hold less', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 100_000 })), { minLength: 1, maxLength: 10 }),
        (total, pairs) => {
          const weights = pairs.map(([w]) => w);
          const caps = pairs.map(([, c]) => c);
          const parts = allocateCapped(minor(total), weights, caps);
          const room = caps.reduce((a, b) => a + b, 0);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(Math.min(total, room));
          parts.forEach((p, i) => {
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(caps[i] as number);
          });
          // When no cap binds, it is plain largest remainder.
          if (weights.some((w) => w > 0) && caps.every((c, i) => c > 0 || weights[i] === 0)) {
            const plain = allocateLargestRemainder(minor(total), weights);
            if (plain.every((p, i) => p <= (caps[i] as number))) expect(parts).toEqual(plain);
          }
        },
      ),
    );
  });

  it('moves what a full line cannot hold to the others', () => {
    // 300 pro rata 1:1:1 is 100 each; the first line holds 40, so 260 go 130/130 to the others.
    expect(allocateCapped(minor(300), [1000, 1000, 1000], [40, 500, 500])).toEqual([40, 130, 130]);
    expect(allocateCapped(minor(300), [1000, 1000], [40, 50])).toEqual([40, 50]);
  });
});

const basketArb = fc.array(fc.record({ gross: fc.integer({ min: 0, max: 200_000 }), qty: fc.integer({ min: 1, max: 5 }), eligible: fc.boolean() }), { minLength: 1, maxLength: 10 });

function eligibleGross(r: Receipt): number {
  return (r.items ?? []).filter((i) => i.eligible_for_discount === true && i.gross_amount > 0).reduce((s, i) => s + i.gross_amount, 0);
}

describe('a receipt-level percentage', () => {
  it('is the percentage of the receipt gross once, and the line discounts add up to exactly that', () => {
    fc.assert(
      fc.property(basketArb, fc.integer({ min: 0, max: 100 }), fc.constantFrom('NOK', 'ISK', 'JPY', 'EUR'), (items, pct, currency) => {
        const r = receipt(items.map((it, i) => ({ id: `i${i}`, ...it })), { currency });
        const res = run(r, [rule('p', { reward: { type: 'discount_percent', value: pct } })]);
        const base = eligibleGross(r);
        const expected = base > 0 ? percentOf(minor(base), pct) : 0;
        expect(res.total_discount).toBe(expected);
        const lines = linesOf(res, 'p');
        expect(Object.values(lines).reduce((a, b) => a + b, 0)).toBe(expected);
        // Each line is its exact share of the rounded total, rounded down or up.
        for (const item of r.items ?? []) {
          const got = lines[item.line_id] ?? 0;
          if (!(item.eligible_for_discount === true && item.gross_amount > 0)) expect(got).toBe(0);
          else {
            const exact = (expected * item.gross_amount) / base;
            expect(Math.abs(got - exact)).toBeLessThan(1);
          }
        }
      }),
    );
  });

  it('counts on the gross before item discounts, and never takes more than is left of a line', () => {
    fc.assert(
      fc.property(basketArb, fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 150_000 }), (items, pct, off) => {
        const r = receipt(items.map((it, i) => ({ id: i === 0 ? 'hit' : `i${i}`, ...it })));
        const itemRule = rule('a-item', { requirement: { item: { items: [{ id: 'hit' }] } }, reward: { type: 'discount_amount', value: off } });
        const res = run(r, [itemRule, rule('z-receipt', { reward: { type: 'discount_percent', value: pct } })]);
        const itemLines = linesOf(res, 'a-item');
        const open = (r.items ?? []).filter((i) => i.eligible_for_discount === true && i.gross_amount > 0 && i.gross_amount - (itemLines[i.line_id] ?? 0) > 0);
        const base = open.reduce((s, i) => s + i.gross_amount, 0);
        const room = open.reduce((s, i) => s + i.gross_amount - (itemLines[i.line_id] ?? 0), 0);
        const want = base > 0 ? Math.min(percentOf(minor(base), pct), room) : 0;
        expect(outcome(res, 'z-receipt').amount).toBe(want);
        const receiptLines = linesOf(res, 'z-receipt');
        for (const i of r.items ?? []) expect((itemLines[i.line_id] ?? 0) + (receiptLines[i.line_id] ?? 0)).toBeLessThanOrEqual(Math.max(0, i.gross_amount));
      }),
    );
  });
});

describe('worked examples', () => {
  it('10 % of three lines of 0.05 is 0.02 in all, not 0.03 (receipt and item rules)', () => {
    const basket = receipt([{ id: 'a', gross: 5 }, { id: 'b', gross: 5 }, { id: 'c', gross: 5 }]);
    expect(linesOf(run(basket, [rule('r', { reward: { type: 'discount_percent', value: 10 } })]))).toEqual({ 1: 1, 2: 1 });
    const item = rule('i', { requirement: { item: { items: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] } }, reward: { type: 'discount_percent', value: 10 } });
    expect(linesOf(run(basket, [item]))).toEqual({ 1: 1, 2: 1 });
  });

  it('the spare unit goes to the largest fraction, not to the largest line', () => {
    // 10 % of 30.09 (2006 + 1003) = 3.01 (300.9 rounds to 301); shares 200.67 and 100.33 floor to 200 + 100,
    // and the spare unit goes to the .67 (line 1).
    const res = run(receipt([{ id: 'a', gross: 2006 }, { id: 'b', gross: 1003 }]), [rule('r', { reward: { type: 'discount_percent', value: 10 } })]);
    expect(linesOf(res)).toEqual({ 1: 201, 2: 100 });
    // 10 % of 10.07 + 20.04 = 3.011 -> 3.01; shares 100.67 and 200.33: the spare unit goes to the smaller line
    // (the largest fraction), where the old largest-line-first split gave it to line 2.
    const small = run(receipt([{ id: 'a', gross: 1007 }, { id: 'b', gross: 2004 }]), [rule('r', { reward: { type: 'discount_percent', value: 10 } })]);
    expect(linesOf(small)).toEqual({ 1: 101, 2: 200 });
  });

  it('different `values` percentages are each taken once on their own lines', () => {
    const r = rule('v', {
      requirement: { item: { items: [{ group_id: 'B1' }, { group_id: 'B2' }] } },
      reward: { type: 'discount_percent', value: 10, values: [{ items: [{ group_id: 'B2' }], value: 20 }] },
    });
    const res = run(receipt([{ id: 'a', gross: 5, groups: ['B1'] }, { id: 'b', gross: 5, groups: ['B1'] }, { id: 'c', gross: 5, groups: ['B1'] }, { id: 'd', gross: 1000, groups: ['B2'] }]), [r]);
    // B1: 10 % of 15 = 1.5 -> 2, on lines 1 and 2; B2: 20 % of 1000 = 200.
    expect(linesOf(res)).toEqual({ 1: 1, 2: 1, 4: 200 });
  });

  it('a line that cannot hold its share passes the rest to the other lines', () => {
    // Line 1 is 100.00 with 95.00 off from an item rule; 10 % gross of the receipt (200.00) is 20.00: line 1 holds
    // 5.00, line 2 takes 15.00.
    const item = rule('a', { requirement: { item: { items: [{ id: 'x' }] } }, reward: { type: 'discount_amount', value: 9500 } });
    const res = run(receipt([{ id: 'x', gross: 10000 }, { id: 'y', gross: 10000 }]), [item, rule('b', { reward: { type: 'discount_percent', value: 10 } })]);
    expect(linesOf(res, 'b')).toEqual({ 1: 500, 2: 1500 });
    expect(res.total_discount).toBe(11500);
  });

  it('ISK and JPY have no minor unit: percentages round to whole krónur and yen, and texts show no decimals', () => {
    const tenth = rule('t', { name: 'Tiundi', reward: { type: 'discount_percent', value: 10 } });
    const isk = run(receipt([{ id: 'a', gross: 1999 }, { id: 'b', gross: 1005 }], { currency: 'ISK' }), [tenth]);
    // 10 % of 3004 kr. = 300.4 -> 300 kr., shares 199.63 / 100.37 -> 200 + 100.
    expect(isk.total_discount).toBe(300);
    expect(linesOf(isk)).toEqual({ 1: 200, 2: 100 });
    expect(outcome(isk, 't').message).toBe('300 ISK off on lines 1, 2');
    expect(explainText(isk)).toContain('total discount 300 ISK');
    const jpy = evaluate(receipt([{ id: 'a', gross: 5000 }], { currency: 'JPY' }), [rule('g', { reward: { type: 'discount_amount', value: 500 }, requirement: { gross_amount: 6000 } })], { explainAll: true });
    expect(outcome(jpy, 'g').message).toBe('needs a purchase of at least 6000 JPY, receipt is 5000 JPY');
    const nok = run(receipt([{ id: 'a', gross: 1999 }, { id: 'b', gross: 1005 }]), [tenth]);
    expect(outcome(nok, 't').message).toBe('3.00 NOK off on lines 1, 2');
    expect(explainText(nok)).toContain('total discount 3.00 NOK');
    const eur = run(receipt([{ id: 'a', gross: 1999 }], { currency: 'EUR' }), [tenth]);
    expect(outcome(eur, 't').message).toBe('2.00 EUR off on line 1');
  });
});
