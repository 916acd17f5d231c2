import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildIndex, claimBody, evaluate, parseRules, REWARD_TYPES, type EvaluationResult, type Receipt, type Rule } from '../../../../main/core/discounts';
import { generateBasket, generateRules } from '../../../fixtures/discounts/generate';
import { fuzzParams } from '../../../helpers/fuzz';
import { FROM, MONDAY_NOON, TO } from './helpers';

// A fixed seed in `npm test`; TILL_FUZZ_RUNS (set by the soak) searches longer.
fc.configureGlobal(fuzzParams(300));

const ITEMS = ['a', 'b', 'c', 'd', 'e'];
const GROUPS = ['G1', 'G2', 'G3'];

const matcher = fc.oneof(fc.constantFrom(...ITEMS).map((id) => ({ id })), fc.constantFrom(...GROUPS).map((group_id) => ({ group_id })));

const ruleArb = (id: string): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .record({
      type: fc.constantFrom(...REWARD_TYPES),
      percent: fc.integer({ min: 0, max: 100 }),
      amount: fc.integer({ min: 0, max: 50_000 }),
      items: fc.oneof(fc.constant([]), fc.array(matcher, { minLength: 1, maxLength: 3 }), fc.constant([{ id: 'ANY_ITEM' }])),
      quantity: fc.integer({ min: 0, max: 4 }),
      usage: fc.constantFrom(-1, 1, 2),
      combination: fc.constantFrom(-1, -1, 0),
      base: fc.constantFrom('gross', 'net'),
      effect: fc.constantFrom('discount', 'discount', 'bonus'),
      eligible: fc.constantFrom('item_eligible_for_discount', 'item_eligible_for_discount_no_discount', 'receipt_no_discount'),
      grants: fc.constantFrom(['*', '/'], ['c-1'], ['*']),
      values: fc.option(fc.array(fc.record({ items: fc.array(matcher, { minLength: 1, maxLength: 2 }), value: fc.integer({ min: 0, max: 100 }) }), { maxLength: 2 }), { nil: undefined }),
    })
    .map((g) => {
      const percent = g.type === 'discount_percent' || g.type === 'discount_item_percent';
      const quantity = g.type === 'discount_item_quantity' ? Math.max(g.quantity, 2) : g.quantity;
      const value = percent ? g.percent : g.type === 'discount_item_quantity' ? 1 : g.amount;
      const mixes = g.type === 'discount_mix_new_price' ? [{ quantity: 1, reward_eligible: true, items: [{ group_id: 'G1' }] }, { quantity: 1, reward_eligible: true, items: [{ id: 'b' }] }] : undefined;
      return {
        id,
        name: `Rule ${id}`,
        requirement: { purchase_from: FROM, purchase_to: TO, item: { quantity, items: g.items, ...(mixes ? { mixes } : {}) } },
        reward: { type: g.type, value, base: g.base, effect: g.effect, ...(g.values && percent ? { values: g.values } : {}) },
        limitation: { discount_reward_usage: g.usage, discount_combination: g.combination, discount_eligible: g.eligible },
        customers: g.grants,
      };
    });

const rulesArb = fc.integer({ min: 0, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ruleArb(`r${i}`))));

const receiptArb: fc.Arbitrary<Receipt> = fc
  .array(
    fc.record({
      id: fc.constantFrom(...ITEMS, 'x'),
      groups: fc.subarray(GROUPS, { maxLength: 2 }),
      quantity: fc.integer({ min: 1, max: 4 }),
      gross: fc.integer({ min: 0, max: 100_000 }),
      eligible: fc.boolean(),
      discountShare: fc.constantFrom(0, 0, 0, 10, 50, 100),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((lines) => ({
    receipt_id: 'p',
    purchase_at: MONDAY_NOON,
    store: { id: 's' },
    currency: 'NOK',
    customer_id: 'c-1',
    items: lines.map((l, i) => {
      const discount = Math.floor((l.gross * l.discountShare) / 100);
      return {
        line_id: 100 - i * 7,
        id: l.id,
        groups: l.groups.map((id) => ({ id })),
        quantity: l.quantity,
        gross_amount: l.gross,
        eligible_for_discount: l.eligible,
        ...(discount > 0 ? { discount_lines: [{ amount: discount, discount_type: 'manual' as const }] } : {}),
      };
    }),
  }));

function parsed(raw: readonly Record<string, unknown>[]): Rule[] {
  const p = parseRules(raw);
  expect(p.rejected).toEqual([]);
  return p.rules;
}

function engineLines(res: EvaluationResult): Map<number, number> {
  const out = new Map<number, number>();
  for (const item of res.receipt.items ?? []) {
    for (const d of item.discount_lines ?? []) if (d.discount_type === 'loyalty') out.set(item.line_id, (out.get(item.line_id) ?? 0) + (d.amount ?? 0));
  }
  return out;
}

function signature(res: EvaluationResult): unknown {
  return {
    lines: [...engineLines(res)].sort((a, b) => a[0] - b[0]),
    discounts: res.discounts.map((d) => [d.id, d.refs]),
    outcomes: res.outcomes.map((o) => [o.discount_id, o.reason, o.amount, o.bonus, o.lines]),
  };
}

function shuffle<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** No line below zero, no negative discount, never more discount in total than the open eligible base. */
function expectSane(receipt: Receipt, res: EvaluationResult): void {
  let open = 0;
  for (const item of receipt.items ?? []) {
    const input = (item.discount_lines ?? []).reduce((s, d) => s + (d.amount ?? 0), 0);
    if (item.eligible_for_discount === true && item.gross_amount > 0) open += Math.max(0, item.gross_amount - input);
  }
  for (const item of res.receipt.items ?? []) {
    const off = (item.discount_lines ?? []).reduce((s, d) => s + (d.amount ?? 0), 0);
    expect(item.gross_amount - off).toBeGreaterThanOrEqual(0);
    for (const d of item.discount_lines ?? []) expect(d.amount ?? 0).toBeGreaterThanOrEqual(0);
  }
  expect(res.total_discount).toBeLessThanOrEqual(open);
  expect(res.total_discount).toBeGreaterThanOrEqual(0);
}

describe('discount engine properties', () => {
  it('never takes a line below zero, and never gives more than the base', () => {
    fc.assert(fc.property(rulesArb, receiptArb, (raw, receipt) => expectSane(receipt, evaluate(receipt, parsed(raw)))));
  });

  it('gives the same result for any order of lines and of rules', () => {
    fc.assert(
      fc.property(rulesArb, receiptArb, fc.integer({ min: 1, max: 1_000_000 }), (raw, receipt, seed) => {
        const rules = parsed(raw);
        const a = evaluate(receipt, rules);
        const b = evaluate({ ...receipt, items: shuffle(receipt.items ?? [], seed) }, shuffle(rules, seed + 1));
        expect(signature(b)).toEqual(signature(a));
        expect(b.total_discount).toBe(a.total_discount);
      }),
    );
  });

  it('the discount lines add up to the amounts of the refs', () => {
    fc.assert(
      fc.property(rulesArb, receiptArb, (raw, receipt) => {
        const res = evaluate(receipt, parsed(raw));
        const lines = [...engineLines(res).values()].reduce((s, v) => s + v, 0);
        const refs = res.discounts.flatMap((d) => d.refs).reduce((s, r) => s + r.amount, 0);
        expect(lines).toBe(refs);
        expect(lines).toBe(res.total_discount);
        for (const d of res.discounts) for (const r of d.refs) expect(r.items.reduce((s, i) => s + (i.amount ?? 0), 0)).toBe(r.amount);
      }),
    );
  });

  it('claims exactly the discount and bonus lines each discount put on the receipt', () => {
    let claims = 0;
    fc.assert(
      fc.property(rulesArb, receiptArb, (raw, receipt) => {
        const res = evaluate(receipt, parsed(raw));
        const onLines = new Map<string, number>();
        for (const item of res.receipt.items ?? []) {
          const given = [...(item.discount_lines ?? []).map((d) => [d.discount_type, d.discount_id, d.amount ?? 0] as const), ...(item.bonus_lines ?? []).map((b) => [b.discount_type, b.discount_id, b.bonus ?? 0] as const)];
          for (const [type, id, amount] of given) if (type === 'loyalty' && id !== undefined) onLines.set(id, (onLines.get(id) ?? 0) + amount);
        }
        const claim = claimBody(res, 'sale-1');
        const claimed = new Map<string, number>();
        for (const d of claim?.discounts ?? []) claimed.set(d.id, d.refs.reduce((s, r) => s + r.amount, 0));
        // Stamp-only refs (amount 0) are recorded by the receipt, not claimed; every amount given is claimed.
        expect(new Map([...claimed].filter(([, v]) => v > 0))).toEqual(new Map([...onLines].filter(([, v]) => v > 0)));
        if (claim) expect(claim.customer_id).toBe(receipt.customer_id);
        if (claim) claims++;
      }),
    );
    // Not vacuous: a good share of the random baskets did earn something to claim.
    expect(claims).toBeGreaterThan(30);
  });

  it('imports mutated rules without throwing, and what it accepts still prices safely', () => {
    const paths = [['id'], ['reward'], ['reward', 'type'], ['reward', 'value'], ['reward', 'base'], ['requirement'], ['requirement', 'purchase_from'], ['requirement', 'item'], ['requirement', 'item', 'quantity'], ['requirement', 'item', 'items'], ['limitation'], ['limitation', 'discount_reward_usage'], ['limitation', 'discount_combination'], ['customers']] as const;
    const mutated = fc.tuple(ruleArb('m'), fc.constantFrom(...paths), fc.oneof(fc.anything(), fc.integer(), fc.double(), fc.string(), fc.constant(undefined))).map(([rule, at, value]) => {
      const copy = structuredClone(rule);
      let node = copy;
      for (const key of at.slice(0, -1)) {
        if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
        node = node[key] as Record<string, unknown>;
      }
      node[at[at.length - 1] as string] = value;
      return copy;
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(mutated, ruleArb('ok')), { maxLength: 5 }), receiptArb, (input, receipt) => {
        const res = parseRules(input);
        expect(res.rules.length + res.rejected.length).toBe(input.length);
        for (const r of res.rejected) expect(r.message).toMatch(/\S/);
        expectSane(receipt, evaluate(receipt, res.rules));
      }),
    );
  });

  it('returns a receipt no rule matches unchanged', () => {
    fc.assert(
      fc.property(rulesArb, receiptArb, (raw, receipt) => {
        // Rules that need an item this basket never has.
        const unreachable = raw.map((r) => {
          const requirement = r.requirement as { item: Record<string, unknown> };
          const item = { ...requirement.item, items: [{ id: 'not-in-basket' }], mixes: [{ quantity: 1, items: [{ id: 'not-in-basket' }] }] };
          return { ...r, requirement: { ...requirement, item } };
        });
        const res = evaluate(receipt, parsed(unreachable));
        expect(res.receipt).toEqual(receipt);
        expect(res.total_discount).toBe(0);
      }),
    );
  });

  it('the index finds the same answer as looking at every rule', () => {
    const raw = generateRules(1500, 99, { items: 300, groups: 40 });
    const { rules } = parseRules(raw);
    const index = buildIndex(rules);
    for (let seed = 1; seed <= 40; seed++) {
      const receipt = generateBasket(12, raw, seed, { items: 300, groups: 40 }) as Receipt;
      const pruned = evaluate(receipt, index);
      const full = evaluate(receipt, index, { explainAll: true });
      expect(pruned.receipt).toEqual(full.receipt);
      expect(pruned.rules_considered).toBeLessThan(full.rules_considered);
    }
  });

  it('reports malformed rules instead of throwing, and loads the rest', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.anything(), ruleArb('ok')), { maxLength: 6 }), (input) => {
        const res = parseRules(input);
        expect(res.rules.length + res.rejected.length).toBe(input.length);
        for (const r of res.rejected) expect(typeof r.message).toBe('string');
      }),
    );
  });
});
