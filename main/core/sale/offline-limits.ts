import { because, type Reasoned } from '../error-reasons';
import { assertNever } from '../errors';
import { add, type Minor, minor, toDecimal, ZERO } from '../money';
import { currencyExponent } from './currency';
import type { Tender } from './tenders';

/**
 * The offline floor limits for value tenders (gift cards, loyalty points and credit). A value tender taken
 * while the back end cannot be asked is a promise the back end may later refuse (the card was spent elsewhere,
 * the member's points were used up); these limits bound how much such promise a till takes. Pure: the ledger
 * gathers the facts inside its commit transaction and throws the refusal.
 */

export type OfflineAsset = 'gift_card' | 'points' | 'credit';

/** Amounts in minor units of the till's currency. A limit of 0 turns offline payments of that asset off. */
export type OfflineLimit = {
  readonly perPayment: number;
  /** Per loyalty member, or per gift card, per open business day. */
  readonly perMemberPerDay: number;
  /** The till's open offline exposure (every undelivered offline payment) plus this payment. */
  readonly totalOpenExposure: number;
};

export type OfflineLimits = { readonly giftCard: OfflineLimit; readonly points: OfflineLimit; readonly credit: OfflineLimit };

/** One value tender of the sale being committed that is taken offline. */
export type OfflinePayment = {
  readonly tenderIndex: number;
  readonly asset: OfflineAsset;
  /** The gift card token or the loyalty member id: whose balance it draws on. */
  readonly key: string;
  readonly amount: Minor;
};

export type KnownBalance = {
  readonly balance: Minor;
  /** Epoch ms: when the balance was read from the back end. */
  readonly fetchedAt: number;
  /** Offline value this till took from the same card or member at or after `fetchedAt` (earlier sales). */
  readonly takenSince: Minor;
};

/**
 * What the till knows of a gift-card code it drew on (main/store/gift-card-codes.ts): `used` and not confirmed
 * since, `reusable` (it answered after a use), `spent` (it answered 404). Undefined: never drawn on, or not a card.
 */
export type CodeState = 'used' | 'reusable' | 'spent';

/** What the ledger knows about one card or member, read inside the commit transaction. */
export type PaymentFacts = {
  /** Offline value taken from the same card or member (and asset) in earlier sales of the open business day. */
  readonly takenToday: Minor;
  readonly balance: KnownBalance | undefined;
  readonly codeState?: CodeState;
};

export type OfflineCheckInput = {
  readonly limits: OfflineLimits;
  readonly payments: readonly OfflinePayment[];
  /**
   * The sale's other value tenders taken online but not yet drawn from the back end (`heldOnline`): they count
   * against the last known balance of their card or member (that balance does not show them yet), not against
   * the offline limits, which bound only what is taken offline.
   */
  readonly held?: readonly OfflinePayment[];
  /** `openOfflineExposure(db)`: offline value in undelivered outbox envelopes, all assets. */
  readonly openExposure: Minor;
  readonly facts: (asset: OfflineAsset, key: string) => PaymentFacts;
  readonly now: Date;
};

export type OfflineLimitName = 'disabled' | 'code_spent' | 'code_unconfirmed' | 'per_payment' | 'per_member_per_day' | 'total_open_exposure' | 'no_balance' | 'balance';

export type OfflineRefusal = {
  readonly limit: OfflineLimitName;
  readonly asset: OfflineAsset;
  readonly tenderIndex: number;
  readonly amount: Minor;
  /** The limit (or the last known balance) the payment was held against; 0 for `disabled`, `code_*` and `no_balance`. */
  readonly cap: Minor;
  /** What already counts against `cap`: taken today, open exposure, or taken since the balance was read. */
  readonly used: Minor;
  readonly balance: { readonly amount: Minor; readonly ageMs: number } | undefined;
};

export type OfflineVerdict = { readonly ok: true } | { readonly ok: false; readonly refusal: OfflineRefusal };

export function limitFor(limits: OfflineLimits, asset: OfflineAsset): OfflineLimit {
  switch (asset) {
    case 'gift_card':
      return limits.giftCard;
    case 'points':
      return limits.points;
    case 'credit':
      return limits.credit;
    default:
      return assertNever(asset);
  }
}

/**
 * The tenders of a sale that are taken offline: value tenders flagged `offline`, or given an amount at risk.
 * Non-positive amounts are left to `settle`, which refuses them with a better message.
 */
export function offlinePayments(tenders: readonly Tender[], amountsAtRisk: readonly number[] | undefined): OfflinePayment[] {
  const out: OfflinePayment[] = [];
  tenders.forEach((t, tenderIndex) => {
    if (t.kind !== 'gift_card' && t.kind !== 'loyalty') return;
    const offline = t.offline === true || (amountsAtRisk?.[tenderIndex] ?? 0) > 0;
    if (!offline || t.amount <= 0) return;
    if (t.kind === 'gift_card') out.push({ tenderIndex, asset: 'gift_card', key: t.cardToken, amount: t.amount });
    else out.push({ tenderIndex, asset: t.asset, key: t.memberId, amount: t.amount });
  });
  return out;
}

const slot = (asset: OfflineAsset, key: string): string => `${asset}\u0000${key}`;

/**
 * The value tenders of a sale taken online whose money the back end has not drawn yet (no `settledKey`): a
 * balance read before they were taken does not show them, so every later check of the same card or member in
 * the basket counts them (issue 15: 522 + 1,022 points from a balance of 1,022 in one basket).
 */
export function heldOnline(tenders: readonly Tender[], amountsAtRisk: readonly number[] | undefined): OfflinePayment[] {
  const offline = new Set(offlinePayments(tenders, amountsAtRisk).map((p) => p.tenderIndex));
  const out: OfflinePayment[] = [];
  tenders.forEach((t, tenderIndex) => {
    if (offline.has(tenderIndex) || t.amount <= 0) return;
    if (t.kind === 'gift_card' && t.settledKey === undefined) out.push({ tenderIndex, asset: 'gift_card', key: t.cardToken, amount: t.amount });
    if (t.kind === 'loyalty' && t.settledKey === undefined) out.push({ tenderIndex, asset: t.asset, key: t.memberId, amount: t.amount });
  });
  return out;
}

/**
 * Checks each offline payment in tender order against (a) the per-payment limit, (b) the per-member (or
 * per-card) business-day limit, (c) the till's total open exposure and (d) the last known balance, counting
 * the earlier offline tenders of the same sale, and its tenders held online but not yet drawn, as already taken. The first limit broken is the refusal.
 */
export function checkOfflineLimits(input: OfflineCheckInput): OfflineVerdict {
  const takenInSale = new Map<string, Minor>();
  // Held online in the same basket: drawn on the same balance, so it counts there, but not against the limits.
  const heldInSale = new Map<string, Minor>();
  for (const h of input.held ?? []) heldInSale.set(slot(h.asset, h.key), add(heldInSale.get(slot(h.asset, h.key)) ?? ZERO, h.amount));
  let exposure = input.openExposure;
  for (const p of input.payments) {
    const limit = limitFor(input.limits, p.asset);
    const facts = input.facts(p.asset, p.key);
    const inSale = takenInSale.get(slot(p.asset, p.key)) ?? ZERO;
    const balance = facts.balance ? { amount: facts.balance.balance, ageMs: Math.max(0, input.now.getTime() - facts.balance.fetchedAt) } : undefined;
    const refuse = (limitName: OfflineLimitName, cap: number, used: Minor): OfflineVerdict => ({
      ok: false,
      refusal: { limit: limitName, asset: p.asset, tenderIndex: p.tenderIndex, amount: p.amount, cap: minor(cap), used, balance },
    });
    if (limit.perPayment <= 0 || limit.perMemberPerDay <= 0 || limit.totalOpenExposure <= 0) return refuse('disabled', 0, ZERO);
    // A card code serves one transaction by default: once drawn on, no cached balance says it still works. Two
    // offline tenders of one code in one sale are two drawdowns by that code, so the second waits for the same proof.
    if (p.asset === 'gift_card') {
      if (facts.codeState === 'spent') return refuse('code_spent', 0, ZERO);
      if (facts.codeState === 'used' || (facts.codeState !== 'reusable' && inSale > 0)) return refuse('code_unconfirmed', 0, ZERO);
    }
    if (p.amount > limit.perPayment) return refuse('per_payment', limit.perPayment, ZERO);
    const today = add(facts.takenToday, inSale);
    if (today + p.amount > limit.perMemberPerDay) return refuse('per_member_per_day', limit.perMemberPerDay, today);
    if (exposure + p.amount > limit.totalOpenExposure) return refuse('total_open_exposure', limit.totalOpenExposure, exposure);
    if (!facts.balance) return refuse('no_balance', 0, ZERO);
    const spent = add(add(facts.balance.takenSince, inSale), heldInSale.get(slot(p.asset, p.key)) ?? ZERO);
    if (spent + p.amount > facts.balance.balance) return refuse('balance', facts.balance.balance, spent);
    takenInSale.set(slot(p.asset, p.key), add(inSale, p.amount));
    exposure = add(exposure, p.amount);
  }
  return { ok: true };
}

/** "12 min", "3 h", "2 days": how old a balance is, as a cashier reads it. */
export function describeAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

const WHAT: Record<OfflineAsset, { readonly payments: string; readonly balance: string; readonly who: string; readonly per: string }> = {
  gift_card: { payments: 'Offline gift-card payments', balance: "The card's last known balance", who: 'this card', per: 'per card' },
  points: { payments: 'Offline loyalty-points payments', balance: "The member's last known points balance", who: 'this member', per: 'per member' },
  credit: { payments: 'Offline loyalty-credit payments', balance: "The member's last known credit balance", who: 'this member', per: 'per member' },
};

/** The refusal as one message for the cashier: which limit, how much is left, and how old the balance is. */
export function refusalMessage(r: OfflineRefusal, currency: string): string {
  const exp = currencyExponent(currency);
  const money = (m: number): string => `${toDecimal(minor(m), exp)} ${currency}`;
  const w = WHAT[r.asset];
  const left = money(Math.max(0, r.cap - r.used));
  const asOf = r.balance ? ` (as of ${describeAge(r.balance.ageMs)} ago)` : '';
  const balance = r.balance ? ` ${w.balance} is ${money(r.balance.amount)}${asOf}.` : ` No balance is known for ${w.who} on this till.`;
  const otherwise = 'take another payment method, or wait until the till is back online.';
  switch (r.limit) {
    case 'disabled':
      return `${w.payments} are not accepted at this till; ${otherwise}`;
    case 'code_spent':
      return `This gift card's code was used and the gift card service says it no longer works (a card code usually serves one payment): it cannot be taken offline. Ask the customer for a new card code, or take another payment method.`;
    case 'code_unconfirmed':
      return `This gift card's code was already used at this till and the gift card service has not yet confirmed that it still works (a card code usually serves one payment): it cannot be taken offline. Take another payment method, or wait until the till is back online.`;
    case 'per_payment':
      return `${w.payments} are limited to ${money(r.cap)} each; this one is ${money(r.amount)}.${balance}`;
    case 'per_member_per_day':
      return `${w.payments} are limited to ${money(r.cap)} ${w.per} per business day; ${money(r.used)} was already taken offline today, so at most ${left} more.${balance}`;
    case 'total_open_exposure':
      return `This till's unconfirmed offline payments are limited to ${money(r.cap)} in total; ${money(r.used)} is still waiting for the server, so at most ${left} more.${balance}`;
    case 'no_balance':
      return `${w.payments} need a last known balance, and this till has none for ${w.who}; ${otherwise}`;
    case 'balance': {
      const since = r.used > 0 ? `, and ${money(r.used)} of it was already taken offline since` : '';
      return `${w.balance} is ${money(r.cap)}${asOf}${since}; this payment of ${money(r.amount)} is more than the ${left} left.`;
    }
    default:
      return assertNever(r.limit);
  }
}

/** The refusal as a reason the screen words (amounts in minor units); `refusalMessage` is its English for logs. */
export function refusalReason(r: OfflineRefusal): Reasoned {
  const tender = r.asset;
  const left = Math.max(0, r.cap - r.used);
  switch (r.limit) {
    case 'disabled':
      return because('offline.disabled', { tender });
    case 'code_spent':
      return because('offline.code-spent', {});
    case 'code_unconfirmed':
      return because('offline.code-unconfirmed', {});
    case 'per_payment':
      return because('offline.per-payment', { tender, cap: r.cap, amount: r.amount });
    case 'per_member_per_day':
      return because('offline.per-member-per-day', { tender, cap: r.cap, used: r.used, left });
    case 'total_open_exposure':
      return because('offline.total-exposure', { cap: r.cap, used: r.used, left });
    case 'no_balance':
      return because('offline.no-balance', { tender });
    case 'balance':
      return because('offline.balance', { tender, balance: r.cap, used: r.used, amount: r.amount, left });
    default:
      return assertNever(r.limit);
  }
}

/** Amounts at risk per tender index after a passed check: every offline payment in full, unless told less. */
export function amountsAtRiskFor(tenders: readonly Tender[], payments: readonly OfflinePayment[], given: readonly number[] | undefined): number[] {
  const offline = new Set(payments.map((p) => p.tenderIndex));
  return tenders.map((t, i) => {
    const told = given?.[i] ?? 0;
    return offline.has(i) && told <= 0 ? t.amount : told;
  });
}
