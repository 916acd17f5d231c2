/**
 * What one rule gives on the lines still open to it, for each of the seven reward types. Pure arithmetic on
 * integer minor units: percentages round half up per line (money.percentOf), amounts spread over several lines
 * are split pro rata (money.allocate). A rule never takes a line below zero.
 */
import { assertNever } from '../errors';
import { allocate, minor, percentOf } from '../money';
import type { Passed } from './gates';
import { unitAmounts, type Line } from './lines';
import { matchesAny, type CompiledRule } from './model';
import { reason, type Reason } from './reasons';

export type Stage = 'item' | 'receipt';

/** Running totals per line position while rules are applied. */
export type Ledger = {
  readonly engine: number[];
  readonly stageStart: number[];
  readonly itemRuleOn: boolean[];
  readonly anyItemOn: boolean[];
};

export function newLedger(size: number): Ledger {
  return { engine: new Array<number>(size).fill(0), stageStart: new Array<number>(size).fill(0), itemRuleOn: new Array<boolean>(size).fill(false), anyItemOn: new Array<boolean>(size).fill(false) };
}

export function copyLedger(l: Ledger): Ledger {
  return { engine: [...l.engine], stageStart: [...l.stageStart], itemRuleOn: [...l.itemRuleOn], anyItemOn: [...l.anyItemOn] };
}

export type Award = {
  /** Per line position, amounts > 0 only, in line order. */
  readonly amounts: readonly { readonly pos: number; readonly amount: number; readonly percentage: number | undefined }[];
  readonly total: number;
  /** How many times the reward was given (units, sets, or 1 for receipt-wide rewards). */
  readonly rewards: number;
  readonly percentage: number | undefined;
  readonly shortfall: Reason | undefined;
};

const NOTHING: Award = { amounts: [], total: 0, rewards: 0, percentage: undefined, shortfall: undefined };

function short(r: Reason): Award {
  return { ...NOTHING, shortfall: r };
}

type Unit = { readonly pos: number; readonly base: number; readonly idx: number };

/** Most expensive first; ties by line order, then unit: the same order for any order of the input. */
function byBaseDesc(a: Unit, b: Unit): number {
  return b.base - a.base || a.pos - b.pos || a.idx - b.idx;
}

function remaining(line: Line, ledger: Ledger, pos: number): number {
  return Math.max(0, line.gross - line.inputDiscount - (ledger.engine[pos] ?? 0));
}

type Work = {
  readonly p: Passed;
  readonly r: CompiledRule;
  readonly lines: readonly Line[];
  readonly ledger: Ledger;
  /** Raw amount per line position before the cap. */
  readonly raw: number[];
  readonly usable: number[];
  rewards: number;
  percentage: number | undefined;
};

function grossBase(w: Work, pos: number): number {
  return Math.max(0, (w.lines[pos] as Line).gross - (w.ledger.stageStart[pos] ?? 0));
}

function baseOf(w: Work, pos: number): number {
  return w.r.base === 'net' && w.r.rewardType !== 'discount_item_new_price' ? remaining(w.lines[pos] as Line, w.ledger, pos) : grossBase(w, pos);
}

function capOf(w: Work, pos: number): number {
  return w.r.bonus ? baseOf(w, pos) : remaining(w.lines[pos] as Line, w.ledger, pos);
}

function isOpen(r: CompiledRule, line: Line, ledger: Ledger, pos: number, cap: number): boolean {
  if (cap <= 0) return false;
  if (r.eligible === 'item_eligible_for_discount_no_discount' && (line.inputDiscount > 0 || (ledger.engine[pos] ?? 0) > 0)) return false;
  if (r.kind === 'item' && !r.bonus) {
    if (r.anyItem ? ledger.itemRuleOn[pos] === true || ledger.anyItemOn[pos] === true : ledger.anyItemOn[pos] === true) return false;
  }
  return true;
}

function valueFor(w: Work, pos: number): number {
  if (w.r.kind === 'item' && w.r.values.length > 0) {
    const line = w.lines[pos] as Line;
    for (const v of w.r.values) if (matchesAny(v.matchers, line.itemId, line.groups)) return v.value;
  }
  return w.r.value;
}

function addRaw(w: Work, pos: number, amount: number): void {
  if (amount > 0) w.raw[pos] = (w.raw[pos] ?? 0) + amount;
}

function allUnits(w: Work): Unit[] {
  const out: Unit[] = [];
  for (const pos of w.usable) unitAmounts(baseOf(w, pos), (w.lines[pos] as Line).units).forEach((b, idx) => out.push({ pos, base: b, idx }));
  return out.sort(byBaseDesc);
}

/** An amount spread pro rata over lines by their base (never more than is left of a line). */
function spread(w: Work, total: number): void {
  const weights = w.usable.map((pos) => Math.min(baseOf(w, pos), capOf(w, pos)));
  const sumW = weights.reduce((a, x) => a + x, 0);
  const amount = Math.min(total, sumW);
  if (amount <= 0) return;
  allocate(minor(amount), weights).forEach((part, i) => addRaw(w, w.usable[i] as number, part));
}

function gainOf(kind: 'amount' | 'percent' | 'new_price', b: number, v: number): number {
  return kind === 'amount' ? Math.min(v, b) : kind === 'new_price' ? Math.max(0, b - v) : b * v;
}

/** Every qualifying unit is one reward; `discount_reward_usage` keeps the units with the largest gain. */
function perUnit(w: Work, kind: 'amount' | 'percent' | 'new_price'): void {
  if (kind === 'percent') w.percentage = w.r.value;
  if (w.r.rewardUsage < 0) {
    for (const pos of w.usable) {
      const b = baseOf(w, pos);
      const n = (w.lines[pos] as Line).units;
      const v = valueFor(w, pos);
      if (kind === 'percent') addRaw(w, pos, percentOf(minor(b), v));
      else {
        // Unit amounts are q+1 for the first `extra` units and q for the rest (money.allocate).
        const q = Math.floor(b / n);
        const extra = b - q * n;
        addRaw(w, pos, extra * gainOf(kind, q + 1, v) + (n - extra) * gainOf(kind, q, v));
      }
      w.rewards += n;
    }
    return;
  }
  const ranked = allUnits(w)
    .map((u) => ({ ...u, gain: gainOf(kind, u.base, valueFor(w, u.pos)) }))
    .filter((u) => u.gain > 0)
    .sort((a, b) => b.gain - a.gain || a.pos - b.pos || a.idx - b.idx)
    .slice(0, w.r.rewardUsage);
  w.rewards = ranked.length;
  const sums = new Map<number, number>();
  for (const u of ranked) sums.set(u.pos, (sums.get(u.pos) ?? 0) + (kind === 'percent' ? u.base : u.gain));
  for (const [pos, s] of sums) addRaw(w, pos, kind === 'percent' ? percentOf(minor(s), valueFor(w, pos)) : s);
}

/**
 * discount_item_quantity: units most expensive first, cut into sets of `size`; the cheapest `free` of each set are
 * free. discount_item_percent: one reward per `size` units, each on one of the cheapest units.
 */
function setsOf(w: Work, size: number, free: number, percent: boolean): void {
  const list = allUnits(w);
  let sets = Math.floor(list.length / size);
  if (w.r.rewardUsage >= 0) sets = Math.min(sets, w.r.rewardUsage);
  if (w.r.stamps !== undefined) sets = Math.min(sets, 1);
  const sums = new Map<number, number>();
  const give = (u: Unit): void => void sums.set(u.pos, (sums.get(u.pos) ?? 0) + u.base);
  if (percent) {
    // discount_item_percent: the percentage goes to the cheapest qualifying units, one per reward.
    for (let i = list.length - sets; i < list.length; i++) give(list[i] as Unit);
  } else {
    for (let k = 0; k < sets; k++) for (let i = k * size + size - free; i < (k + 1) * size; i++) give(list[i] as Unit);
  }
  w.rewards = sets;
  if (percent) w.percentage = w.r.value;
  for (const [pos, s] of sums) addRaw(w, pos, percent ? percentOf(minor(s), valueFor(w, pos)) : s);
}

/** Mix and match: set after set, each mix takes its most expensive open units; the paying mixes cost `value`. */
function mixSets(w: Work): void {
  const list = allUnits(w);
  const taken = new Array<boolean>(list.length).fill(false);
  const mixes = w.r.mixes.filter((m) => m.quantity > 0);
  const paying = mixes.some((m) => m.rewardEligible) ? mixes.map((m) => m.rewardEligible) : mixes.map(() => true);
  const limit = w.r.rewardUsage >= 0 ? w.r.rewardUsage : Number.POSITIVE_INFINITY;
  while (w.rewards < limit && mixes.length > 0) {
    const picked: number[] = [];
    const counted: number[] = [];
    let complete = true;
    mixes.forEach((mix, m) => {
      let need = mix.quantity;
      for (let i = 0; i < list.length && need > 0; i++) {
        const u = list[i] as Unit;
        const line = w.lines[u.pos] as Line;
        if (taken[i] || picked.includes(i) || !matchesAny(mix.matchers, line.itemId, line.groups)) continue;
        picked.push(i);
        if (paying[m]) counted.push(i);
        need--;
      }
      if (need > 0) complete = false;
    });
    if (!complete) break;
    const old = counted.reduce((a, i) => a + (list[i] as Unit).base, 0);
    const saving = old - w.r.value;
    if (saving <= 0) break;
    for (const i of picked) taken[i] = true;
    allocate(minor(saving), counted.map((i) => (list[i] as Unit).base)).forEach((part, j) => addRaw(w, (list[counted[j] as number] as Unit).pos, part));
    w.rewards++;
  }
}

export function computeAward(p: Passed, lines: readonly Line[], ledger: Ledger): Award {
  const r: CompiledRule = p.rule;
  if (r.eligible === 'receipt_no_discount' && ledger.engine.some((a) => a > 0)) {
    return short(reason('receipt_has_discount', 'only for receipts without any other discount'));
  }
  const w: Work = { p, r, lines, ledger, raw: [], usable: [], rewards: 0, percentage: undefined };
  const pool = r.rewardType === 'discount_mix_new_price' ? p.eligible : p.matching;
  let openUnits = 0;
  for (const pos of pool) {
    const line = lines[pos] as Line;
    if (isOpen(r, line, ledger, pos, capOf(w, pos))) {
      w.usable.push(pos);
      openUnits += line.units;
    }
  }
  const needed = r.kind === 'item' ? Math.max(r.quantity, 1) : r.quantity;
  if (w.usable.length === 0 || openUnits < needed) {
    return short(
      reason(
        'items_taken',
        w.usable.length === 0
          ? 'its items have nothing left to discount or already got a discount that excludes it'
          : `only ${openUnits} of the ${needed} items it needs are still open to it`,
      ),
    );
  }
  switch (r.rewardType) {
    case 'discount_amount':
      if (r.kind === 'item') perUnit(w, 'amount');
      else {
        spread(w, r.value);
        w.rewards = 1;
      }
      break;
    case 'discount_percent':
      if (r.kind === 'item') perUnit(w, 'percent');
      else {
        w.percentage = r.value;
        for (const pos of w.usable) addRaw(w, pos, percentOf(minor(baseOf(w, pos)), r.value));
        w.rewards = 1;
      }
      break;
    case 'discount_item_new_price':
      perUnit(w, 'new_price');
      break;
    case 'discount_item_quantity':
      setsOf(w, r.quantity, r.value, false);
      break;
    case 'discount_item_percent':
      setsOf(w, Math.max(r.quantity, 1), 1, true);
      break;
    case 'discount_mix_new_price':
      mixSets(w);
      break;
    case 'discount_debit':
      spread(w, p.debitBalance ?? r.value);
      w.rewards = 1;
      break;
    default:
      return assertNever(r.rewardType);
  }

  const amounts: { pos: number; amount: number; percentage: number | undefined }[] = [];
  let total = 0;
  for (const pos of w.usable) {
    const amount = Math.min(w.raw[pos] ?? 0, capOf(w, pos));
    if (amount > 0) {
      amounts.push({ pos, amount, percentage: w.percentage === undefined ? undefined : valueFor(w, pos) });
      total += amount;
    }
  }
  if (total === 0) return short(reason('nothing_to_discount', 'gives nothing on this basket (the items already cost less than the offer)'));
  return { amounts, total, rewards: w.rewards, percentage: w.percentage, shortfall: undefined };
}

export function commitAward(award: Award, rule: CompiledRule, ledger: Ledger): void {
  if (rule.bonus) return;
  for (const { pos, amount } of award.amounts) {
    ledger.engine[pos] = (ledger.engine[pos] ?? 0) + amount;
    if (rule.kind === 'item') {
      if (rule.anyItem) ledger.anyItemOn[pos] = true;
      else ledger.itemRuleOn[pos] = true;
    }
  }
}
