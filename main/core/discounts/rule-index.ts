/**
 * The rule index, built once per rule set: each rule is filed under the most selective thing a basket must
 * have for it to apply (an item id, a group, a mix item, a code, a customer, a store), so evaluation reads only
 * the rules a basket can reach. Rules that need nothing specific sit in `general` and are read every time.
 */
import { compileRule, type CompiledRule } from './model';
import type { Receipt, Rule } from './schema';

export type RuleIndex = {
  readonly kind: 'rule-index';
  /** Every usable rule, sorted by id; a rule's position here is its ordinal. */
  readonly all: readonly CompiledRule[];
  readonly byKey: ReadonlyMap<string, readonly number[]>;
  readonly general: readonly number[];
  /** Ids that appeared more than once; every copy is left out. */
  readonly duplicates: readonly string[];
};

/**
 * A customer discount (no `*` or `/` grant) is also filed under its basket keys with the prefix `n:` (`n:cust` when it
 * has none): a receipt whose customer's refs the till does not know reaches it there, so the "why" can say the
 * discount was not given for want of a ref rather than stay silent (docs/discounts.md §2).
 */
const UNKNOWN_REFS = 'n:';

function keysOf(r: CompiledRule): string[] | 'general' | 'never' {
  if (!r.active) return 'never';
  const customerOnly = !r.anyCustomer && !r.anonymous;
  const keys = basketKeysOf(r);
  if (!customerOnly) return keys;
  const unknown = keys === 'general' || keys.length === 0 || keys.some((k) => k.startsWith('u:')) ? [`${UNKNOWN_REFS}cust`] : keys.map((k) => `${UNKNOWN_REFS}${k}`);
  // Held by nobody the till knows of: reached only through the unknown-refs keys.
  return r.customers.size === 0 ? unknown : [...(keys === 'general' ? [] : keys), ...unknown];
}

/** The most selective thing a basket must have for the rule (without asking whether anyone holds it). */
function basketKeysOf(r: CompiledRule): string[] | 'general' {
  if (r.kind === 'item' && !r.anyItem) return r.items.map((m) => (m.id !== undefined ? `i:${m.id}` : `g:${m.group ?? ''}`));
  const mix = r.mixes.find((m) => m.quantity > 0 && m.matchers.length > 0);
  if (mix && !mix.matchers.some((m) => m.id === '*' || (m.id === undefined && m.group === '*'))) {
    return mix.matchers.map((m) => (m.id !== undefined ? `i:${m.id}` : `g:${m.group ?? ''}`));
  }
  if (r.code !== undefined) return [`c:${r.code}`];
  if (!r.anyCustomer && !r.anonymous) return [...r.customers.keys()].map((c) => `u:${c}`);
  if (!r.anyCustomer && r.customers.size === 0) return ['anon'];
  if (!r.anonymous) return ['cust'];
  const stores = r.rule.requirement.store?.id ?? r.rule.requirement.store_ids;
  if (stores && stores.length > 0) return stores.map((s) => `s:${s}`);
  return 'general';
}

export function buildIndex(rules: readonly Rule[]): RuleIndex {
  const seen = new Map<string, number>();
  for (const rule of rules) seen.set(rule.id, (seen.get(rule.id) ?? 0) + 1);
  const duplicates = [...seen].filter(([, n]) => n > 1).map(([id]) => id).sort();
  const all = rules
    .filter((rule) => seen.get(rule.id) === 1)
    .map(compileRule)
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const byKey = new Map<string, number[]>();
  const general: number[] = [];
  all.forEach((r, ordinal) => {
    const keys = keysOf(r);
    if (keys === 'never') return;
    if (keys === 'general') {
      general.push(ordinal);
      return;
    }
    for (const key of new Set(keys)) {
      const list = byKey.get(key);
      if (list) list.push(ordinal);
      else byKey.set(key, [ordinal]);
    }
  });
  return { kind: 'rule-index', all, byKey, general, duplicates };
}

export function isRuleIndex(value: RuleIndex | readonly Rule[]): value is RuleIndex {
  return !Array.isArray(value) && (value as RuleIndex).kind === 'rule-index';
}

/**
 * The rules a receipt can reach, in id order (so the result never depends on the order of the rule file).
 * `refsUnknown`: the till never fetched the customer's refs, so customer discounts reachable by the basket are
 * considered too (they fail as not granted, with the reason).
 */
export function candidatesFor(index: RuleIndex, receipt: Receipt, refsUnknown = false): CompiledRule[] {
  const found = new Set<number>(index.general);
  const unknown = refsUnknown && receipt.customer_id !== undefined;
  const takeKey = (key: string): void => {
    const list = index.byKey.get(key);
    if (list) for (const ordinal of list) found.add(ordinal);
  };
  const take = (key: string): void => {
    takeKey(key);
    if (unknown) takeKey(`${UNKNOWN_REFS}${key}`);
  };
  for (const item of receipt.items ?? []) {
    if (item.id !== undefined) {
      take(`i:${item.id}`);
      take(`c:${item.id}`);
    }
    for (const g of item.groups ?? []) take(`g:${g.id}`);
  }
  for (const code of receipt.discount_code ?? []) take(`c:${code}`);
  if (receipt.customer_id !== undefined) {
    take(`u:${receipt.customer_id}`);
    take('cust');
  } else take('anon');
  take(`s:${receipt.store.id}`);
  if (unknown) takeKey(`${UNKNOWN_REFS}cust`);
  return [...found].sort((a, b) => a - b).map((ordinal) => index.all[ordinal] as CompiledRule);
}
