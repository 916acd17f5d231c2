import type { Balances } from '../../../store/loyalty-confirmations';

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function rec(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Points and credit from a `/member/details` answer. The documented samples disagree on where they sit (the
 * member at the top level or under `data`, `credit` or `creditBalance`, or a nested `balance`), so every
 * documented place is read; a balance the server does not report is null.
 */
export function balancesOf(data: Record<string, unknown>): Balances {
  const member = rec(data.member) ?? data;
  const nested = rec(member.balance) ?? rec(member.balances) ?? rec(data.balance) ?? {};
  const points = num(member.points) ?? num(member.pointsBalance) ?? num(nested.points) ?? num(data.points);
  const credit = num(member.credit) ?? num(member.creditBalance) ?? num(nested.credit) ?? num(data.credit);
  return { points: points ?? null, credit: credit ?? null };
}

/** `newBalance {points, credit}` of a `/payment` answer. */
export function newBalanceOf(data: Record<string, unknown>): Balances | undefined {
  const nb = rec(data.newBalance);
  if (!nb) return undefined;
  return { points: num(nb.points) ?? null, credit: num(nb.credit) ?? null };
}

export type BalanceVerdict =
  | { readonly verdict: 'unchanged' }
  | { readonly verdict: 'moved_by_amount'; readonly on: 'points' | 'credit' }
  | { readonly verdict: 'other'; readonly detail: string };

/**
 * Compares a member's balance with the one read just before a pay (direction -1) or a cancel (+1). Unchanged
 * means the request did not land; exactly one balance moved by exactly the amount means it did; anything else
 * (another till spent points meanwhile, a partial movement) is for a person to decide.
 */
export function compareBalances(before: Balances, now: Balances, amount: number, direction: -1 | 1): BalanceVerdict {
  if (before.points === null && before.credit === null) return { verdict: 'other', detail: 'no balance was read before the attempt' };
  const delta = (b: number | null, n: number | null): number | undefined => (b === null || n === null ? undefined : n - b);
  const dp = delta(before.points, now.points);
  const dc = delta(before.credit, now.credit);
  const expected = direction * amount;
  const zeroOrUnknown = (d: number | undefined): boolean => d === undefined || d === 0;
  if (zeroOrUnknown(dp) && zeroOrUnknown(dc)) return { verdict: 'unchanged' };
  if (dp === expected && zeroOrUnknown(dc)) return { verdict: 'moved_by_amount', on: 'points' };
  if (dc === expected && zeroOrUnknown(dp)) return { verdict: 'moved_by_amount', on: 'credit' };
  return { verdict: 'other', detail: `points moved by ${dp ?? 'unknown'}, credit by ${dc ?? 'unknown'}; expected ${expected} on one of them` };
}
