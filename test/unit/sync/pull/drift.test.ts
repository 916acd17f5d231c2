import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareDiscounts } from '../../../../main/sync/pull/drift';

type Item = { line_id: number; discount_lines?: { amount?: number; discount_id?: string }[]; bonus_lines?: { bonus?: number; discount_id?: string }[] };
const receipt = (items: Item[]): { items: Item[] } => ({ items });

describe('compareDiscounts', () => {
  it('reports per line and the rule total, and leaves the input lines out of both sides', () => {
    const input = receipt([{ line_id: 1, discount_lines: [{ amount: 50 }, { amount: 20, discount_id: 'manual' }] }, { line_id: 2 }]);
    const local = receipt([
      { line_id: 1, discount_lines: [{ amount: 50 }, { amount: 20, discount_id: 'manual' }, { amount: 100, discount_id: 'r1' }] },
      { line_id: 2, discount_lines: [{ amount: 30, discount_id: 'r1' }], bonus_lines: [{ bonus: 5, discount_id: 'b1' }] },
    ]);
    const remote = receipt([
      { line_id: 1, discount_lines: [{ amount: 50 }, { amount: 20, discount_id: 'manual' }, { amount: 90, discount_id: 'r1' }] },
      { line_id: 2, discount_lines: [{ amount: 30, discount_id: 'r1' }, { amount: 7, discount_id: 'r2' }], bonus_lines: [{ bonus: 5, discount_id: 'b1' }] },
    ]);
    const c = compareDiscounts(input, local, remote);
    expect(c).toEqual({
      localDiscount: 130,
      remoteDiscount: 127,
      localBonus: 5,
      remoteBonus: 5,
      differences: [
        { ruleId: 'r1', lineId: null, measure: 'discount', localAmount: 130, remoteAmount: 120 },
        { ruleId: 'r1', lineId: 1, measure: 'discount', localAmount: 100, remoteAmount: 90 },
        { ruleId: 'r2', lineId: null, measure: 'discount', localAmount: 0, remoteAmount: 7 },
        { ruleId: 'r2', lineId: 2, measure: 'discount', localAmount: 0, remoteAmount: 7 },
      ],
    });
  });

  it('sees a discount moved between lines even when the rule total agrees', () => {
    const local = receipt([{ line_id: 1, discount_lines: [{ amount: 10, discount_id: 'r' }] }, { line_id: 2 }]);
    const remote = receipt([{ line_id: 1 }, { line_id: 2, discount_lines: [{ amount: 10, discount_id: 'r' }] }]);
    const c = compareDiscounts(receipt([{ line_id: 1 }, { line_id: 2 }]), local, remote);
    expect(c.differences.map((d) => [d.lineId, d.localAmount, d.remoteAmount])).toEqual([
      [1, 10, 0],
      [2, 0, 10],
    ]);
  });

  const line = fc.record({ amount: fc.integer({ min: 0, max: 10_000 }), discount_id: fc.constantFrom('a', 'b', 'c') });
  const priced = fc.uniqueArray(fc.record({ line_id: fc.integer({ min: 1, max: 6 }), discount_lines: fc.array(line, { maxLength: 3 }) }), { selector: (i) => i.line_id, maxLength: 5 });

  it('finds no difference between a pricing and itself, and its totals are the sums of its lines', () => {
    fc.assert(
      fc.property(priced, (items) => {
        const c = compareDiscounts(receipt([]), receipt(items), receipt(items));
        const total = items.flatMap((i) => i.discount_lines).reduce((a, d) => a + d.amount, 0);
        expect(c.differences).toEqual([]);
        expect(c.localDiscount).toBe(total);
        expect(c.remoteDiscount).toBe(total);
      }),
      { seed: 20261123 },
    );
  });

  it('is symmetric: swapping the sides swaps the amounts of the same differences', () => {
    fc.assert(
      fc.property(priced, priced, (a, b) => {
        const ab = compareDiscounts(receipt([]), receipt(a), receipt(b));
        const ba = compareDiscounts(receipt([]), receipt(b), receipt(a));
        expect(ba.differences).toEqual(ab.differences.map((d) => ({ ...d, localAmount: d.remoteAmount, remoteAmount: d.localAmount })));
        // Each rule's total row is the sum of its line rows.
        for (const t of ab.differences.filter((d) => d.lineId === null)) {
          const rows = ab.differences.filter((d) => d.ruleId === t.ruleId && d.lineId !== null);
          expect(t.localAmount - t.remoteAmount).toBe(rows.reduce((s, d) => s + d.localAmount - d.remoteAmount, 0));
        }
      }),
      { seed: 20261123 },
    );
  });
});
