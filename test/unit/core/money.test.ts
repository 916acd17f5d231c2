import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, minor, MoneyError, parseDecimal, percentOf, ratioOf, sum, toDecimal } from '../../../main/core/money';

fc.configureGlobal({ seed: 20261123, numRuns: 200 });

describe('money', () => {
  it('refuses fractions of a minor unit', () => {
    expect(() => minor(10.5)).toThrow(MoneyError);
    expect(() => minor(Number.NaN)).toThrow(/whole number/);
  });

  it('rounds percentages half up', () => {
    expect(percentOf(minor(1999), 10)).toBe(200); // 199.9
    expect(percentOf(minor(1005), 10)).toBe(101); // 100.5 -> 101
    expect(percentOf(minor(1004), 10)).toBe(100); // 100.4
    expect(percentOf(minor(10000), 10.5)).toBe(1050);
    expect(percentOf(minor(-1005), 10)).toBe(-101);
  });

  it('allocates so that the parts always add up, remainder to the largest weights', () => {
    expect(allocate(minor(100), [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(minor(10), [100, 300])).toEqual([2, 8]); // 2.5 + 7.5: the spare unit goes to the larger line
    expect(allocate(minor(1), [100, 300])).toEqual([0, 1]);
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 60 }), (total, weights) => {
        const parts = allocate(minor(total), weights);
        expect(sum(parts)).toBe(total);
        expect(parts).toHaveLength(weights.length);
      }),
    );
  });

  it('takes ratios on integers, rounding half up', () => {
    expect(ratioOf(minor(12_500), 2500, 12_500)).toBe(2500); // 25 % VAT included in 125.00
    expect(ratioOf(minor(1_000), 2500, 12_500)).toBe(200);
    expect(ratioOf(minor(1_001), 2500, 12_500)).toBe(200); // 200.2
    expect(ratioOf(minor(1_003), 2500, 12_500)).toBe(201); // 200.6
    expect(ratioOf(minor(5), 1, 2)).toBe(3); // 2.5 -> 3
    expect(ratioOf(minor(-5), 1, 2)).toBe(-3);
    expect(() => ratioOf(minor(5), 1, 0)).toThrow(MoneyError);
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 1e4 }), fc.integer({ min: 1, max: 1e5 }), (a, n, d) => {
        const exact = (a * n) / d;
        expect(Math.abs(ratioOf(minor(a), n, d) - exact)).toBeLessThanOrEqual(0.5);
      }),
    );
  });

  it('round-trips decimals', () => {
    expect(parseDecimal('27840.10')).toBe(2784010);
    expect(toDecimal(minor(2784010))).toBe('27840.10');
    expect(toDecimal(minor(-5))).toBe('-0.05');
    expect(() => parseDecimal('1.234')).toThrow(/decimals/);
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => parseDecimal(toDecimal(minor(n))) === n));
  });
});
