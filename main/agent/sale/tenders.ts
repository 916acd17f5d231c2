import type { GiftCardCheck, SaleView, TenderInput } from '../../api/contract';
import { because, tenderParam } from '../../core/error-reasons';
import { assertNever, TillError } from '../../core/errors';
import { type Minor, minor, minOf, toDecimal } from '../../core/money';
import { assertUnlocked, stillToPay, type Tender } from '../../core/sale';
import { balanceSlotOf, heldAgainst } from '../../core/sale/tenders';
import type { HeldTender, KnownBalance } from '../../core/sale/basket-snapshot';
import { currencyExponent } from '../../core/sale/currency';
import { maskId } from '../../core/sale/member-code';
import { heldOnline, offlinePayments } from '../../core/sale/offline-limits';
import { setCardPaymentState } from '../../store/card-payments';
import { currentShift } from '../../store/ledger';
import { enforceOfflineLimits } from '../../store/offline-limits';
import { balanceKeysFor } from '../balance-keys';
import { balanceFrom } from '../member-directory';
import { commitTheSale } from './sale-commit';
import { queueRefunds, settleAtTender, settledOf } from './tender-settlement';
import type { TenderOutcome } from './sale-options';
import type { SaleSession } from './sale-session';
import { balanceView } from './sale-view';

type ValueTenderInput = Extract<TenderInput, { kind: 'gift_card' | 'points' }>;
type ValueTenderTaken = Extract<Tender, { kind: 'gift_card' | 'loyalty' }>;

/**
 * Tenders: cash and card as given, gift cards and points checked against the back end's balance (when it cannot
 * be asked, taken offline within the offline limits, checked now and again inside the commit). Once the tenders
 * cover what is due the sale is committed.
 */
export class Tenders {
  constructor(private readonly session: SaleSession) {}

  /**
   * Adds a tender; once the tenders cover what is due the sale is committed (one SQLite transaction) and its
   * receipt returned. An amount left out pays what is still due (a gift card or points: at most the balance).
   */
  async addTender(input: TenderInput): Promise<TenderOutcome> {
    this.session.ensureReady();
    this.assertPayable();
    switch (input.kind) {
      case 'cash':
      case 'card':
        return this.takeTender(input, undefined);
      case 'gift_card':
      case 'points':
        return this.takeValueTender(input);
      default:
        return assertNever(input);
    }
  }

  clearTenders(): SaleView {
    const session = this.session;
    session.ensureReady();
    const s = session.state;
    if (s.payment?.state === 'waiting') throw new TillError('CONFLICT', 'A card payment is in progress on the terminal: wait for its answer.', because('card.in-progress', {}));
    // Staff clearing a charged-but-unsaved card payment have checked the terminal (docs/screens.md).
    if (s.payment) setCardPaymentState(session.db(), s.payment.reference, 'cleared', session.now());
    s.payment = null;
    // Gift cards and points already drawn at tender time are given back (queued, so a lost network loses nothing).
    queueRefunds(session, settledOf(s.tenders.map((h) => h.tender)));
    s.tenders = [];
    session.bump();
    return session.publish();
  }

  /** A gift card's balance for the cashier (online, or the last known with its age), before taking it. */
  async checkGiftCard(cardNumber: string, pin?: string): Promise<GiftCardCheck> {
    const token = cardNumber.trim();
    const maskedCard = maskId(token);
    const directory = this.session.options.directory;
    if (!directory) return { status: 'unavailable', maskedCard, reason: 'no back end or cache is configured at this till' };
    const outcome = await directory.giftCard(token, pin);
    switch (outcome.status) {
      case 'found':
        return { status: 'found', maskedCard, balance: balanceView({ amount: outcome.value.availableMinor, fetchedAt: outcome.fetchedAt, source: outcome.source }) };
      case 'not_found':
        return { status: 'not_found', maskedCard };
      case 'unavailable':
      case 'refused':
        return { status: 'unavailable', maskedCard, reason: outcome.reason };
      default:
        return assertNever(outcome);
    }
  }

  private assertPayable(): SaleView {
    const session = this.session;
    if (session.state.basket.items.length === 0) throw new TillError('CONFLICT', 'The basket is empty: there is nothing to pay for.', because('basket.empty', {}));
    session.assertNoCardPayment();
    assertUnlocked(session.state.checks, session.mode);
    const view = session.view();
    // Cash held above the total but short of the rounded cash part (19.70 for 19.60 in Norway) still leaves cash due.
    if (view.remaining <= 0 && view.cashDue <= 0 && view.totals.net > 0) throw new TillError('CONFLICT', 'The sale is already paid.', because('sale.already-paid', {}));
    return view;
  }

  private money(amount: number): string {
    const currency = this.session.options.till.currency;
    return `${toDecimal(minor(amount), currencyExponent(currency))} ${currency}`;
  }

  private async takeValueTender(input: ValueTenderInput): Promise<TenderOutcome> {
    const session = this.session;
    const directory = session.options.directory;
    if (!directory) throw new TillError('CONFLICT', 'Gift cards and points cannot be taken at this till: no back end or cache is configured.', because('tender.value-unavailable', {}));
    let known: { balance: KnownBalance | undefined; offline: boolean };
    let tender: (amount: Minor, offline: boolean) => Tender;
    // The gift card's PIN lives only for this call: passed to wallets/info and the drawdown, never kept (issue 14).
    const pin = input.kind === 'gift_card' ? input.pin : undefined;
    if (input.kind === 'gift_card') {
      const token = input.cardNumber.trim();
      const outcome = await directory.giftCard(token, pin);
      // A card code serves one transaction by default (Dintero `expires_after_transaction`): a used code is unknown now.
      if (outcome.status === 'not_found') throw new TillError('NOT_FOUND', `Gift card ${maskId(token)} is not known, has expired, or its code was already used. Ask the customer for a new card code, or take another payment method.`, because('gift-card.unknown', { card: maskId(token) }));
      if (outcome.status === 'refused') throw new TillError('CONFLICT', `Gift card ${maskId(token)} was refused by the back end: ${outcome.reason}`, because('gift-card.refused', { card: maskId(token) }));
      known = outcome.status === 'found'
        ? { balance: { amount: outcome.value.availableMinor, fetchedAt: outcome.fetchedAt, source: outcome.source }, offline: outcome.source === 'cache' }
        : { balance: undefined, offline: true };
      // The card's id, read once here, names the card in every later call (refund, retry); offline there is none.
      const cardId = outcome.status === 'found' && outcome.source === 'online' ? outcome.value.card?.cardId : undefined;
      tender = (amount, offline) => ({ kind: 'gift_card', amount, cardToken: token, ...(cardId === undefined ? {} : { cardId }), ...(offline ? { offline: true } : {}) });
    } else {
      const memberId = session.state.basket.memberId;
      if (!memberId) throw new TillError('CONFLICT', 'Identify the member first: points pay only for an identified member.', because('points.need-member', {}));
      const outcome = await directory.memberPoints(memberId);
      if (outcome.status === 'not_found') throw new TillError('NOT_FOUND', 'The loyalty back end no longer knows this member; points cannot be taken.', because('points.member-unknown', {}));
      if (outcome.status === 'refused') throw new TillError('CONFLICT', `The loyalty back end refused the points lookup: ${outcome.reason}`, because('points.refused', {}));
      const balance = balanceFrom(outcome, (m) => m.points);
      known = { balance, offline: outcome.status !== 'found' || outcome.source === 'cache' };
      const customer = session.state.customer;
      if (balance && customer?.memberId === memberId) {
        session.state.customer = { ...customer, points: balance };
      }
      tender = (amount, offline) => ({ kind: 'loyalty', amount, memberId, asset: 'points', ...(offline ? { offline: true } : {}) });
    }
    // The basket may have changed while the back end answered: what is due is read now.
    const view = this.assertPayable();
    const what = input.kind === 'gift_card' ? "The gift card's" : "The member's points";
    const asset = input.kind === 'gift_card' ? 'gift_card' : 'points';
    const balance = known.balance;
    // What the basket already takes from the same card or member that this balance does not show yet.
    const slot = balanceSlotOf(tender(minor(1), known.offline)) ?? '';
    const held = heldAgainst(session.state.tenders.map((h) => h.tender), slot);
    const available = balance ? Math.max(0, balance.amount - held) : 0;
    let amount: Minor;
    if (input.amount !== undefined) amount = minor(input.amount);
    else if (balance && available > 0) amount = minOf(minor(view.remaining), minor(available));
    else amount = minor(view.remaining);
    if (!known.offline && balance) {
      const inBasket = held > 0 ? `, and ${this.money(held)} of it is already taken in this sale` : '';
      if (available <= 0) {
        throw new TillError('BALANCE_TOO_LOW', `${what} balance is ${this.money(balance.amount)}${inBasket}: nothing is left. Take another payment method.`, because('balance.nothing-left', { tender: asset, balance: balance.amount, inBasket: held }));
      }
      if (amount > available) {
        throw new TillError('BALANCE_TOO_LOW', `${what} balance is ${this.money(balance.amount)}${inBasket}; this payment of ${this.money(amount)} is more than the ${this.money(available)} left. Pay the rest another way.`, because('balance.too-low', { tender: asset, balance: balance.amount, inBasket: held, amount, left: available }));
      }
    }
    // A PIN is never stored, so an offline tender (drawn later by the outbox) could never be charged with it.
    const noPinOffline = (): void => {
      if (input.kind === 'gift_card' && pin !== undefined) {
        const card = maskId(input.cardNumber.trim());
        throw new TillError('CONFLICT', `Gift card ${card} has a PIN and the gift card service cannot be reached: it cannot be taken offline, because the till never keeps a PIN. Take another payment method.`, because('gift-card.pin-offline', { card }));
      }
    };
    if (known.offline) noPinOffline();
    let taken = tender(amount, known.offline);
    if (!known.offline) {
      // Checked before any money moves: a payment the sale cannot take is never made.
      if (amount <= 0) throw new TillError('CONFLICT', 'Nothing is left to pay.', because('sale.nothing-due', {}));
      if (amount > view.remaining) throw new TillError('CONFLICT', `A ${input.kind === 'gift_card' ? 'gift card' : 'points'} payment can be at most what is still due (${this.money(view.remaining)}); only cash gives change.`, because('tender.at-most-due', { tender: asset, due: view.remaining }));
      const settled = await settleAtTender(session, taken as ValueTenderTaken, balance, pin);
      if (!settled) noPinOffline();
      taken = settled ?? tender(amount, true);
    }
    try {
      return this.takeTender(taken, balance);
    } catch (err) {
      // Drawn, but the sale would not take it (the basket changed meanwhile, the commit refused): it goes back.
      queueRefunds(session, settledOf([taken]));
      throw err;
    }
  }

  private takeTender(input: Extract<TenderInput, { kind: 'cash' | 'card' }> | Tender, balance: KnownBalance | undefined): TenderOutcome {
    const session = this.session;
    const view = this.assertPayable();
    // Cash left out pays what is due in cash, rounded to the cash unit (docs/ledger.md, "Cash rounding").
    const amount = minor(input.amount ?? (input.kind === 'cash' ? view.cashDue : view.remaining));
    if (amount <= 0) throw new TillError('CONFLICT', 'Nothing is left to pay.', because('sale.nothing-due', {}));
    let tender: Tender;
    switch (input.kind) {
      case 'cash':
        tender = { kind: 'cash', amount };
        break;
      case 'card':
        // Only cash gives change: a card pays at most what is still due.
        if (amount > view.remaining) throw new TillError('CONFLICT', `A card can pay at most what is still due (${view.remaining}); only cash gives change.`, because('card.at-most-due', { due: view.remaining }));
        tender = input.terminal === 'external' ? { kind: 'card', amount, terminal: 'external' } : { kind: 'card', amount, terminalRef: input.terminalRef };
        break;
      case 'gift_card':
      case 'loyalty':
        if (amount > view.remaining) throw new TillError('CONFLICT', `A ${input.kind === 'gift_card' ? 'gift card' : 'points'} payment can be at most what is still due (${this.money(view.remaining)}); only cash gives change.`, because('tender.at-most-due', { tender: tenderParam(input.kind), due: view.remaining }));
        tender = { ...input, amount };
        break;
      default:
        return assertNever(input);
    }
    const tenders: HeldTender[] = [...session.state.tenders, { tender, ...(balance ? { balance } : {}) }];
    // Paid once the tenders cover what is due, the cash part rounded to the cash unit when cash is among them.
    if (stillToPay(minor(view.totals.net), tenders.map((t) => t.tender), session.options.till.cashUnit ?? 1) > 0) {
      // An offline value tender that the limits would refuse is refused now, not when the last tender comes.
      this.precheckOfflineLimits(tenders.map((t) => t.tender));
      session.state.tenders = tenders;
      session.bump();
      return { committed: false, receipt: null, sale: session.publish() };
    }
    return commitTheSale(session, tenders);
  }

  private precheckOfflineLimits(tenders: readonly Tender[]): void {
    const session = this.session;
    const limits = session.options.offlineLimits;
    const payments = offlinePayments(tenders, undefined);
    if (!limits || payments.length === 0) return;
    const db = session.db();
    const shift = currentShift(db);
    // Without an open shift the commit refuses the sale anyway, with its own message.
    if (!shift) return;
    enforceOfflineLimits(db, { limits, payments, held: heldOnline(tenders, undefined), businessDayId: shift.businessDayId, currency: session.options.till.currency, balanceKeyOf: balanceKeysFor(db) }, session.now());
  }
}
