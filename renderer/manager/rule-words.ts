import type { RuleDescriptionView } from '../../main/api/contract';
import { formatDateTime } from '../shared/dates';
import type { RuleWordings } from '../shared/i18n-rules';
import { formatMoney } from '../shared/money';

type Facts = RuleDescriptionView['facts'];
export type RuleWordContext = { readonly words: RuleWordings; readonly locale: string; readonly timeZone: string; readonly currency: string };

const PERCENT_TYPES: ReadonlySet<string> = new Set(['discount_percent', 'discount_item_percent']);
const DAY_INDEX = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 } as const;

function fill(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (_all, name: string) => String(params[name] ?? ''));
}

function percent(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(value / 100);
}

/** The weekday's short name in the locale: 2024-01-01 was a Monday. */
function dayName(day: keyof typeof DAY_INDEX, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + DAY_INDEX[day])));
}

function list(items: readonly string[], locale: string): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
}

export function rewardWords(facts: Facts, ctx: RuleWordContext): string {
  const { words: w, locale, currency } = ctx;
  const r = facts.reward;
  const value: Record<string, string> = PERCENT_TYPES.has(r.type) ? { percent: percent(r.value, locale) } : { amount: formatMoney(r.value, currency, locale) };
  const needed = facts.minimumQuantity ?? r.value + 1;
  // On an item rule an amount or a percentage comes off the items the rule names, not off the receipt.
  const template =
    facts.kind === 'item' && r.type === 'discount_percent' ? w.reward.discount_item_percent : facts.kind === 'item' && r.type === 'discount_amount' ? w.itemsAmount : w.reward[r.type];
  const main = fill(template, { ...value, free: r.value, needed });
  const notes = [
    r.perItemValues > 0 ? fill(w.perItemValues, { count: r.perItemValues }) : undefined,
    r.base === 'gross' ? w.baseGross : r.base === 'net' ? w.baseNet : undefined,
    r.bonus ? w.bonus : undefined,
  ].filter((n): n is string => n !== undefined);
  return notes.length === 0 ? main : `${main} (${notes.join('; ')})`;
}

export function audienceWords(facts: Facts, w: RuleWordings): string {
  const a = facts.audience;
  switch (a.kind) {
    case 'everyone':
      return w.everyone;
    case 'members':
      return w.members;
    case 'non-members':
      return w.nonMembers;
    case 'customers':
      return fill(a.alsoNonMembers ? w.customersAndNonMembers : w.customers, { count: a.count });
    case 'nobody':
      return w.nobody;
  }
}

function conditionWords(facts: Facts, ctx: RuleWordContext): string[] {
  const { words: w, locale, currency } = ctx;
  const money = (minor: number): string => formatMoney(minor, currency, locale);
  return [
    facts.minimumGross !== null && facts.minimumGross > 0 ? fill(w.minimumGross, { amount: money(facts.minimumGross) }) : undefined,
    facts.minimumNet !== null && facts.minimumNet > 0 ? fill(w.minimumNet, { amount: money(facts.minimumNet) }) : undefined,
    // The free-items reward already says how many must be bought.
    facts.minimumQuantity !== null && facts.minimumQuantity > 0 && facts.reward.type !== 'discount_item_quantity' ? fill(w.minimumQuantity, { count: facts.minimumQuantity }) : undefined,
    facts.itemCount > 0 ? fill(w.namedItems, { count: facts.itemCount }) : undefined,
    facts.mixCount > 0 ? fill(w.mixes, { count: facts.mixCount }) : undefined,
    facts.needsDiscountCode ? w.discountCode : undefined,
    facts.stampsNeeded !== null && facts.stampsNeeded > 0 ? fill(w.stamps, { count: facts.stampsNeeded }) : undefined,
    facts.customerConditions ? w.customerConditions : undefined,
    facts.currencies.only.length > 0 ? fill(w.onlyCurrencies, { list: list(facts.currencies.only, locale) }) : undefined,
    facts.currencies.except.length > 0 ? fill(w.exceptCurrencies, { list: list(facts.currencies.except, locale) }) : undefined,
  ].filter((c): c is string => c !== undefined);
}

function limitWords(facts: Facts, ctx: RuleWordContext): string[] {
  const { words: w, locale } = ctx;
  const hours = facts.hours.map((h) => `${dayName(h.day, locale)} ${h.start}–${h.end}`);
  const zone = facts.hoursTimeZone !== null && facts.hoursTimeZone !== ctx.timeZone ? ` (${facts.hoursTimeZone})` : '';
  return [
    facts.usesPerCustomer === null ? w.noUseLimit : facts.usesPerCustomer === 1 ? w.usesOnce : fill(w.usesPerCustomer, { count: facts.usesPerCustomer }),
    facts.combinesWithOthers ? w.combines : w.alone,
    hours.length > 0 ? fill(w.hours, { hours: list(hours, locale) }) + zone : undefined,
    facts.excludedItems > 0 ? fill(w.excludedItems, { count: facts.excludedItems }) : undefined,
  ].filter((l): l is string => l !== undefined);
}

/**
 * A rule as label and text rows in the screen's language: what it gives, when (in the store's time zone), who
 * gets it, where, on which conditions and within which limits.
 */
export function ruleWordRows(facts: Facts, ctx: RuleWordContext): [string, string][] {
  const { words: w, locale, timeZone } = ctx;
  const stores = facts.stores.length === 0 ? w.everyStore : fill(w.namedStores, { stores: list(facts.stores, locale) });
  const conditions = conditionWords(facts, ctx);
  return [
    [w.gives, rewardWords(facts, ctx)],
    [w.valid, fill(w.validRange, { from: formatDateTime(facts.validFrom, locale, timeZone), to: formatDateTime(facts.validTo, locale, timeZone) })],
    [w.who, audienceWords(facts, w)],
    [w.stores, facts.otherStoreConditions ? `${stores}, ${w.otherStoreConditions}` : stores],
    [w.conditions, conditions.length === 0 ? w.none : conditions.join('. ')],
    [w.limits, limitWords(facts, ctx).join('. ')],
  ];
}
