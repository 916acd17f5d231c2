import { ruleKind } from './model';
import type { Day, RewardType, Rule } from './schema';

/** Who a rule's grants reach: `*` is any purchase with a customer id, `/` a purchase without one. */
export type RuleAudience =
  | { readonly kind: 'everyone' }
  | { readonly kind: 'members' }
  | { readonly kind: 'non-members' }
  | { readonly kind: 'customers'; readonly count: number; readonly alsoNonMembers: boolean }
  | { readonly kind: 'nobody' };

/**
 * A rule as facts a screen words in its own language (the manager's rules view): no JSON, no `*`, no reward type
 * names. Amounts are minor units of the rule's currency; times are instants the screen shows in the store's zone.
 */
export type RuleFacts = {
  /** An item rule gives its reward on the items it names; a receipt rule on the receipt. */
  readonly kind: 'item' | 'receipt';
  readonly reward: {
    readonly type: RewardType;
    /** A percentage for the percent types, minor units for amounts and prices, a count for free items. */
    readonly value: number;
    /** How many item groups have a value of their own (`reward.values`). */
    readonly perItemValues: number;
    readonly bonus: boolean;
    readonly base: 'net' | 'gross' | null;
  };
  readonly validFrom: string;
  readonly validTo: string;
  readonly audience: RuleAudience;
  /** Store ids the rule names (`store_ids` and `store.id`); empty for every store. */
  readonly stores: readonly string[];
  /** Other store conditions (chain, name, address...) the rule sets. */
  readonly otherStoreConditions: boolean;
  readonly minimumGross: number | null;
  readonly minimumNet: number | null;
  readonly minimumQuantity: number | null;
  /** Items or groups the rule names; 0 when any item counts. */
  readonly itemCount: number;
  readonly mixCount: number;
  readonly needsDiscountCode: boolean;
  readonly stampsNeeded: number | null;
  readonly customerConditions: boolean;
  /** Currencies the rule is limited to, and those it excludes (`anything-but`). */
  readonly currencies: { readonly only: readonly string[]; readonly except: readonly string[] };
  /** Times one customer can get it (`discount_reward_usage`); null for no limit. */
  readonly usesPerCustomer: number | null;
  readonly combinesWithOthers: boolean;
  readonly hours: readonly { readonly day: Day; readonly start: string; readonly end: string }[];
  readonly hoursTimeZone: string | null;
  readonly excludedItems: number;
};

/**
 * One cached rule in words: what a purchase needs, what it gives and its limits. `till-agent rules explain`
 * prints it and the manager screen shows it, so both say the same thing.
 */
export type RuleDescription = {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
  readonly kind: 'item' | 'receipt';
  readonly receiptText: string | null;
  readonly validFrom: string;
  readonly validTo: string;
  readonly customers: string;
  readonly reward: string;
  readonly requirement: string;
  readonly limitation: string;
  readonly facts: RuleFacts;
};

function audienceOf(rule: Rule): RuleAudience {
  const ids = new Set((rule.customers ?? []).map((g) => (typeof g === 'string' ? g : g.customer_id)));
  const members = ids.delete('*');
  const nonMembers = ids.delete('/');
  if (members && nonMembers) return { kind: 'everyone' };
  if (members) return { kind: 'members' };
  if (ids.size > 0) return { kind: 'customers', count: ids.size, alsoNonMembers: nonMembers };
  return nonMembers ? { kind: 'non-members' } : { kind: 'nobody' };
}

const STORE_CONDITIONS = ['name', 'business_name', 'address', 'chain', 'email', 'gln', 'organization_number', 'phone_number', 'mcc', 'mcc_ranges', 'bax', 'terminal_id'];

export function ruleFacts(rule: Rule): RuleFacts {
  const req = rule.requirement;
  const lim = rule.limitation ?? {};
  const store = (req.store ?? {}) as Record<string, unknown>;
  const usage = lim.discount_reward_usage ?? -1;
  const items = req.item?.items ?? [];
  return {
    kind: ruleKind(rule),
    reward: {
      type: rule.reward.type,
      value: rule.reward.value,
      perItemValues: rule.reward.values?.length ?? 0,
      bonus: rule.reward.effect === 'bonus',
      base: rule.reward.base ?? null,
    },
    validFrom: req.purchase_from,
    validTo: req.purchase_to,
    audience: audienceOf(rule),
    stores: [...new Set([...(req.store_ids ?? []), ...(req.store?.id ?? [])])],
    otherStoreConditions: STORE_CONDITIONS.some((k) => store[k] !== undefined),
    minimumGross: req.gross_amount ?? null,
    minimumNet: req.net_amount ?? null,
    minimumQuantity: req.item?.quantity ?? null,
    itemCount: ruleKind(rule) === 'item' ? items.length : 0,
    mixCount: req.item?.mixes?.length ?? 0,
    needsDiscountCode: req.discount_code !== undefined,
    stampsNeeded: req.stamp ?? null,
    customerConditions: req.customer !== undefined && Object.keys(req.customer).length > 0,
    currencies: {
      only: (req.currencies ?? []).flatMap((c) => (typeof c === 'string' ? [c] : [])),
      except: (req.currencies ?? []).flatMap((c) => (typeof c === 'string' ? [] : c['anything-but'])),
    },
    usesPerCustomer: usage < 0 ? null : usage,
    combinesWithOthers: (lim.discount_combination ?? -1) !== 0,
    hours: (lim.discount_hours?.hours ?? []).map((h) => ({ day: h.day, start: h.start, end: h.end })),
    hoursTimeZone: lim.discount_hours?.timezone ?? null,
    excludedItems: lim.blacklist?.length ?? 0,
  };
}

export function grantsText(rule: Rule): string {
  const list = (rule.customers ?? []).map((g) => (typeof g === 'string' ? g : g.customer_id));
  if (list.length === 0) return 'nobody';
  return list.length > 3 ? `${list.slice(0, 3).join(', ')} +${list.length - 3}` : list.join(', ');
}

export function rewardText(rule: Rule): string {
  const r = rule.reward as { type: string; value?: unknown; effect?: string };
  const value = typeof r.value === 'number' || typeof r.value === 'string' ? String(r.value) : r.value === undefined ? '' : JSON.stringify(r.value);
  return `${r.type} ${value}${r.effect === 'bonus' ? ' (bonus)' : ''}`.trim();
}

export function describeRule(rule: Rule): RuleDescription {
  return {
    id: rule.id,
    name: rule.name ?? '',
    active: rule.active !== false,
    kind: ruleKind(rule),
    receiptText: rule.receipt_text ?? null,
    validFrom: rule.requirement.purchase_from,
    validTo: rule.requirement.purchase_to,
    customers: grantsText(rule),
    reward: rewardText(rule),
    requirement: JSON.stringify({ ...rule.requirement, purchase_from: undefined, purchase_to: undefined }),
    limitation: JSON.stringify(rule.limitation ?? {}),
    facts: ruleFacts(rule),
  };
}

/** The lines `rules explain` prints. */
export function ruleExplanationLines(d: RuleDescription): string[] {
  return [
    `${d.id}: ${d.name || '(no name)'}${d.active ? '' : ' (inactive)'}`,
    `  kind:        ${d.kind} rule${d.receiptText ? `, receipt text "${d.receiptText}"` : ''}`,
    `  valid:       ${d.validFrom} to ${d.validTo}`,
    `  customers:   ${d.customers}`,
    `  reward:      ${d.reward}`,
    `  requirement: ${d.requirement}`,
    `  limitation:  ${d.limitation}`,
  ];
}

/** Rules whose id, name or receipt text contains the query (case-insensitive); all of them for an empty query. */
export function searchRules(rules: readonly Rule[], query: string): Rule[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...rules];
  return rules.filter((r) => [r.id, r.name ?? '', r.receipt_text ?? ''].some((text) => text.toLowerCase().includes(q)));
}
