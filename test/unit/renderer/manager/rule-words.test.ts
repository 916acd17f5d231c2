import { describe, expect, it } from 'vitest';
import { ruleFacts } from '../../../../main/core/discounts/describe-rule';
import { RuleSchema } from '../../../../main/core/discounts/schema';
import { ruleWordRows } from '../../../../renderer/manager/rule-words';
import { RULE_WORDS_EN, RULE_WORDS_ES, RULE_WORDS_NB, type RuleWordings } from '../../../../renderer/shared/i18n-rules';

const base = {
  id: 'r-1',
  name: 'Weekend milk',
  requirement: { purchase_from: '2026-12-04T23:00:00Z', purchase_to: '2026-12-31T22:59:00Z' },
};

function rows(rule: unknown, words: RuleWordings = RULE_WORDS_EN, locale = 'en-GB'): Record<string, string> {
  const facts = ruleFacts(RuleSchema.parse(rule));
  // Intl separates a currency from its amount with a no-break space.
  return Object.fromEntries(ruleWordRows(facts, { words, locale, timeZone: 'Europe/Oslo', currency: 'NOK' }).map(([k, v]) => [k, v.replace(/\u00a0/g, ' ')]));
}

describe("a discount rule in the manager's words", () => {
  it('words a percentage off the receipt for every member, with the validity in the store time zone', () => {
    const r = rows({ ...base, reward: { type: 'discount_percent', value: 10 }, customers: ['*'] });
    expect(r['What it gives']).toBe('10% off the receipt');
    expect(r['Who gets it']).toBe('Every member (a sale with a membership)');
    // 23:00 UTC on 4 December is midnight on the 5th in Oslo.
    expect(r['Valid']).toBe('05/12/2026, 00:00 to 31/12/2026, 23:59');
    expect(r['Stores']).toBe('Every store');
    expect(r['Conditions']).toBe('None');
    expect(r['Limits']).toBe('No limit per customer. Combines with other discounts');
  });

  it('words an amount, named customers and stores, the conditions and the limits', () => {
    const r = rows({
      ...base,
      requirement: { ...base.requirement, store_ids: ['bergen-2', 'oslo-1'], gross_amount: 20000, item: { items: [{ id: '7040001' }, { group_id: 'dairy' }] }, discount_code: 'XMAS' },
      reward: { type: 'discount_amount', value: 2500, base: 'gross' },
      limitation: { discount_reward_usage: 1, discount_combination: 0, discount_hours: { timezone: 'Europe/Oslo', hours: [{ day: 'sat', start: '08:00', end: '12:00' }] } },
      customers: ['c-1', { customer_id: 'c-2', ref_id: 'u-2' }, '/'],
    });
    // Named items make it an item rule: the amount comes off them.
    expect(r['What it gives']).toBe('NOK 25.00 off the items (computed on prices with VAT)');
    expect(r['Who gets it']).toBe('Customers it was given to: 2, and sales without a membership');
    expect(r['Stores']).toBe('Only in: bergen-2 and oslo-1');
    expect(r['Conditions']).toBe('A receipt of at least NOK 200.00. Items or groups the rule names: 2. A discount code');
    expect(r['Limits']).toBe('Once per customer. Not combined with other discounts. Only at these times: Sat 08:00–12:00');
  });

  it('words a percentage on an item rule as off the items, not off the receipt', () => {
    const r = rows({ ...base, requirement: { ...base.requirement, item: { items: [{ group_id: 'dairy' }] } }, reward: { type: 'discount_percent', value: 12.5 }, customers: ['*'] });
    expect(r['What it gives']).toBe('12.5% off the items');
  });

  it('words free items as "buy N" without repeating the quantity as a condition', () => {
    const r = rows({ ...base, requirement: { ...base.requirement, item: { quantity: 3, items: [{ id: '7040001' }] } }, reward: { type: 'discount_item_quantity', value: 1 }, customers: ['*', '/'] });
    expect(r['What it gives']).toBe('Buy 3, 1 of them free');
    expect(r['Who gets it']).toBe('Every customer, member or not');
    expect(r['Conditions']).toBe('Items or groups the rule names: 1');
  });

  it('shows no rule JSON, wildcard or reward type name in Norwegian or Spanish', () => {
    const rule = {
      ...base,
      requirement: { ...base.requirement, currencies: [{ 'anything-but': ['SEK'] }], stamp: 5 },
      reward: { type: 'discount_item_percent', value: 15, effect: 'bonus' },
      limitation: { discount_reward_usage: 3, discount_hours: { hours: [{ day: 'mon', start: '09:00', end: '17:00' }] } },
      customers: [],
    };
    for (const [words, locale] of [
      [RULE_WORDS_NB, 'nb-NO'],
      [RULE_WORDS_ES, 'es-ES'],
    ] as const) {
      const text = Object.entries(rows(rule, words, locale)).flat().join(' | ');
      expect(text).not.toMatch(/[{}*]|discount_|purchase_|reward|anything-but|\bnull\b|undefined/);
      expect(text).not.toMatch(/\b(the|and|off|every|customer|items?)\b/i);
      expect(text).toContain('15');
      expect(text).toContain('SEK');
    }
    expect(rows(rule, RULE_WORDS_NB, 'nb-NO')['Hvem får den']).toBe('Ingen ennå: ingen kunde har fått den');
  });
});
