import { assertNever, TillError } from '../errors';
import { type Minor, minor, sub, sum, ZERO } from '../money';

/**
 * How a sale is paid. Cash is the only tender that can exceed what is due (the difference is change);
 * a card is paid on an external terminal and we keep its reference; gift cards (Dintero wallets) and
 * loyalty points or credit (Loyalty API /payment) are value tenders that may be taken offline within limits.
 * A value tender carries `settledKey` when the back end drew the money at tender time, while the customer was at
 * the till (docs/sync.md, "Value tenders"): the key it was paid under. The outbox does not pay it again; a void
 * or a removed tender refunds it by that key.
 */
export type Tender =
  | { readonly kind: 'cash'; readonly amount: Minor }
  | { readonly kind: 'card'; readonly amount: Minor; readonly terminalRef: string }
  | {
      readonly kind: 'gift_card';
      readonly amount: Minor;
      readonly cardToken: string;
      /** Dintero's `card_id`, read once with `wallets/info` when the tender was taken online: every later call uses it (the code serves one transaction). */
      readonly cardId?: string;
      readonly offline?: boolean;
      readonly settledKey?: string;
    }
  | {
      readonly kind: 'loyalty';
      readonly amount: Minor;
      readonly memberId: string;
      readonly asset: 'points' | 'credit';
      readonly offline?: boolean;
      readonly settledKey?: string;
    };

export type TenderKind = Tender['kind'];

export type SettledTender = Tender & {
  /** What this tender pays of the sale: the amount, less the change for cash. */
  readonly applied: Minor;
};

export type Settlement = { readonly tenders: readonly SettledTender[]; readonly tendered: Minor; readonly change: Minor };

function describe(t: Tender): string {
  switch (t.kind) {
    case 'cash':
      return 'cash';
    case 'card':
      return 'card';
    case 'gift_card':
      return 'gift card';
    case 'loyalty':
      return `loyalty ${t.asset}`;
    default:
      return assertNever(t);
  }
}

/** Which balance a value tender draws on (the card, or the member and asset); undefined for cash and card. */
export function balanceSlotOf(t: Tender): string | undefined {
  switch (t.kind) {
    case 'cash':
    case 'card':
      return undefined;
    case 'gift_card':
      return `gift_card\u0000${t.cardToken}`;
    case 'loyalty':
      return `${t.asset}\u0000${t.memberId}`;
    default:
      return assertNever(t);
  }
}

/**
 * What the tenders already in the basket take from the balance `slot` that a balance read from the back end
 * does not show yet: every tender on it except those the back end already drew (`settledKey`).
 */
export function heldAgainst(tenders: readonly Tender[], slot: string): Minor {
  return sum(tenders.filter((t) => balanceSlotOf(t) === slot && !(isValueTender(t) && t.settledKey !== undefined)).map((t) => t.amount));
}

export function isValueTender(t: Tender): t is Extract<Tender, { kind: 'gift_card' | 'loyalty' }> {
  return t.kind === 'gift_card' || t.kind === 'loyalty';
}

/**
 * Checks the tenders against what is due and works out the change. `due` is what the customer pays (or, for
 * a refund, what the till pays back: then no change is allowed, the tenders must add up exactly).
 */
export function settle(due: Minor, tenders: readonly Tender[], options: { allowChange?: boolean } = {}): Settlement {
  const allowChange = options.allowChange ?? true;
  if (due < 0) throw new TillError('SCHEMA_INVALID', 'The amount due cannot be negative; a refund is its own entry.');
  tenders.forEach((t, i) => {
    if (!Number.isSafeInteger(t.amount) || t.amount <= 0) {
      throw new TillError('SCHEMA_INVALID', `Tender ${i + 1} (${describe(t)}) must be a positive amount.`);
    }
    if (t.kind === 'card' && t.terminalRef.trim() === '') throw new TillError('SCHEMA_INVALID', `Tender ${i + 1} (card) needs the terminal's reference.`);
    if (t.kind === 'gift_card' && t.cardToken.trim() === '') throw new TillError('SCHEMA_INVALID', `Tender ${i + 1} (gift card) needs the card token.`);
    if (t.kind === 'loyalty' && t.memberId.trim() === '') throw new TillError('SCHEMA_INVALID', `Tender ${i + 1} (loyalty) needs the member.`);
  });
  const tendered = sum(tenders.map((t) => t.amount));
  const nonCash = sum(tenders.filter((t) => t.kind !== 'cash').map((t) => t.amount));
  if (nonCash > due) {
    throw new TillError('CONFLICT', `Card, gift card and loyalty tenders (${nonCash}) exceed the amount due (${due}); only cash gives change.`);
  }
  if (tendered < due) throw new TillError('CONFLICT', `The tenders (${tendered}) do not cover the amount due (${due}); ${sub(due, tendered)} is still to pay.`);
  const change = sub(tendered, due);
  if (change > 0 && !allowChange) throw new TillError('CONFLICT', `A refund pays back exactly ${due}; the tenders add up to ${tendered}.`);
  // Change comes out of the last cash tenders first; nonCash <= due guarantees the cash covers it.
  let left: number = change;
  const applied = [...tenders].reverse().map((t) => {
    if (t.kind !== 'cash' || left === 0) return { ...t, applied: t.amount };
    const take = Math.min(left, t.amount);
    left -= take;
    return { ...t, applied: minor(t.amount - take) };
  });
  return { tenders: applied.reverse(), tendered, change: change > 0 ? change : ZERO };
}
