import { assertNever, TillError } from '../errors';
import { add, type Minor, minor, sub, sum, ZERO } from '../money';
import { roundToCashUnit } from './cash-rounding';

/**
 * How a sale is paid. Cash is the only tender that can exceed what is due (the difference is change);
 * a card is paid on the till's integrated terminal and we keep its reference, or, at a till without one, on a
 * stand-alone terminal the cashier confirms (`terminal: 'external'`, no reference: nothing links the two); gift cards (Dintero wallets) and
 * loyalty points or credit (Loyalty API /payment) are value tenders that may be taken offline within limits.
 * A value tender carries `settledKey` when the back end drew the money at tender time, while the customer was at
 * the till (docs/sync.md, "Value tenders"): the key it was paid under. The outbox does not pay it again; a void
 * or a removed tender refunds it by that key.
 */
export type Tender =
  | { readonly kind: 'cash'; readonly amount: Minor }
  | { readonly kind: 'card'; readonly amount: Minor; readonly terminalRef: string; readonly terminal?: 'integrated' }
  | { readonly kind: 'card'; readonly amount: Minor; readonly terminal: 'external'; readonly terminalRef?: never }
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
  /**
   * What this tender pays of the sale's total: the amount, for cash less the change and the cash rounding. The
   * applied amounts add up to what is due, always; the cash the drawer takes is the cash applied plus `rounding`.
   */
  readonly applied: Minor;
};

/**
 * `rounding` (signed): what the cash paid differs from the cash part of the total, the cash part rounded to the
 * cash unit (docs/ledger.md, "Cash rounding"). Cash must cover due + rounding; change = tendered - (due + rounding).
 */
export type Settlement = { readonly tenders: readonly SettledTender[]; readonly tendered: Minor; readonly change: Minor; readonly rounding: Minor };

export type SettleOptions = {
  /** false for a refund or void: the tenders must come to exactly what is paid back. Default true. */
  readonly allowChange?: boolean;
  /** The cash unit in minor units (`cashUnitFor`); 1 (the default) rounds nothing. */
  readonly cashUnit?: number;
  /** A rounding fixed in advance instead of worked out (a void gives back exactly what its sale took). */
  readonly rounding?: Minor;
};

/** An external terminal's card tender: the cashier confirmed the stand-alone terminal approved it. */
export function isExternalCard(t: Tender): t is Extract<Tender, { terminal: 'external' }> {
  return t.kind === 'card' && t.terminal === 'external';
}

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
 * Checks the tenders against what is due and works out the cash rounding and the change. `due` is what the
 * customer pays (or, for a refund, what the till pays back: then no change is allowed, the tenders must add up
 * exactly to due + rounding). When cash is among the tenders, the part paid in cash (due less the other tenders)
 * is rounded to `cashUnit`, halves away from zero; without cash nothing is rounded.
 */
export function settle(due: Minor, tenders: readonly Tender[], options: SettleOptions = {}): Settlement {
  const allowChange = options.allowChange ?? true;
  if (due < 0) throw new TillError('SCHEMA_INVALID', 'The amount due cannot be negative; a refund is its own entry.');
  tenders.forEach((t, i) => {
    // A void mirrors its sale: a cash part the sale rounded down to nothing gives back a cash tender of 0.
    const zeroAllowed = t.kind === 'cash' && options.rounding !== undefined && t.amount === 0;
    if (!Number.isSafeInteger(t.amount) || (t.amount <= 0 && !zeroAllowed)) {
      throw new TillError('SCHEMA_INVALID', `Tender ${i + 1} (${describe(t)}) must be a positive amount.`);
    }
    if (t.kind === 'card' && t.terminal !== 'external' && t.terminalRef.trim() === '') throw new TillError('SCHEMA_INVALID', `Tender ${i + 1} (card) needs the terminal's reference.`);
    if (t.kind === 'gift_card' && t.cardToken.trim() === '') throw new TillError('SCHEMA_INVALID', `Tender ${i + 1} (gift card) needs the card token.`);
    if (t.kind === 'loyalty' && t.memberId.trim() === '') throw new TillError('SCHEMA_INVALID', `Tender ${i + 1} (loyalty) needs the member.`);
  });
  const tendered = sum(tenders.map((t) => t.amount));
  const nonCash = sum(tenders.filter((t) => t.kind !== 'cash').map((t) => t.amount));
  if (nonCash > due) {
    throw new TillError('CONFLICT', `Card, gift card and loyalty tenders (${nonCash}) exceed the amount due (${due}); only cash gives change.`);
  }
  const cashPart = sub(due, nonCash);
  const hasCash = tenders.some((t) => t.kind === 'cash');
  const rounding = options.rounding ?? (hasCash ? sub(roundToCashUnit(cashPart, options.cashUnit ?? 1), cashPart) : ZERO);
  if (!hasCash && rounding !== 0) throw new TillError('CONFLICT', `A cash rounding (${rounding}) needs a cash tender.`);
  const payable = add(due, rounding);
  if (tendered < payable) {
    const rounded = rounding === 0 ? '' : ` (${due} with the cash rounding of ${rounding})`;
    throw new TillError('CONFLICT', `The tenders (${tendered}) do not cover the amount due${rounded}: ${payable}; ${sub(payable, tendered)} is still to pay.`);
  }
  const change = sub(tendered, payable);
  if (change > 0 && !allowChange) throw new TillError('CONFLICT', `A refund pays back exactly ${payable}; the tenders add up to ${tendered}.`);
  // The cash tenders keep `cashPart` of the sale: what they hand over less the change and the rounding. A positive
  // excess comes out of the last cash tenders first (nonCash <= due and tendered >= payable guarantee the cash
  // covers it); a negative one (rounded down) is the last cash tender paying more of the sale than was handed over.
  let left: number = change + rounding;
  const lastCash = tenders.map((t) => t.kind).lastIndexOf('cash');
  const applied = [...tenders].reverse().map((t, r) => {
    if (t.kind !== 'cash' || left === 0) return { ...t, applied: t.amount };
    if (left < 0) {
      if (tenders.length - 1 - r !== lastCash) return { ...t, applied: t.amount };
      const more = -left;
      left = 0;
      return { ...t, applied: minor(t.amount + more) };
    }
    const take = Math.min(left, t.amount);
    left -= take;
    return { ...t, applied: minor(t.amount - take) };
  });
  return { tenders: applied.reverse(), tendered, change, rounding };
}

/**
 * What is still to pay on `due` after `tenders`: once cash is among them (or `inCash`, for the next tender being
 * cash), the cash part rounded to `cashUnit` less the cash already given; otherwise what the tenders leave of
 * `due`. Never negative. This is what `settle` accepts as covered: a sale is paid when it comes to 0.
 */
export function stillToPay(due: Minor, tenders: readonly Tender[], cashUnit: number, inCash = false): Minor {
  const nonCash = sum(tenders.filter((t) => t.kind !== 'cash').map((t) => t.amount));
  const cash = sum(tenders.filter((t) => t.kind === 'cash').map((t) => t.amount));
  if (nonCash >= due) return ZERO;
  const withCash = inCash || tenders.some((t) => t.kind === 'cash');
  const cashNeeded = withCash ? roundToCashUnit(sub(due, nonCash), cashUnit) : sub(due, nonCash);
  return cashNeeded > cash ? sub(cashNeeded, cash) : ZERO;
}

/**
 * The most `tenders` may come to on `due` and still not be more than the sale costs: due itself, or with cash among
 * them the other tenders plus the cash part rounded to `cashUnit` (19.70 in cash held for a 19.60 sale is not too
 * much in Norway: the cash part is 20.00). Undefined when the non-cash tenders alone exceed what is due.
 */
export function mostPayable(due: Minor, tenders: readonly Tender[], cashUnit: number): Minor | undefined {
  const nonCash = sum(tenders.filter((t) => t.kind !== 'cash').map((t) => t.amount));
  if (nonCash > due) return undefined;
  if (!tenders.some((t) => t.kind === 'cash')) return due;
  return add(nonCash, roundToCashUnit(sub(due, nonCash), cashUnit));
}
