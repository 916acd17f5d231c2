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

export function computeAward(p: Passed, lines: readonly Line[], ledger: Ledger): Award {
  const r: CompiledRule = p.rule;
  if (r.eligible === 'receipt_no_discount' && ledger.engine.some((a) => a > 0)) {
    return short(reason('receipt_has_discount', 'only for receipts without any other discount'));
  }
  const line = (pos: number): Line => lines[pos] as Line;
  const grossBase = (pos: number): number => Math.max(0, line(pos).gross - (ledger.stageStart[pos] ?? 0));
  const base = (pos: number): number =>
    r.base === 'net' && r.rewardType !== 'discount_item_new_price' ? remaining(line(pos), ledger, pos) : grossBase(pos);
  const cap = (pos: number): number => (r.bonus ? base(pos) : remaining(line(pos), ledger, pos));
  const open = (pos: number): boolean => {
    if (cap(pos) <= 0) return false;
    if (r.eligible === 'item_eligible_for_discount_no_discount' && (line(pos).inputDiscount > 0 || (ledger.engine[pos] ?? 0) > 0)) return false;
    if (r.kind === 'item' && !r.bonus) {
      if (r.anyItem ? ledger.itemRuleOn[pos] === true || ledger.anyItemOn[pos] === true : ledger.anyItemOn[pos] === true) return false;
    }
    return true;
  };
  const pool = r.rewardType === 'discount_mix_new_price' ? p.eligible : p.matching;
  const usable = pool.filter(open);
  const units = (list: readonly number[]): number => list.reduce((n, pos) => n + line(pos).units, 0);
  const needed = r.kind === 'item' ? Math.max(r.quantity, 1) : r.quantity;
  if (usable.length === 0 || units(usable) < needed) {
    return short(reason('items_taken', usable.length === 0 ? 'its items have nothing left to discount or already got a discount that excludes it' : `only ${units(usable)} of the ${needed} items it needs are still open to it`));
  }
  const valueFor = (pos: number): number => {
    if (r.kind === 'item') {
      for (const v of r.values) if (matchesAny(v.matchers, line(pos).itemId, line(pos).groups)) return v.value;
    }
    return r.value;
  };
  const raw = new Map<number, number>();
  const add = (pos: number, amount: number): void => {
    if (amount > 0) raw.set(pos, (raw.get(pos) ?? 0) + amount);
  };
  let rewards = 0;
  let percentage: number | undefined;

  const allUnits = (): Unit[] => {
    const out: Unit[] = [];
    for (const pos of usable) unitAmounts(base(pos), line(pos).units).forEach((b, idx) => out.push({ pos, base: b, idx }));
    return out.sort(byBaseDesc);
  };
  const spread = (total: number, positions: readonly number[]): void => {
    const weights = positions.map((pos) => Math.min(base(pos), cap(pos)));
    const sumW = weights.reduce((a, w) => a + w, 0);
    const amount = Math.min(total, sumW);
    if (amount <= 0) return;
    allocate(minor(amount), weights).forEach((part, i) => add(positions[i] as number, part));
  };
  const perUnit = (kind: 'amount' | 'percent' | 'new_price'): void => {
    if (kind === 'percent') percentage = r.value;
    const gainOf = (b: number, v: number): number => (kind === 'amount' ? Math.min(v, b) : kind === 'new_price' ? Math.max(0, b - v) : b * v);
    if (r.rewardUsage < 0) {
      for (const pos of usable) {
        const b = base(pos);
        const n = line(pos).units;
        const v = valueFor(pos);
        if (kind === 'percent') add(pos, percentOf(minor(b), v));
        else {
          // Unit amounts are q+1 for the first `extra` units and q for the rest (money.allocate).
          const q = Math.floor(b / n);
          const extra = b - q * n;
          add(pos, extra * gainOf(q + 1, v) + (n - extra) * gainOf(q, v));
        }
        rewards += n;
      }
      return;
    }
    const ranked = allUnits()
      .map((u) => ({ ...u, gain: gainOf(u.base, valueFor(u.pos)) }))
      .filter((u) => u.gain > 0)
      .sort((a, b) => b.gain - a.gain || a.pos - b.pos || a.idx - b.idx)
      .slice(0, r.rewardUsage);
    rewards = ranked.length;
    const sums = new Map<number, number>();
    for (const u of ranked) sums.set(u.pos, (sums.get(u.pos) ?? 0) + (kind === 'percent' ? u.base : u.gain));
    for (const [pos, s] of sums) add(pos, kind === 'percent' ? percentOf(minor(s), valueFor(pos)) : s);
  };
  const setsOf = (size: number, free: number, percent: boolean): void => {
    const list = allUnits();
    let sets = Math.floor(list.length / size);
    if (r.rewardUsage >= 0) sets = Math.min(sets, r.rewardUsage);
    if (r.stamps !== undefined) sets = Math.min(sets, 1);
    const sums = new Map<number, number>();
    for (let k = 0; k < sets; k++) {
      for (let i = k * size + size - free; i < (k + 1) * size; i++) {
        const u = list[i] as Unit;
        sums.set(u.pos, (sums.get(u.pos) ?? 0) + u.base);
      }
    }
    rewards = sets;
    if (percent) percentage = r.value;
    for (const [pos, s] of sums) add(pos, percent ? percentOf(minor(s), valueFor(pos)) : s);
  };
  const mixSets = (): void => {
    const list = allUnits();
    const taken = new Array<boolean>(list.length).fill(false);
    const mixes = r.mixes.filter((m) => m.quantity > 0);
    const paying = mixes.some((m) => m.rewardEligible) ? mixes.map((m) => m.rewardEligible) : mixes.map(() => true);
    const limit = r.rewardUsage >= 0 ? r.rewardUsage : Number.POSITIVE_INFINITY;
    while (rewards < limit) {
      const picked: number[] = [];
      const counted: number[] = [];
      let complete = true;
      mixes.forEach((mix, m) => {
        let need = mix.quantity;
        for (let i = 0; i < list.length && need > 0; i++) {
          const u = list[i] as Unit;
          if (taken[i] || picked.includes(i) || !matchesAny(mix.matchers, line(u.pos).itemId, line(u.pos).groups)) continue;
          picked.push(i);
          if (paying[m]) counted.push(i);
          need--;
        }
        if (need > 0) complete = false;
      });
      if (!complete || mixes.length === 0) break;
      const old = counted.reduce((a, i) => a + (list[i] as Unit).base, 0);
      const saving = old - r.value;
      if (saving <= 0) break;
      for (const i of picked) taken[i] = true;
      allocate(minor(saving), counted.map((i) => (list[i] as Unit).base)).forEach((part, j) => add((list[counted[j] as number] as Unit).pos, part));
      rewards++;
    }
  };

  switch (r.rewardType) {
    case 'discount_amount':
      if (r.kind === 'item') perUnit('amount');
      else {
        spread(r.value, usable);
        rewards = 1;
      }
      break;
    case 'discount_percent':
      if (r.kind === 'item') perUnit('percent');
      else {
        percentage = r.value;
        for (const pos of usable) add(pos, percentOf(minor(base(pos)), r.value));
        rewards = 1;
      }
      break;
    case 'discount_item_new_price':
      perUnit('new_price');
      break;
    case 'discount_item_quantity':
      setsOf(r.quantity, r.value, false);
      break;
    case 'discount_item_percent':
      setsOf(Math.max(r.quantity, 1), 1, true);
      break;
    case 'discount_mix_new_price':
      mixSets();
      break;
    case 'discount_debit':
      spread(p.debitBalance ?? r.value, usable);
      rewards = 1;
      break;
    default:
      return assertNever(r.rewardType);
  }

  const amounts: { pos: number; amount: number; percentage: number | undefined }[] = [];
  let total = 0;
  for (const pos of usable) {
    const amount = Math.min(raw.get(pos) ?? 0, cap(pos));
    if (amount > 0) {
      amounts.push({ pos, amount, percentage: percentage === undefined ? undefined : valueFor(pos) });
      total += amount;
    }
  }
  if (total === 0) return short(reason('nothing_to_discount', 'gives nothing on this basket (the items already cost less than the offer)'));
  return { amounts, total, rewards, percentage, shortfall: undefined };
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
