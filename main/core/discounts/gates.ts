/**
 * The checks that do not depend on what other rules do: grant, instance and its usage, time, store, currency,
 * customer, code, the item and mix requirements, minimum amounts and stamps. A rule that passes is "available"
 * for the purchase (which is what `discount_activation` looks at); competition comes after.
 */
import { describeHours, localTime, withinHours, type LocalTime } from './hours';
import type { Line } from './lines';
import { DAY_MS, matches, matchesAny, type CompiledRule, type Instance } from './model';
import { because } from '../error-reasons';
import { describeMatchers, money, needsItems, reason, type Reason } from './reasons';
import type { CustomerState, Receipt, RefState } from './schema';

export type GateContext = {
  readonly receipt: Receipt;
  readonly lines: readonly Line[];
  readonly at: number;
  readonly state: CustomerState | undefined;
  readonly receiptGross: number;
  readonly receiptNet: number;
  readonly inputDiscounted: boolean;
  readonly localTimes: Map<string, LocalTime>;
  /** Positions of eligible lines, and of those by item id and by group id (filled by `lineLookup`). */
  readonly eligibleAll: readonly number[];
  readonly byItem: ReadonlyMap<string, readonly number[]>;
  readonly byGroup: ReadonlyMap<string, readonly number[]>;
};

export function lineLookup(lines: readonly Line[]): Pick<GateContext, 'eligibleAll' | 'byItem' | 'byGroup'> {
  const eligibleAll: number[] = [];
  const byItem = new Map<string, number[]>();
  const byGroup = new Map<string, number[]>();
  const push = (map: Map<string, number[]>, key: string, pos: number): void => {
    const list = map.get(key);
    if (list) {
      if (list[list.length - 1] !== pos) list.push(pos);
    } else map.set(key, [pos]);
  };
  lines.forEach((line, pos) => {
    if (!line.eligible) return;
    eligibleAll.push(pos);
    if (line.itemId !== undefined) push(byItem, line.itemId, pos);
    for (const g of line.groups) push(byGroup, g, pos);
  });
  return { eligibleAll, byItem, byGroup };
}

/** Eligible lines matching an item rule's matchers, found through the per-basket lookups. */
function matchingLines(ctx: GateContext, rule: CompiledRule, eligible: readonly number[]): number[] {
  if (rule.anyItem || rule.items.some((m) => m.id === undefined && m.group === '*')) {
    return eligible.filter((p) => matchesAny(rule.items, (ctx.lines[p] as Line).itemId, (ctx.lines[p] as Line).groups));
  }
  // A rule names a few items and a basket holds each on a line or two: a plain array beats a Set here.
  const out: number[] = [];
  for (const m of rule.items) {
    const list = m.id !== undefined && m.id !== '*' ? ctx.byItem.get(m.id) : m.group !== undefined ? ctx.byGroup.get(m.group) : undefined;
    if (!list) continue;
    for (const p of list) {
      const line = ctx.lines[p] as Line;
      if (!out.includes(p) && matches(m, line.itemId, line.groups) && !matchesAny(rule.blacklist, line.itemId, line.groups)) out.push(p);
    }
  }
  return out.length > 1 ? out.sort((a, b) => a - b) : out;
}

export type StampInfo = { readonly before: number; readonly needed: number; readonly firstAt: number | undefined; readonly expired: boolean };

export type Passed = {
  readonly ok: true;
  readonly rule: CompiledRule;
  readonly instance: Instance;
  readonly refState: RefState | undefined;
  /** Positions in `lines` of eligible, non-blacklisted lines. */
  readonly eligible: readonly number[];
  /** Of those, the ones matching `requirement.item.items` (all of them for receipt rules). */
  readonly matching: readonly number[];
  readonly stamps: StampInfo | undefined;
  readonly debitBalance: number | undefined;
};

export type Failed = {
  readonly ok: false;
  readonly rule: CompiledRule;
  readonly reason: Reason;
  readonly instance: Instance | undefined;
  /** Set when only the stamps are missing: the purchase earns a stamp on this instance. */
  readonly collecting: StampInfo | undefined;
};

export type GateResult = Passed | Failed;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function refStateFor(ctx: GateContext, rule: CompiledRule, instance: Instance): RefState | undefined {
  const state = ctx.state;
  if (!state || (state.customer_id !== undefined && state.customer_id !== ctx.receipt.customer_id)) return undefined;
  let fallback: RefState | undefined;
  for (const r of state.refs) {
    if (r.discount_id !== rule.id) continue;
    if (r.ref_id === instance.refId) return r;
    if (r.ref_id === undefined) fallback ??= r;
  }
  return fallback;
}

function instancesFor(ctx: GateContext, rule: CompiledRule): readonly Instance[] {
  const customer = ctx.receipt.customer_id;
  if (customer === undefined) return rule.anonymous ? [rule.anonymous] : [];
  const own = rule.customers.get(customer) ?? [];
  return rule.anyCustomer ? [...own, rule.anyCustomer] : own;
}

/** Why an instance cannot be used on this purchase, or undefined when it can. */
function instanceProblem(ctx: GateContext, rule: CompiledRule, instance: Instance, st: RefState | undefined): Reason | undefined {
  const received = instance.receivedAt ?? (st?.received_at !== undefined ? Date.parse(st.received_at) : undefined);
  if (rule.dynamicDays !== undefined && received !== undefined && ctx.at > received + rule.dynamicDays * DAY_MS) {
    return reason('expired_for_customer', `expired for this customer on ${isoDate(received + rule.dynamicDays * DAY_MS)} UTC (${rule.dynamicDays} days after it was given)`, because('discount.expired-for-customer', { date: isoDate(received + rule.dynamicDays * DAY_MS), days: rule.dynamicDays }));
  }
  const used = st?.usage ?? 0;
  if (rule.repeatUsage >= 0 && used >= rule.repeatUsage) {
    return reason('used_up', `already used in ${used} purchase${used === 1 ? '' : 's'}, the limit is ${rule.repeatUsage}`, because('discount.used-up', { used, limit: rule.repeatUsage }));
  }
  if (rule.rewardType === 'discount_debit' && (st?.debit_balance ?? rule.value) <= 0) {
    return reason('debit_used_up', 'the balance of this discount is used up', because('discount.debit-used-up', {}));
  }
  return undefined;
}

function local(ctx: GateContext, timeZone: string): LocalTime {
  let t = ctx.localTimes.get(timeZone);
  if (!t) {
    t = localTime(ctx.at, timeZone);
    ctx.localTimes.set(timeZone, t);
  }
  return t;
}

/** Every accepted-value list in `filter` must contain the matching value of `value` (see docs §4). */
export function filterMatches(filter: unknown, value: unknown): boolean {
  if (Array.isArray(filter)) {
    if (filter.length === 0) return true;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (filter.every((f) => typeof f !== 'object' || f === null)) {
      const accepted = filter.map(String);
      return values.some((v) => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && accepted.includes(String(v)));
    }
    return filter.some((f) => values.some((v) => filterMatches(f, v)));
  }
  if (typeof filter === 'object' && filter !== null) {
    const obj = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    return Object.entries(filter).every(([k, f]) => filterMatches(f, obj[k]));
  }
  return true;
}

const CUSTOMER_KEYS = ['addresses', 'company', 'date_of_birth', 'enrolled_by', 'favorite_store', 'first_name', 'gender', 'last_name', 'marketing_consent', 'status', 'term', 'type', 'attributes'] as const;
const STORE_KEYS = ['id', 'name', 'business_name', 'address', 'chain', 'email', 'gln', 'organization_number', 'phone_number', 'mcc', 'bax', 'terminal_id'] as const;

function storeProblem(ctx: GateContext, rule: CompiledRule): Reason | undefined {
  const store = ctx.receipt.store as Record<string, unknown>;
  const ids = rule.rule.requirement.store_ids;
  if (ids && ids.length > 0 && !ids.includes(ctx.receipt.store.id)) return reason('store_mismatch', `only in stores ${ids.join(', ')}`, because('discount.only-stores', { stores: ids.join(', ') }));
  const filter = rule.rule.requirement.store;
  if (!filter) return undefined;
  for (const key of STORE_KEYS) {
    const f = filter[key];
    if (f !== undefined && !filterMatches(f, store[key])) {
      return key === 'id'
        ? reason('store_mismatch', `only in stores ${(f as string[]).join(', ')}`, because('discount.only-stores', { stores: (f as string[]).join(', ') }))
        : reason('store_mismatch', `not valid in this store (${key.replaceAll('_', ' ')})`, because('discount.not-this-store', {}));
    }
  }
  const ranges = filter.mcc_ranges;
  if (ranges && ranges.length > 0) {
    const mcc = Number(store.mcc);
    if (!ranges.some((r) => mcc >= r.start && mcc <= r.end)) return reason('store_mismatch', 'not valid for this kind of store (merchant category)', because('discount.not-this-store', {}));
  }
  return undefined;
}

function currencyProblem(ctx: GateContext, rule: CompiledRule): Reason | undefined {
  const list = rule.rule.requirement.currencies;
  if (!list || list.length === 0) return undefined;
  const include: string[] = [];
  const exclude: string[] = [];
  for (const c of list) {
    if (typeof c === 'string') include.push(c);
    else exclude.push(...c['anything-but']);
  }
  const cur = ctx.receipt.currency;
  if (cur !== undefined && exclude.includes(cur)) return reason('currency_mismatch', `not valid in ${cur}`, because('discount.not-in-currency', { currency: cur }));
  if (include.length > 0 && (cur === undefined || !include.includes(cur))) return reason('currency_mismatch', `only in ${include.join(', ')}`, because('discount.only-currencies', { currencies: include.join(', ') }));
  return undefined;
}

function customerProblem(ctx: GateContext, rule: CompiledRule): Reason | undefined {
  const filter = rule.rule.requirement.customer;
  if (!filter) return undefined;
  const customer = ctx.receipt.customer ?? {};
  for (const key of CUSTOMER_KEYS) {
    const f = filter[key];
    if (f !== undefined && !filterMatches(f, customer[key])) {
      return reason('customer_mismatch', `only for customers with a matching ${key.replaceAll('_', ' ')}`, because('discount.customer-mismatch', {}));
    }
  }
  return undefined;
}

function unitsOn(ctx: GateContext, positions: readonly number[]): number {
  let n = 0;
  for (const p of positions) n += (ctx.lines[p] as Line).units;
  return n;
}

function fail(rule: CompiledRule, r: Reason, instance?: Instance, collecting?: StampInfo): Failed {
  return { ok: false, rule, reason: r, instance, collecting };
}

export function checkRule(ctx: GateContext, rule: CompiledRule): GateResult {
  const cur = ctx.receipt.currency;
  if (!rule.active) return fail(rule, reason('inactive', 'switched off (inactive or deleted)', because('discount.inactive', {})));
  const instances = instancesFor(ctx, rule);
  if (instances.length === 0) {
    if (ctx.receipt.customer_id === undefined) return fail(rule, reason('not_granted', 'only for identified customers', because('discount.identified-only', {})));
    const unknown = ctx.state?.refs_unknown === true && (ctx.state.customer_id === undefined || ctx.state.customer_id === ctx.receipt.customer_id);
    return fail(
      rule,
      reason(
        'not_granted',
        unknown
          ? "not given: this customer's discounts (and the refs Dintero needs to claim them) have not been fetched yet, so the till cannot give a customer discount offline"
          : 'not given to this customer',
        because('discount.not-given', {}),
      ),
    );
  }
  if (ctx.at < rule.from) return fail(rule, reason('not_started', `valid from ${isoDate(rule.from)} UTC`, because('discount.not-started', { date: isoDate(rule.from) })));
  if (ctx.at > rule.to) return fail(rule, reason('ended', `ended ${isoDate(rule.to)} UTC`, because('discount.ended', { date: isoDate(rule.to) })));
  let instance: Instance | undefined;
  let refState: RefState | undefined;
  let firstProblem: Reason | undefined;
  for (const candidate of instances) {
    const st = refStateFor(ctx, rule, candidate);
    const problem = instanceProblem(ctx, rule, candidate, st);
    if (!problem) {
      instance = candidate;
      refState = st;
      break;
    }
    firstProblem ??= problem;
  }
  if (!instance) return fail(rule, firstProblem ?? reason('not_granted', 'not given to this customer', because('discount.not-given', {})));
  if (rule.hours && !withinHours(local(ctx, rule.hours.timeZone), rule.hours.periods)) {
    return fail(rule, reason('outside_hours', `valid ${describeHours(rule.hours.periods)} ${rule.hours.timeZone}`, because('discount.outside-hours', {})), instance);
  }
  const other = storeProblem(ctx, rule) ?? currencyProblem(ctx, rule) ?? customerProblem(ctx, rule);
  if (other) return fail(rule, other, instance);
  if (rule.code !== undefined && !(ctx.receipt.discount_code ?? []).includes(rule.code) && !ctx.lines.some((l) => l.itemId === rule.code)) {
    return fail(rule, reason('code_missing', `needs the code ${rule.code}`, because('discount.code-missing', { code: rule.code })), instance);
  }
  if (rule.eligible === 'receipt_no_discount' && ctx.inputDiscounted) {
    return fail(rule, reason('receipt_has_discount', 'only for receipts without any other discount', because('discount.receipt-has-discount', {})), instance);
  }
  const eligible =
    rule.blacklist.length === 0
      ? ctx.eligibleAll
      : ctx.eligibleAll.filter((p) => !matchesAny(rule.blacklist, (ctx.lines[p] as Line).itemId, (ctx.lines[p] as Line).groups));
  if (eligible.length === 0) return fail(rule, reason('no_eligible_items', 'no item on the receipt can get a discount', because('discount.no-eligible-items', {})), instance);
  const matching = rule.kind === 'item' ? matchingLines(ctx, rule, eligible) : eligible;
  const needed = rule.kind === 'item' ? Math.max(rule.quantity, 1) : rule.quantity;
  const has = unitsOn(ctx, matching);
  if (has < needed) return fail(rule, reason('items_missing', needsItems(needed, rule.items, has), because('discount.items-missing', { needed, has })), instance);
  for (const mix of rule.mixes) {
    let inMix = 0;
    for (const p of eligible) if (matchesAny(mix.matchers, (ctx.lines[p] as Line).itemId, (ctx.lines[p] as Line).groups)) inMix += (ctx.lines[p] as Line).units;
    if (inMix < mix.quantity) {
      return fail(rule, reason('mix_missing', `mix needs ${mix.quantity} of ${describeMatchers(mix.matchers)}, basket has ${inMix === 0 ? 'none' : String(inMix)}`, because('discount.mix-missing', { needed: mix.quantity, has: inMix })), instance);
    }
  }
  if (ctx.receiptGross < rule.grossMin) {
    return fail(rule, reason('gross_below_minimum', `needs a purchase of at least ${money(rule.grossMin, cur)}, receipt is ${money(ctx.receiptGross, cur)}`, because('discount.gross-below-minimum', { min: rule.grossMin, gross: ctx.receiptGross })), instance);
  }
  if (rule.netMin !== undefined && ctx.receiptNet < rule.netMin) {
    return fail(rule, reason('net_below_minimum', `needs at least ${money(rule.netMin, cur)} after other discounts, receipt is ${money(ctx.receiptNet, cur)}`, because('discount.net-below-minimum', { min: rule.netMin, net: ctx.receiptNet })), instance);
  }
  let stamps: StampInfo | undefined;
  if (rule.stamps !== undefined) {
    const firstAt = refState?.first_stamp_at !== undefined ? Date.parse(refState.first_stamp_at) : undefined;
    const expired = rule.stampExpireDays >= 0 && firstAt !== undefined && ctx.at > firstAt + rule.stampExpireDays * DAY_MS;
    const before = expired ? 0 : (refState?.stamp ?? 0);
    stamps = { before, needed: rule.stamps, firstAt: expired ? undefined : firstAt, expired };
    if (before < rule.stamps) {
      const lapsed = expired ? ' (earlier stamps expired)' : '';
      return fail(rule, reason('stamps_missing', `stamp card: ${before} of ${rule.stamps} stamps${lapsed}; this purchase adds 1`, because('discount.stamps-missing', { have: before, stamps: rule.stamps })), instance, stamps);
    }
  }
  const debitBalance = rule.rewardType === 'discount_debit' ? (refState?.debit_balance ?? rule.value) : undefined;
  return { ok: true, rule, instance, refState, eligible, matching, stamps, debitBalance };
}
