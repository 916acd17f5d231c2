import type { Balances, PaymentOp } from '../../../store/loyalty-confirmations';

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

/**
 * The asset a pay that landed drew on, from its own answer: the one balance that moved by exactly its amount
 * between the read before it and its answer's `newBalance` (reference §2.6). Undefined when neither or both did.
 */
export function assetMovedByPay(pay: Pick<PaymentOp, 'before' | 'after' | 'amount'>): 'points' | 'credit' | undefined {
  const movedBy = (b: number | null, a: number | null): number | undefined => (b === null || a === null ? undefined : b - a);
  const points = movedBy(pay.before.points, pay.after.points) === pay.amount;
  const credit = movedBy(pay.before.credit, pay.after.credit) === pay.amount;
  if (points === credit) return undefined;
  return points ? 'points' : 'credit';
}
