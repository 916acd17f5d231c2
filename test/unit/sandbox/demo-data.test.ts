import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gtinCheckDigit } from '../../../main/core/catalog/codes';
import { parseCatalogJson } from '../../../main/core/catalog/rows';
import { parseRules, REWARD_TYPES, type Rule } from '../../../main/core/discounts';
import { DemoDataSchema } from '../../../main/sandbox/demo-data';

const demo = path.join(import.meta.dirname, '..', '..', '..', 'demo');
const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(demo, file), 'utf8'));

type CatalogItem = { id: string; codes: string[]; groups: { id: string }[]; unit: string; unit_price_minor: number; vat_rate: string; age_limit?: string; eligible_for_discount?: boolean };
const catalog = read('catalog.json') as { store_id: string; currency: string; items: CatalogItem[] };
const rules = read('rules.json') as Rule[];

function validEan13(code: string): boolean {
  return /^\d{13}$/.test(code) && gtinCheckDigit(code.slice(0, 12)) === Number(code[12]);
}

describe('demo catalog', () => {
  it('has at least 200 items for demo-store-1 in NOK, each with a valid EAN-13, and imports without problems', () => {
    expect(catalog.store_id).toBe('demo-store-1');
    expect(catalog.currency).toBe('NOK');
    expect(catalog.items.length).toBeGreaterThanOrEqual(200);
    for (const item of catalog.items) expect(item.codes.every(validEan13), item.id).toBe(true);
    const parsed = parseCatalogJson(fs.readFileSync(path.join(demo, 'catalog.json'), 'utf8'));
    expect(parsed.problems).toEqual([]);
    expect(parsed.rows).toHaveLength(catalog.items.length);
  });

  it('uses the Norwegian VAT rates, whole øre prices, and has weighed, price-labelled and age-limited items', () => {
    expect(new Set(catalog.items.map((i) => i.vat_rate))).toEqual(new Set(['25', '15', '0']));
    expect(catalog.items.every((i) => Number.isSafeInteger(i.unit_price_minor) && i.unit_price_minor > 0)).toBe(true);
    const weighed = catalog.items.filter((i) => i.unit === 'weight');
    expect(weighed.length).toBeGreaterThanOrEqual(3);
    // In-store codes (prefix 2x) with the variable part zeroed: the key a variable-measure item is stored under.
    expect(weighed.every((i) => i.codes.every((c) => /^23\d{5}00000\d$/.test(c)))).toBe(true);
    expect(catalog.items.some((i) => i.codes.some((c) => /^22\d{5}00000\d$/.test(c)))).toBe(true);
    const adult = catalog.items.filter((i) => i.age_limit === '18');
    expect(adult.length).toBeGreaterThanOrEqual(2);
    expect(adult.every((i) => i.eligible_for_discount === false)).toBe(true);
  });
});

describe('demo rules', () => {
  it('all load with the discount engine and cover the seven reward types', () => {
    const parsed = parseRules(rules);
    expect(parsed.rejected).toEqual([]);
    expect(rules.length).toBeGreaterThanOrEqual(15);
    expect(new Set(rules.map((r) => r.reward.type))).toEqual(new Set(REWARD_TYPES));
  });

  it('exercise the common requirements and limitations', () => {
    const has = (pick: (r: Rule) => unknown): boolean => rules.some((r) => pick(r) !== undefined);
    expect(has((r) => r.requirement.gross_amount)).toBe(true);
    expect(has((r) => r.requirement.discount_code)).toBe(true);
    expect(has((r) => r.requirement.customer?.status)).toBe(true);
    expect(has((r) => r.requirement.stamp)).toBe(true);
    expect(has((r) => r.requirement.item?.mixes)).toBe(true);
    expect(has((r) => r.requirement.store?.id)).toBe(true);
    expect(has((r) => r.requirement.currencies)).toBe(true);
    expect(has((r) => r.reward.values)).toBe(true);
    expect(has((r) => (r.reward.effect === 'bonus' ? true : undefined))).toBe(true);
    for (const key of ['discount_reward_usage', 'discount_repeat_usage', 'discount_combination', 'discount_eligible', 'blacklist', 'discount_hours', 'discount_activation', 'stamp_expire_days', 'dynamic_purchase_to_days'] as const) {
      expect(has((r) => r.limitation?.[key]), key).toBe(true);
    }
    expect(rules.some((r) => r.active === false)).toBe(true);
  });

  it('match only items and groups that exist in the catalog, and grant to *, / or demo members', () => {
    const ids = new Set(catalog.items.map((i) => i.id));
    const groups = new Set(catalog.items.flatMap((i) => i.groups.map((g) => g.id)));
    const members = new Set((read('members.json') as { customerId: string }[]).map((m) => m.customerId));
    const matchers = rules.flatMap((r) => [
      ...(r.requirement.item?.items ?? []),
      ...(r.requirement.item?.mixes ?? []).flatMap((m) => m.items ?? []),
      ...(r.limitation?.blacklist ?? []),
      ...(r.reward.values ?? []).flatMap((v) => v.items),
    ]);
    for (const m of matchers) {
      if (m.id !== undefined && m.id !== 'ANY_ITEM') expect(ids.has(m.id), m.id).toBe(true);
      if (m.group_id !== undefined) expect(groups.has(m.group_id), m.group_id).toBe(true);
    }
    for (const grant of rules.flatMap((r) => r.customers ?? [])) {
      const id = typeof grant === 'string' ? grant : grant.customer_id;
      expect(id === '*' || id === '/' || members.has(id), id).toBe(true);
    }
  });
});

describe('demo members and gift cards', () => {
  it('validate, with fake +47 99 99 99 xx numbers and example.com e-mails', () => {
    const data = DemoDataSchema.parse({ members: read('members.json'), giftCards: read('gift-cards.json') });
    expect(data.members.length).toBeGreaterThanOrEqual(5);
    for (const m of data.members) {
      expect(m.phoneNumber).toMatch(/^\+47999999\d{2}$/);
      expect(m.email).toMatch(/@example\.com$/);
    }
    expect(data.members.some((m) => m.points > 0 && m.credit > 0)).toBe(true);
    expect(data.giftCards.some((c) => c.amount > 0)).toBe(true);
    expect(new Set(data.giftCards.map((c) => c.token)).size).toBe(data.giftCards.length);
  });
});
