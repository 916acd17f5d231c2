/**
 * A rule compiled once per rule set: matchers, limits and grants pulled out of the loose Dintero object into the
 * shape evaluation reads many times per basket.
 */
import type { Day, Grant, ItemMatcher, Rule, RewardType } from './schema';

export type RuleKind = 'item' | 'receipt';

export type Matcher = { readonly id: string | undefined; readonly group: string | undefined };

export type Mix = { readonly matchers: readonly Matcher[]; readonly quantity: number; readonly rewardEligible: boolean };

export type Period = { readonly day: Day; readonly start: number; readonly end: number };

export type Instance = {
  /** The ref to claim: the grant's own ref id, or one derived from the rule and grant (docs/discounts.md §2). */
  readonly refId: string;
  /** `*`, `/` or a customer id. */
  readonly grantedTo: string;
  readonly receivedAt: number | undefined;
};

export type CompiledRule = {
  readonly id: string;
  readonly rule: Rule;
  /** The rule as `discounts[]` shows it: without the till's grant list. Built once, shared by every result. */
  readonly published: Rule;
  /** For people: the name, else the receipt text, else the id. */
  readonly label: string;
  readonly kind: RuleKind;
  readonly active: boolean;
  readonly anyItem: boolean;
  /** Non-wildcard item matchers of `requirement.item.items`; empty for receipt rules. */
  readonly items: readonly Matcher[];
  readonly quantity: number;
  readonly mixes: readonly Mix[];
  readonly blacklist: readonly Matcher[];
  readonly from: number;
  readonly to: number;
  readonly hours: { readonly timeZone: string; readonly periods: readonly Period[] } | undefined;
  readonly dynamicDays: number | undefined;
  readonly rewardType: RewardType;
  readonly value: number;
  readonly values: readonly { readonly matchers: readonly Matcher[]; readonly value: number }[];
  readonly base: 'gross' | 'net';
  readonly bonus: boolean;
  readonly rewardUsage: number;
  readonly combinable: boolean;
  readonly eligible: 'item_eligible_for_discount' | 'item_eligible_for_discount_no_discount' | 'receipt_no_discount';
  readonly repeatUsage: number;
  readonly stamps: number | undefined;
  readonly stampExpireDays: number;
  readonly deactivatedBy: readonly string[];
  readonly code: string | undefined;
  readonly grossMin: number;
  readonly netMin: number | undefined;
  /** Instances per customer id, plus the `*` and `/` grants. */
  readonly customers: ReadonlyMap<string, readonly Instance[]>;
  readonly anyCustomer: Instance | undefined;
  readonly anonymous: Instance | undefined;
};

export const ANY_ITEM = 'ANY_ITEM';
const WILDCARD = '*';
const DAY_MS = 86_400_000;
export { DAY_MS };

function toMatcher(m: ItemMatcher): Matcher {
  return { id: m.id, group: m.group_id };
}

function isWildcard(m: ItemMatcher): boolean {
  return (m.id === WILDCARD && (m.group_id === undefined || m.group_id === WILDCARD)) || (m.id === undefined && m.group_id === WILDCARD);
}

/**
 * Dintero's rule kind (§1.1 of the reference): no items or only wildcard items make a receipt rule; any other item,
 * `ANY_ITEM` included, makes an item rule. The rule's own read-only `type` field is not trusted over this.
 */
export function ruleKind(rule: Rule): RuleKind {
  const items = rule.requirement.item?.items ?? [];
  return items.some((m) => !isWildcard(m)) ? 'item' : 'receipt';
}

function minutes(hhmm: string): number {
  const [h = '0', m = '0'] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

export function grantRefId(ruleId: string, grantedTo: string): string {
  return `${ruleId}:${grantedTo}`;
}

function compileGrants(rule: Rule): Pick<CompiledRule, 'customers' | 'anyCustomer' | 'anonymous'> {
  const customers = new Map<string, Instance[]>();
  let anyCustomer: Instance | undefined;
  let anonymous: Instance | undefined;
  const offered = new Set<string>();
  const grants: Grant[] = rule.customers ?? [];
  for (const grant of grants) {
    const g = typeof grant === 'string' ? { customer_id: grant } : grant;
    // offering_constraint_id: a customer gets one instance per constraint value, however often it was given.
    const constraint = 'offering_constraint_id' in g ? g.offering_constraint_id : undefined;
    if (constraint !== undefined) {
      const key = `${g.customer_id}\u0000${constraint}`;
      if (offered.has(key)) continue;
      offered.add(key);
    }
    const instance: Instance = {
      refId: ('ref_id' in g ? g.ref_id : undefined) ?? grantRefId(rule.id, g.customer_id),
      grantedTo: g.customer_id,
      receivedAt: 'received_at' in g && g.received_at !== undefined ? Date.parse(g.received_at) : undefined,
    };
    if (g.customer_id === WILDCARD) anyCustomer ??= instance;
    else if (g.customer_id === '/') anonymous ??= instance;
    else {
      const list = customers.get(g.customer_id) ?? [];
      if (!list.some((i) => i.refId === instance.refId)) list.push(instance);
      customers.set(g.customer_id, list);
    }
  }
  for (const list of customers.values()) list.sort((a, b) => (a.refId < b.refId ? -1 : a.refId > b.refId ? 1 : 0));
  return { customers, anyCustomer, anonymous };
}

export function compileRule(rule: Rule): CompiledRule {
  const req = rule.requirement;
  const lim = rule.limitation ?? {};
  const itemsRaw = req.item?.items ?? [];
  const kind = ruleKind(rule);
  const anyItem = kind === 'item' && itemsRaw.some((m) => m.id === ANY_ITEM);
  const hours = lim.discount_hours;
  const { customers: _grants, ...published } = rule;
  return {
    id: rule.id,
    rule,
    published,
    label: rule.name ?? rule.receipt_text ?? rule.id,
    kind,
    active: rule.active !== false && (rule.deleted_at ?? undefined) === undefined,
    anyItem,
    items: kind === 'item' ? itemsRaw.filter((m) => !isWildcard(m)).map(toMatcher) : [],
    quantity: req.item?.quantity ?? 0,
    mixes: (req.item?.mixes ?? []).map((m) => ({
      matchers: (m.items ?? []).map(toMatcher),
      quantity: m.quantity,
      rewardEligible: m.reward_eligible ?? false,
    })),
    blacklist: (lim.blacklist ?? []).map(toMatcher),
    from: Date.parse(req.purchase_from),
    to: Date.parse(req.purchase_to),
    hours:
      hours && hours.hours.length > 0
        ? {
            timeZone: hours.timezone ?? 'Europe/Oslo',
            periods: hours.hours.map((h) => ({ day: h.day, start: minutes(h.start), end: minutes(h.end) })),
          }
        : undefined,
    dynamicDays: lim.dynamic_purchase_to_days,
    rewardType: rule.reward.type,
    value: rule.reward.value,
    values: (rule.reward.values ?? []).map((v) => ({ matchers: v.items.map(toMatcher), value: v.value })),
    base: rule.reward.base ?? 'gross',
    bonus: rule.reward.effect === 'bonus',
    rewardUsage: lim.discount_reward_usage ?? -1,
    combinable: (lim.discount_combination ?? -1) !== 0,
    eligible: lim.discount_eligible ?? 'item_eligible_for_discount',
    repeatUsage: lim.discount_repeat_usage ?? -1,
    stamps: req.stamp !== undefined && req.stamp > 0 ? req.stamp : undefined,
    stampExpireDays: lim.stamp_expire_days ?? -1,
    deactivatedBy: (lim.discount_activation ?? []).filter((a) => a.type === 'deactivate_if_discount_active').map((a) => a.value),
    code: req.discount_code,
    grossMin: req.gross_amount ?? 0,
    netMin: req.net_amount,
    ...compileGrants(rule),
  };
}

/** Both parts must match when both are given; `ANY_ITEM` and `*` match every item. */
export function matches(m: Matcher, itemId: string | undefined, groups: readonly string[]): boolean {
  if (m.id !== undefined && m.id !== ANY_ITEM && m.id !== WILDCARD && m.id !== itemId) return false;
  if (m.group !== undefined && m.group !== WILDCARD && !groups.includes(m.group)) return false;
  return true;
}

export function matchesAny(list: readonly Matcher[], itemId: string | undefined, groups: readonly string[]): boolean {
  for (const m of list) if (matches(m, itemId, groups)) return true;
  return false;
}
