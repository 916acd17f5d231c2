/**
 * What one rule gives on the lines still open to it, for each of the seven reward types. Pure arithmetic on
 * integer minor units of the receipt's currency (whatever its exponent: ISK and JPY have no minor unit, so one
 * unit is one krona or yen). A percentage is taken once on the base of the lines it covers and the result is
 * split over them by largest remainder (money.allocateLargestRemainder), so the line discounts add up to exactly
 * the percentage of the base; amounts spread over several lines are split the same way, pro rata by base. A rule
 * never takes a line below zero.
 */
import { assertNever } from '../errors';
import { allocateCapped, allocateGroups, allocateLargestRemainder, minor, percentOf } from '../money';
import type { Passed } from './gates';
import type { Line } from './lines';
import { matchesAny, type CompiledRule } from './model';
import { because } from '../error-reasons';
import { reason, type Reason } from './reasons';

export type Stage = 'item' | 'receipt';

/** Running totals per line position while rules are applied. */
export type Ledger = {
  readonly engine: number[];
  readonly stageStart: number[];
  readonly itemRuleOn: boolean[];
  readonly anyItemOn: boolean[];
  /** Scratch row: one award's raw amounts before the cap; all zero between awards. */
  readonly raw: number[];
};

export function newLedger(size: number): Ledger {
  return {
    engine: new Array<number>(size).fill(0),
    stageStart: new Array<number>(size).fill(0),
    itemRuleOn: new Array<boolean>(size).fill(false),
    anyItemOn: new Array<boolean>(size).fill(false),
    raw: new Array<number>(size).fill(0),
  };
}

export type Award = {
  /**
   * The line positions given something (amount > 0), in line order, and at the same index the amount and, for a
   * percentage reward, the line's percentage. Parallel arrays rather than an object per line: awards are worked out
   * several times per evaluation (ranking, stacking, options), and most of them are thrown away. `percentages` is
   * set only when `values` can give lines different percentages; otherwise each line has `percentage`.
   */
  readonly positions: readonly number[];
  readonly amounts: readonly number[];
  readonly percentages: readonly number[] | undefined;
  readonly total: number;
  /** How many times the reward was given (units, sets, or 1 for receipt-wide rewards). */
  readonly rewards: number;
  readonly percentage: number | undefined;
  readonly shortfall: Reason | undefined;
};

const NONE: readonly number[] = Object.freeze([]);

function short(r: Reason): Award {
  return { positions: NONE, amounts: NONE, percentages: undefined, total: 0, rewards: 0, percentage: undefined, shortfall: r };
}

/**
 * Units of one line with the same base. A line's base split over its units (money.allocate: the spare minor units go
 * to the first units) is at most two runs: `extra` units of q+1 and the rest of q. Rewards work on runs, so their cost
 * does not depend on the quantity of a line.
 */
type Run = { readonly pos: number; readonly base: number; readonly count: number; readonly first: number };

/** Most expensive first; ties by line order, then unit: the same order for any order of the input. */
function byBaseDesc(a: Run, b: Run): number {
  return b.base - a.base || a.pos - b.pos || a.first - b.first;
}

function remaining(line: Line, ledger: Ledger, pos: number): number {
  return Math.max(0, line.gross - line.inputDiscount - (ledger.engine[pos] ?? 0));
}

type Work = {
  readonly p: Passed;
  readonly r: CompiledRule;
  readonly lines: readonly Line[];
  readonly ledger: Ledger;
  readonly usable: number[];
  rewards: number;
  percentage: number | undefined;
};

/**
 * `base: gross` is the line's gross before any discount, also in the receipt stage after item rules gave something:
 * Dintero defines gross as "total expense amount, including taxes" and net as `gross - "any existing discounts"`
 * (S1: dintero-api-customers-ts src/api/dintero-discounts-api.d.ts, `Reward.base`; docs.dintero.com discount
 * service, "Reward"), and the receipt's `gross_amount` as the amount "before discounts" (same file, `Receipt`).
 * `base: net` is what is left of the line. `discount_item_new_price` always works on the gross (S1: "Not applicable
 * for discount_item_new_price").
 */
function baseOf(w: Work, pos: number): number {
  const line = w.lines[pos] as Line;
  return w.r.base === 'net' && w.r.rewardType !== 'discount_item_new_price' ? remaining(line, w.ledger, pos) : Math.max(0, line.gross);
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

/** Raw amount per line position before the cap, kept in the ledger's scratch row (zeroed again by computeAward). */
function addRaw(w: Work, pos: number, amount: number): void {
  if (amount > 0) w.ledger.raw[pos] = (w.ledger.raw[pos] ?? 0) + amount;
}

function runsOf(w: Work): Run[] {
  const out: Run[] = [];
  for (const pos of w.usable) {
    const b = baseOf(w, pos);
    const n = (w.lines[pos] as Line).units;
    const q = Math.floor(b / n);
    const extra = b - q * n;
    if (extra > 0) out.push({ pos, base: q + 1, count: extra, first: 0 });
    if (n > extra) out.push({ pos, base: q, count: n - extra, first: extra });
  }
  return out.sort(byBaseDesc);
}

/**
 * An amount spread over the usable lines pro rata by their base, by largest remainder; a line never gets more than
 * is left of it, and what it cannot hold goes to the others (money.allocateCapped).
 */
function spread(w: Work, total: number): void {
  if (total <= 0) return;
  const weights = w.usable.map((pos) => baseOf(w, pos));
  const caps = w.usable.map((pos) => capOf(w, pos));
  allocateCapped(minor(total), weights, caps).forEach((part, i) => addRaw(w, w.usable[i] as number, part));
}

/**
 * A percentage reward on item lines: the bases (per line position) that get the same percentage are added up, the
 * percentage is taken once of that sum (rounded half up, money.percentOf), and the result is split back over those
 * lines by largest remainder. Per-line rounding would make the lines add up to something other than the
 * percentage of the whole (10 % of three lines of 0.05 is 0.02, not 0.03). Lines with different `values` are
 * separate groups: each percentage is a reward of its own (S1 `Reward.values`).
 */
function percentOnBases(w: Work, bases: ReadonlyMap<number, number>): void {
  const groups = new Map<number, number[]>();
  for (const pos of bases.keys()) {
    const v = valueFor(w, pos);
    const list = groups.get(v);
    if (list) list.push(pos);
    else groups.set(v, [pos]);
  }
  for (const [value, positions] of groups) {
    positions.sort((a, b) => a - b);
    const weights = positions.map((pos) => bases.get(pos) as number);
    const sum = weights.reduce((a, x) => a + x, 0);
    if (sum <= 0) continue;
    allocateLargestRemainder(percentOf(minor(sum), value), weights).forEach((part, i) => addRaw(w, positions[i] as number, part));
  }
}

function gainOf(kind: 'amount' | 'percent' | 'new_price', b: number, v: number): number {
  return kind === 'amount' ? Math.min(v, b) : kind === 'new_price' ? Math.max(0, b - v) : b * v;
}

/** Every qualifying unit is one reward; `discount_reward_usage` keeps the units with the largest gain. */
function perUnit(w: Work, kind: 'amount' | 'percent' | 'new_price'): void {
  if (kind === 'percent') w.percentage = w.r.value;
  if (w.r.rewardUsage < 0) {
    const bases = new Map<number, number>();
    for (const pos of w.usable) {
      const b = baseOf(w, pos);
      const n = (w.lines[pos] as Line).units;
      const v = valueFor(w, pos);
      if (kind === 'percent') bases.set(pos, b);
      else {
        // Unit amounts are q+1 for the first `extra` units and q for the rest (money.allocate).
        const q = Math.floor(b / n);
        const extra = b - q * n;
        addRaw(w, pos, extra * gainOf(kind, q + 1, v) + (n - extra) * gainOf(kind, q, v));
      }
      w.rewards += n;
    }
    if (kind === 'percent') percentOnBases(w, bases);
    return;
  }
  // The kept units: largest gain first, ties by line and unit (a run's units are consecutive in that order).
  const ranked = runsOf(w)
    .map((run) => ({ run, gain: gainOf(kind, run.base, valueFor(w, run.pos)) }))
    .filter((x) => x.gain > 0)
    .sort((a, b) => b.gain - a.gain || a.run.pos - b.run.pos || a.run.first - b.run.first);
  const sums = new Map<number, number>();
  let left = w.r.rewardUsage;
  for (const { run, gain } of ranked) {
    if (left <= 0) break;
    const n = Math.min(left, run.count);
    left -= n;
    w.rewards += n;
    sums.set(run.pos, (sums.get(run.pos) ?? 0) + n * (kind === 'percent' ? run.base : gain));
  }
  if (kind === 'percent') percentOnBases(w, sums);
  else for (const [pos, s] of sums) addRaw(w, pos, s);
}

/**
 * discount_item_quantity: units most expensive first, cut into sets of `size`; the cheapest `free` of each set are
 * free. discount_item_percent: one reward per `size` units, each on one of the cheapest units. Counted on runs: the
 * free places before unit index x are `free` per whole set plus the free places of the part set.
 */
function setsOf(w: Work, size: number, free: number, percent: boolean): void {
  const runs = runsOf(w);
  const total = runs.reduce((a, run) => a + run.count, 0);
  let sets = Math.floor(total / size);
  if (w.r.rewardUsage >= 0) sets = Math.min(sets, w.r.rewardUsage);
  if (w.r.stamps !== undefined) sets = Math.min(sets, 1);
  const inSets = sets * size;
  const freeBefore = (x: number): number => {
    const upTo = Math.min(x, inSets);
    return Math.floor(upTo / size) * free + Math.max(0, (upTo % size) - (size - free));
  };
  const sums = new Map<number, number>();
  let start = 0;
  for (const run of runs) {
    const end = start + run.count;
    // discount_item_percent: the percentage goes to the `sets` cheapest qualifying units, one per reward.
    const given = percent ? Math.max(0, end - Math.max(start, total - sets)) : freeBefore(end) - freeBefore(start);
    if (given > 0) sums.set(run.pos, (sums.get(run.pos) ?? 0) + given * run.base);
    start = end;
  }
  w.rewards = sets;
  if (percent) w.percentage = w.r.value;
  if (percent) percentOnBases(w, sums);
  else for (const [pos, s] of sums) addRaw(w, pos, s);
}

type Take = { readonly run: number; readonly count: number; readonly paying: boolean };

/**
 * Mix and match: set after set, each mix takes its most expensive open units; the paying mixes cost `value`. Sets
 * are built on runs: when no run is emptied by a set, the next set takes the very same units again, so as many equal
 * sets as the runs allow are made at once (the same answer as building them one by one, at a cost that does not
 * depend on the quantities).
 */
function mixSets(w: Work): void {
  const runs = runsOf(w);
  const left = runs.map((run) => run.count);
  const mixes = w.r.mixes.filter((m) => m.quantity > 0);
  const paying = mixes.some((m) => m.rewardEligible) ? mixes.map((m) => m.rewardEligible) : mixes.map(() => true);
  const limit = w.r.rewardUsage >= 0 ? w.r.rewardUsage : Number.POSITIVE_INFINITY;
  const inMix = mixes.map((mix) => runs.map((run) => matchesAny(mix.matchers, (w.lines[run.pos] as Line).itemId, (w.lines[run.pos] as Line).groups)));
  while (w.rewards < limit && mixes.length > 0) {
    const takes: Take[] = [];
    const used = new Map<number, number>();
    let complete = true;
    mixes.forEach((mix, m) => {
      let need = mix.quantity;
      for (let i = 0; i < runs.length && need > 0; i++) {
        const open = (left[i] as number) - (used.get(i) ?? 0);
        if (open <= 0 || inMix[m]?.[i] !== true) continue;
        const n = Math.min(need, open);
        takes.push({ run: i, count: n, paying: paying[m] === true });
        used.set(i, (used.get(i) ?? 0) + n);
        need -= n;
      }
      if (need > 0) complete = false;
    });
    if (!complete) break;
    const counted = takes.filter((t) => t.paying);
    const old = counted.reduce((a, t) => a + t.count * (runs[t.run] as Run).base, 0);
    const saving = old - w.r.value;
    if (saving <= 0) break;
    let repeat = limit - w.rewards;
    for (const [i, n] of used) repeat = Math.min(repeat, Math.floor((left[i] as number) / n));
    for (const [i, n] of used) left[i] = (left[i] as number) - repeat * n;
    const parts = allocateGroups(
      minor(saving),
      counted.map((t) => (runs[t.run] as Run).base),
      counted.map((t) => t.count),
    );
    parts.forEach((part, j) => addRaw(w, (runs[(counted[j] as Take).run] as Run).pos, repeat * part));
    w.rewards += repeat;
  }
}

export function computeAward(p: Passed, lines: readonly Line[], ledger: Ledger): Award {
  const r: CompiledRule = p.rule;
  if (r.eligible === 'receipt_no_discount' && ledger.engine.some((a) => a > 0)) {
    return short(reason('receipt_has_discount', 'only for receipts without any other discount', because('discount.receipt-has-discount', {})));
  }
  const pool = r.rewardType === 'discount_mix_new_price' ? p.eligible : p.matching;
  // Arrays sized up front and cut to length: most awards cover one or two lines, and an empty array that is pushed
  // to starts with room for 17.
  const w: Work = { p, r, lines, ledger, usable: new Array<number>(pool.length), rewards: 0, percentage: undefined };
  let open = 0;
  let openUnits = 0;
  for (const pos of pool) {
    const line = lines[pos] as Line;
    if (isOpen(r, line, ledger, pos, capOf(w, pos))) {
      w.usable[open++] = pos;
      openUnits += line.units;
    }
  }
  w.usable.length = open;
  const needed = r.kind === 'item' ? Math.max(r.quantity, 1) : r.quantity;
  if (w.usable.length === 0 || openUnits < needed) {
    return short(
      w.usable.length === 0
        ? reason('items_taken', 'its items have nothing left to discount or already got a discount that excludes it', because('discount.items-taken', {}))
        : reason('items_taken', `only ${openUnits} of the ${needed} items it needs are still open to it`, because('discount.items-open', { open: openUnits, needed })),
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
        // Once on the base of the whole receipt (the lines open to the rule), then spread over those lines.
        w.percentage = r.value;
        spread(w, percentOf(minor(w.usable.reduce((s, pos) => s + baseOf(w, pos), 0)), r.value));
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

  const positions = new Array<number>(open);
  const amounts = new Array<number>(open);
  // Per-line percentages only when `values` can make them differ; otherwise every line has the award's percentage.
  const percentages: number[] | undefined = w.percentage !== undefined && r.kind === 'item' && r.values.length > 0 ? new Array<number>(open) : undefined;
  let given = 0;
  let total = 0;
  for (const pos of w.usable) {
    const amount = Math.min(ledger.raw[pos] ?? 0, capOf(w, pos));
    ledger.raw[pos] = 0;
    if (amount > 0) {
      positions[given] = pos;
      amounts[given] = amount;
      if (percentages) percentages[given] = valueFor(w, pos);
      given++;
      total += amount;
    }
  }
  positions.length = given;
  amounts.length = given;
  if (percentages) percentages.length = given;
  if (total === 0) return short(reason('nothing_to_discount', 'gives nothing on this basket (the items already cost less than the offer)', because('discount.nothing-to-discount', {})));
  return { positions, amounts, percentages, total, rewards: w.rewards, percentage: w.percentage, shortfall: undefined };
}

export function commitAward(award: Award, rule: CompiledRule, ledger: Ledger): void {
  if (rule.bonus) return;
  award.positions.forEach((pos, i) => {
    ledger.engine[pos] = (ledger.engine[pos] ?? 0) + (award.amounts[i] as number);
    if (rule.kind === 'item') {
      if (rule.anyItem) ledger.anyItemOn[pos] = true;
      else ledger.itemRuleOn[pos] = true;
    }
  });
}
