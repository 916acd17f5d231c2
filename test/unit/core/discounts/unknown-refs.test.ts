import { describe, expect, it } from 'vitest';
import { buildIndex, evaluate } from '../../../../main/core/discounts';
import { receipt, rule } from './helpers';

/**
 * docs/discounts.md §2: a customer discount is given only with a ref Dintero issued. A customer whose refs the till
 * never fetched (state `refs_unknown`) gets no customer discount, and the outcome says why; rules for everyone
 * still apply. Evaluated through the index (not explainAll), as the till prices.
 */
describe('a customer whose refs the till does not know', () => {
  const milkForOthers = rule('milk-20', { requirement: { item: { items: [{ id: 'milk' }] } }, reward: { type: 'discount_percent', value: 20 }, customers: [{ customer_id: 'c-2', ref_id: 'f0e1d2c3-0000-4000-8000-000000000001' }] });
  const heldByNobodyKnown = rule('bread-5', { requirement: { item: { items: [{ id: 'bread' }] } }, reward: { type: 'discount_amount', value: 500 }, customers: [] });
  const receiptRuleForNamed = rule('vip-10', { reward: { type: 'discount_percent', value: 10 }, customers: [] });
  const forEveryone = rule('all-1', { requirement: { item: { items: [{ id: 'milk' }] } }, reward: { type: 'discount_amount', value: 100 }, customers: ['*'] });
  const index = buildIndex([milkForOthers, heldByNobodyKnown, receiptRuleForNamed, forEveryone]);
  const basket = receipt([
    { id: 'milk', gross: 2000 },
    { id: 'bread', gross: 3000 },
  ]);

  it('gets no customer discount, and each outcome says the refs were not fetched', () => {
    const result = evaluate(basket, index, { state: { customer_id: 'c-1', refs: [], refs_unknown: true } });
    const byRule = new Map(result.outcomes.map((o) => [o.discount_id, o]));
    for (const id of ['milk-20', 'bread-5', 'vip-10']) {
      expect(byRule.get(id), id).toMatchObject({ applied: false, reason: 'not_granted' });
      expect(byRule.get(id)?.message, id).toMatch(/not been fetched/);
    }
    expect(byRule.get('all-1')).toMatchObject({ applied: true, amount: 100 });
    expect(result.receipt.total_discount).toBe(100);
  });

  it('with known refs the same rules are simply not given to this customer (and unrelated ones stay silent)', () => {
    const result = evaluate(basket, index, { state: { customer_id: 'c-1', refs: [] } });
    const byRule = new Map(result.outcomes.map((o) => [o.discount_id, o]));
    expect(byRule.get('milk-20')).toMatchObject({ applied: false, reason: 'not_granted', message: 'not given to this customer' });
    expect(byRule.has('bread-5')).toBe(false);
    expect(byRule.has('vip-10')).toBe(false);
    expect(result.receipt.total_discount).toBe(100);
  });

  it('the customer who holds the ref gets the discount, claimed with that ref', () => {
    const result = evaluate({ ...basket, customer_id: 'c-2' }, index, { state: { customer_id: 'c-2', refs: [] } });
    const milk = result.discounts.find((d) => d.id === 'milk-20');
    expect(milk?.refs?.map((r) => r.id)).toEqual(['f0e1d2c3-0000-4000-8000-000000000001']);
  });
});
