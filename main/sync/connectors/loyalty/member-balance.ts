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
