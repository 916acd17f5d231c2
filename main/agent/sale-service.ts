import { balanceKeysFor } from './balance-keys';
import { offlinePayments, type OfflineLimits } from '../core/sale/offline-limits';
import {
  type BalanceView,
  type CardPaymentView,
  type CustomerView,
  type GiftCardCheck,
  type IdentifyCustomerInput,
  type ItemView,
  ReceiptDocumentSchema,
  type ReceiptDocumentView,
  type SaleLine,
  type SaleNotice,
  type SaleView,
  type ShiftView,
  type TenderInput,
} from '../api/contract';
import {
  type CustomerInfo,
  type HeldTender,
  type KnownBalance,
  type OpenBasketSnapshot,
  parseOpenBasket,
  parseSuspendedBasket,
  type SuspendedBasketSnapshot,
} from '../core/sale/basket-snapshot';
import { currencyExponent } from '../core/sale/currency';
import { looksLikeMemberCode, maskId, parseMemberCode } from '../core/sale/member-code';
import { balanceFrom, type IdentifyQuery, type MemberDirectory } from './member-directory';
import { deleteBasket, OPEN_SLOT, putBasket, putOpenBasket, setBasketAside, storedBaskets } from '../store/open-baskets';
import { enforceOfflineLimits } from '../store/offline-limits';
import type { CatalogItem } from '../core/catalog';
import type { Clock } from '../core/clock';
import { buildIndex, type CustomerState, type RuleOutcome } from '../core/discounts';
import { assertNever, TillError } from '../core/errors';
import { type Minor, minor, minOf, sub, sum, toDecimal, ZERO } from '../core/money';
import {
  addToBasket,
  approveChecks,
  assertUnlocked,
  type Basket,
  dropLineChecks,
  EMPTY_BASKET,
  identifyCustomer,
  type LineInput,
  methodFor,
  NO_CHECKS,
  receiptDocument,
  requireChecks,
  type SaleChecks,
  removeLine,
  type SaleReceipt,
  setLineQuantity,
  priceBasket,
  type Tender,
  type TillMode,
  totalsOf,
} from '../core/sale';
import type { CardPaymentResult, CardTerminal } from '../devices/terminal/card-terminal';
import type { ScanEvent } from '../devices/scanners/scan-stream';
import type { Logger } from '../log';
import type { WritableDb } from '../store';
import { getCatalogItem, lookupByCode } from '../store/catalog';
import { ledgerVersion, localDiscountUsage } from '../store/discount-usage';
import { closeBusinessDay, closeShift, commitSale, currentBusinessDay, currentShift, openBusinessDay, openShift, printReceiptOf, type ShiftSummary, type TillIdentity } from '../store/ledger';
import { NO_RULES_VERSION, type PricingRules, RulesSource } from './rules-source';

type ScanResult = ScanEvent['result'];

export type SaleServiceOptions = {
  readonly till: TillIdentity;
  /**
   * A kiosk locks weighed items for staff as well as age-restricted ones, and leaves the receipt to the
   * customer's choice after paying; a cashier till checks ID and prints every receipt. Default cashier.
   */
  readonly mode?: TillMode;
  /** The external card terminal the kiosk pays on; without one the kiosk's customers pay at staff. */
  readonly cardTerminal?: CardTerminal | undefined;
  /** A receipt was queued after the sale (the kiosk customer asked for it): wake the print spool. */
  onDidQueuePrint?(): void;
  /** Throws while the agent is still starting. */
  db(): WritableDb;
  readonly clock: Clock;
  logger(): Logger;
  /** Called with the new view after every change, to publish it to every screen. */
  onDidChange(view: SaleView): void;
  /** Called after a sale is committed: print its receipt and deliver its effects now. */
  onDidCommit?(): void;
  /** The till's offline value limits, checked inside the commit (docs/ledger.md). */
  readonly offlineLimits?: OfflineLimits | undefined;
  /**
   * Item search by name (the store's catalog query). Without it a search finds an item only by an exact code:
   * main/store/catalog.ts has no name search yet (docs/screens.md).
   */
  readonly searchByName?: ((db: WritableDb, query: string, limit: number) => readonly CatalogItem[]) | undefined;
  /**
   * Demo tills open a business day and a shift by themselves, and fill an empty catalog, so a new user can
   * sell at once.
   */
  readonly demo?: { readonly operatorId: string; seedCatalog(db: WritableDb, now: Date): void } | undefined;
  /**
   * Member, customer, points and gift-card lookups (the back ends online, the caches offline). Without it only
   * ids can be attached and value tenders are refused.
   */
  readonly directory?: MemberDirectory | undefined;
};

type Priced = { readonly receipt: SaleReceipt; readonly outcomes: readonly RuleOutcome[]; readonly ruleSetVersion: string };

type Suspended = SuspendedBasketSnapshot;

/** A kiosk card payment: `reference` is this attempt's, so only its own terminal answer can finish it. */
type CardPayment = CardPaymentView & { readonly reference: string };

export type ScanOutcome = { readonly ok: boolean; readonly notice: SaleNotice; readonly sale: SaleView };

export type TenderOutcome = { readonly committed: boolean; readonly receipt: ReceiptDocumentView | null; readonly sale: SaleView };

function itemView(item: CatalogItem): ItemView {
  return { itemId: item.id, name: item.name, codes: [...item.codes], unit: item.unit, unitPrice: item.unitPrice, vatRateBp: item.vatRateBp, eligibleForDiscount: item.eligibleForDiscount };
}

/** What a parsed scan asks the basket to do: an item by one of its codes, maybe with a label price or weight. */
type ScanLookup = {
  readonly codes: readonly string[];
  readonly price?: Minor;
  readonly grams?: number;
  readonly error?: Extract<ScanResult, { ok: false }>;
};

function lookupOf(result: ScanResult): ScanLookup {
  // A short in-store code may fail the GTIN check digit and still be a PLU in the catalog: look it up anyway.
  if (!result.ok) return { codes: [result.raw.trim()], error: result };
  switch (result.kind) {
    case 'gtin':
      return { codes: [result.gtin14] };
    case 'gs1': {
      const codes = result.gtin14 === undefined ? [result.raw] : [result.gtin14];
      return { codes, ...(result.values.price !== undefined ? { price: result.values.price } : {}), ...(result.values.netWeightGrams !== undefined ? { grams: result.values.netWeightGrams } : {}) };
    }
    case 'in-store-price':
      return { codes: [result.lookupGtin14, result.itemCode], price: result.price };
    case 'in-store-weight':
      return { codes: [result.lookupGtin14, result.itemCode], grams: result.weightGrams };
    case 'unknown-text':
      return { codes: [result.text.trim()] };
  }
}

/**
 * The sale being rung up at this till, held by the agent rather than the page: a reloaded or crashed screen
 * asks for it again and carries on. Every change re-prices the basket against the cached discount rules
 * and publishes the new view. Scans from the device manager and from the screen take the same path.
 *
 * The open basket (with its customer and tenders) and the suspended baskets are written to SQLite after every
 * change (migration 0120, main/store/open-baskets.ts) and read back on the first call after a start, so an
 * agent restart or a reloaded screen carries on where the cashier was. A commit empties the stored basket in
 * the commit's own transaction.
 */
export class SaleService {
  private basket: Basket = EMPTY_BASKET;
  private tenders: HeldTender[] = [];
  private customer: CustomerInfo | undefined;
  private loaded = false;
  private suspended: Suspended[] = [];
  private lastReceipt: ReceiptDocumentView | null = null;
  private notice: SaleNotice | null = null;
  private help: { requestedAt: string } | null = null;
  private checks: SaleChecks = NO_CHECKS;
  private payment: CardPayment | null = null;
  private paymentSeq = 0;
  private receiptOffer: { receiptId: string } | null = null;
  private noticeSeq = 0;
  private revision = 0;
  private priced: Priced | undefined;
  private usage: { readonly customerId: string; readonly version: number; readonly state: CustomerState } | undefined;
  private readyChecked = false;
  private suspendSeq = 0;
  private readonly rulesSource: RulesSource;
  private readonly scanOutcomes = new WeakMap<ScanEvent, ScanOutcome>();
  /** Member codes scanned: the lookup's final outcome, for the caller that pushed the scan. */
  private readonly memberScans = new WeakMap<ScanEvent, Promise<ScanOutcome>>();

  private readonly mode: TillMode;

  constructor(private readonly options: SaleServiceOptions) {
    this.rulesSource = new RulesSource(() => options.logger());
    this.mode = options.mode ?? 'cashier';
  }

  // ---- reading ----

  view(): SaleView {
    this.ensureReady();
    const priced = this.price();
    const totals = totalsOf(priced.receipt.items);
    const paid = sum(this.tenders.map((t) => t.tender.amount));
    const lines: SaleLine[] = priced.receipt.items.map((i) => ({
      lineId: i.line_id,
      itemId: i.id,
      description: i.description,
      unit: i.unit,
      quantity: i.quantity,
      quantityMilli: i.quantity_milli,
      unitPrice: i.unit_gross_price,
      gross: i.gross_amount,
      net: i.net_amount,
      discounts: i.discount_lines.map((d) => ({ ruleId: d.discount_id ?? '', text: d.description ?? d.discount_id ?? '', amount: d.amount })),
    }));
    return {
      revision: this.revision,
      currency: this.options.till.currency,
      lines,
      customer: this.customerView(),
      totals: { gross: totals.gross, discount: totals.discount, net: totals.net, vatTotal: totals.vatTotal },
      tenders: this.tenders.map(tenderView),
      paid,
      remaining: paid >= totals.net ? ZERO : sub(totals.net, paid),
      outcomes: priced.outcomes.map((o) => ({ ruleId: o.discount_id, name: o.name, applied: o.applied, reason: o.reason, message: o.message, amount: o.amount, bonus: o.bonus })),
      ruleSetVersion: priced.ruleSetVersion,
      suspended: this.suspended.map((s) => ({ id: s.id, suspendedAt: s.suspendedAt, lines: s.basket.items.length, net: sum(s.basket.items.map((i) => i.gross_amount)) })),
      notice: this.notice,
      lastReceipt: this.lastReceipt,
      shift: this.shiftView(),
      help: this.help,
      checks: {
        mode: this.mode,
        pending: this.checks.pending.map((c) => ({ kind: c.kind, lineId: c.lineId, description: c.description, ...(c.kind === 'age' ? { ageLimit: c.ageLimit } : { grams: c.grams }) })),
        approvals: this.checks.approvals.map((a) => ({
          operatorId: a.operatorId,
          method: a.method,
          at: a.at,
          kinds: [...new Set(a.checks.map((c) => c.kind))],
          ...(a.verifiedAge !== undefined ? { verifiedAge: a.verifiedAge } : {}),
        })),
      },
      payment: this.payment ? { state: this.payment.state, amount: this.payment.amount, ...(this.payment.reason !== undefined ? { reason: this.payment.reason } : {}) } : null,
      receiptOffer: this.receiptOffer,
    };
  }

  shiftView(): ShiftView {
    const db = this.options.db();
    const day = currentBusinessDay(db);
    const shift = currentShift(db);
    return {
      businessDay: day ? { id: day.id, businessDate: day.businessDate } : null,
      shift: shift ? { id: shift.shiftId, operatorId: shift.operatorId, openedAt: shift.openedAt } : null,
    };
  }

  // ---- scanning and lines ----

  /** Subscribe this to the device manager's scans; the outcome is kept for the caller that pushed the scan. */
  acceptScan(event: ScanEvent): ScanOutcome {
    const known = this.scanOutcomes.get(event);
    if (known) return known;
    // A member's own code identifies the member; it is never looked up as an item.
    const outcome = looksLikeMemberCode(event.raw) ? this.scanMemberSafely(event) : this.scan(event.result, event.raw);
    this.scanOutcomes.set(event, outcome);
    return outcome;
  }

  private scanMemberSafely(event: ScanEvent): ScanOutcome {
    try {
      this.ensureReady();
      return this.scanMember(event, event.raw);
    } catch (err) {
      return this.fail({ code: 'failed', subject: event.raw, message: err instanceof Error ? err.message : String(err) });
    }
  }

  outcomeOf(event: ScanEvent): ScanOutcome | undefined {
    return this.scanOutcomes.get(event);
  }

  private scan(result: ScanResult, raw: string): ScanOutcome {
    try {
      this.ensureReady();
      const lookup = lookupOf(result);
      const db = this.options.db();
      let item: CatalogItem | undefined;
      for (const code of lookup.codes) {
        item = lookupByCode(db, code);
        if (item) break;
      }
      if (!item) {
        if (lookup.error) return this.fail({ code: 'bad-barcode', subject: raw, scanError: lookup.error.code });
        return this.fail({ code: 'unknown-item', subject: raw });
      }
      const { grams, price } = lookup;
      if (item.unit === 'weight' && grams === undefined && price === undefined) {
        return this.fail({ code: 'weight-required', subject: item.name });
      }
      // A weighed item with only a label price (a pre-packed deli tray) is one package at that price.
      const sold: CatalogItem = item.unit === 'weight' && grams === undefined ? { ...item, unit: 'piece' } : item;
      const input: LineInput = {
        item: sold,
        ...(grams !== undefined && sold.unit === 'weight' ? { grams } : {}),
        ...(price !== undefined ? { price } : {}),
        barcode: raw,
      };
      const name = item.name;
      return this.outcome(true, this.change(() => addToBasket(this.basket, input), { code: 'added', subject: name }, item));
    } catch (err) {
      return this.fail({ code: 'failed', subject: raw, message: err instanceof Error ? err.message : String(err) });
    }
  }

  addItem(itemId: string, quantity: number | undefined, grams: number | undefined): SaleView {
    this.ensureReady();
    const item = getCatalogItem(this.options.db(), itemId);
    if (!item) throw new TillError('NOT_FOUND', `There is no item ${itemId} in the catalog.`);
    if (item.unit === 'weight' && grams === undefined) throw new TillError('SCHEMA_INVALID', `${item.name} is sold by weight: give its weight in grams.`);
    return this.change(() => addToBasket(this.basket, { item, ...(quantity !== undefined ? { quantity } : {}), ...(grams !== undefined ? { grams } : {}) }), { code: 'added', subject: item.name }, item);
  }

  setQuantity(lineId: number, quantity: number): SaleView {
    this.ensureReady();
    return this.change(() => setLineQuantity(this.basket, lineId, quantity));
  }

  voidLine(lineId: number): SaleView {
    this.ensureReady();
    return this.change(() => removeLine(this.basket, lineId), undefined, undefined, lineId);
  }

  /**
   * Identifies the customer: by membership number, phone number or scanned member QR (looked up online, or in
   * the cache offline), or by ids given as they are; an empty input takes the customer off the sale. The basket
   * is re-priced for the customer. An unknown member is an error and leaves the sale exactly as it was.
   */
  async identifyCustomer(input: IdentifyCustomerInput): Promise<SaleView> {
    this.ensureReady();
    const query = this.queryOf(input);
    if (!query) {
      const ids = { ...(input.memberId ? { memberId: input.memberId } : {}), ...(input.customerId ? { customerId: input.customerId } : {}) };
      this.customer = ids.memberId || ids.customerId ? ids : undefined;
      return this.change(() => identifyCustomer(this.basket, ids));
    }
    const customer = await this.lookUp(query);
    return this.attach(customer);
  }

  private queryOf(input: IdentifyCustomerInput): IdentifyQuery | undefined {
    if (input.memberNumber !== undefined) return { by: 'number', memberNumber: input.memberNumber };
    if (input.phone !== undefined) return { by: 'phone', phone: input.phone };
    if (input.qr !== undefined) {
      const code = parseMemberCode(input.qr);
      if (!code) throw new TillError('SCHEMA_INVALID', 'qr: not a member code; a member QR reads MEMBER: followed by the membership number (4 to 20 digits).');
      return { by: 'number', memberNumber: code.memberNumber };
    }
    return undefined;
  }

  /** The customer the back ends (or the cache) know for the query; throws NOT_FOUND with a message for the cashier. */
  private async lookUp(query: IdentifyQuery): Promise<CustomerInfo> {
    const directory = this.options.directory;
    // Never the phone number in a message or a log line: it is personal data.
    const who = query.by === 'number' ? `membership number ${query.memberNumber}` : 'this phone number';
    if (!directory) throw new TillError('NOT_FOUND', `No member can be looked up at this till (no back end or cache); ${who} was not found.`);
    const answer = await directory.identify(query);
    switch (answer.status) {
      case 'found':
        return answer.customer;
      case 'not_found':
        throw new TillError('NOT_FOUND', `No member has ${who}. The sale is unchanged.`);
      case 'unavailable':
        throw new TillError('NOT_FOUND', `No member with ${who} is known on this till, and the loyalty back end cannot be reached to ask. The sale is unchanged.`);
      default:
        return assertNever(answer);
    }
  }

  private attach(customer: CustomerInfo): SaleView {
    this.customer = customer;
    const ids = { ...(customer.memberId ? { memberId: customer.memberId } : {}), ...(customer.customerId ? { customerId: customer.customerId } : {}) };
    return this.change(() => identifyCustomer(this.basket, ids), { code: 'member', subject: customerLabel(customer) });
  }

  /** A scanned member code: looked up in the background; the outcome is published when it is known. */
  private scanMember(event: ScanEvent | undefined, raw: string): ScanOutcome {
    const code = parseMemberCode(raw);
    if (!code) return this.fail({ code: 'unknown-member', subject: raw, message: 'not a member code: a member QR reads MEMBER: followed by the membership number' });
    const subject = maskId(code.memberNumber);
    this.notice = { seq: ++this.noticeSeq, level: 'info', code: 'member-lookup', subject };
    this.bump();
    const pending = this.outcome(true, this.publish());
    const settled = this.lookUp({ by: 'number', memberNumber: code.memberNumber }).then(
      (customer) => this.outcome(true, this.attach(customer)),
      (err: unknown) => this.fail({ code: 'unknown-member', subject, message: err instanceof Error ? err.message : String(err) }),
    );
    if (event) this.memberScans.set(event, settled);
    return pending;
  }

  /** For a scan pushed by the screen: the final outcome once a member code has been looked up. */
  settledOutcomeOf(event: ScanEvent): Promise<ScanOutcome> | undefined {
    return this.memberScans.get(event);
  }

  private customerView(): CustomerView | null {
    const c = this.customer ?? (this.basket.memberId || this.basket.customerId ? { memberId: this.basket.memberId, customerId: this.basket.customerId } : undefined);
    if (!c) return null;
    const id = c.memberNumber ?? c.memberId ?? c.customerId ?? '';
    return {
      ...(c.memberId ? { memberId: c.memberId } : {}),
      ...(c.customerId ? { customerId: c.customerId } : {}),
      ...(c.name ? { name: c.name } : {}),
      maskedId: maskId(id),
      ...(c.points ? { points: balanceView(c.points) } : {}),
    };
  }

  priceCheck(code: string): { item: ItemView | null; notice: SaleNotice | null } {
    this.ensureReady();
    const item = lookupByCode(this.options.db(), code);
    if (item) return { item: itemView(item), notice: null };
    return { item: null, notice: { seq: this.noticeSeq, level: 'error', code: 'unknown-item', subject: code } };
  }

  searchItems(query: string, limit: number): ItemView[] {
    this.ensureReady();
    const db = this.options.db();
    const byCode = lookupByCode(db, query);
    const byName = this.options.searchByName ? this.options.searchByName(db, query, limit) : [];
    const seen = new Set<string>();
    const out: ItemView[] = [];
    for (const item of byCode ? [byCode, ...byName] : byName) {
      if (seen.has(item.id) || out.length >= limit) continue;
      seen.add(item.id);
      out.push(itemView(item));
    }
    return out;
  }

  // ---- tenders and commit ----

  /**
   * Adds a tender; once the tenders cover what is due the sale is committed (one SQLite transaction) and its
   * receipt returned. An amount left out pays what is still due (a gift card or points: at most the balance).
   * Gift cards and points are checked against the back end's balance; when it cannot be asked they are taken
   * offline, within the offline limits (checked now and again inside the commit).
   */
  async addTender(input: TenderInput): Promise<TenderOutcome> {
    this.ensureReady();
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

  private assertPayable(): SaleView {
    if (this.basket.items.length === 0) throw new TillError('CONFLICT', 'The basket is empty: there is nothing to pay for.');
    this.assertNoCardPayment();
    assertUnlocked(this.checks, this.mode);
    const view = this.view();
    if (view.remaining <= 0 && view.totals.net > 0) throw new TillError('CONFLICT', 'The sale is already paid.');
    return view;
  }

  private money(amount: number): string {
    const currency = this.options.till.currency;
    return `${toDecimal(minor(amount), currencyExponent(currency))} ${currency}`;
  }

  private async takeValueTender(input: Extract<TenderInput, { kind: 'gift_card' | 'points' }>): Promise<TenderOutcome> {
    const directory = this.options.directory;
    if (!directory) throw new TillError('CONFLICT', 'Gift cards and points cannot be taken at this till: no back end or cache is configured.');
    let known: { balance: KnownBalance | undefined; offline: boolean };
    let tender: (amount: Minor, offline: boolean) => Tender;
    if (input.kind === 'gift_card') {
      const token = input.cardNumber.trim();
      const outcome = await directory.giftCard(token);
      if (outcome.status === 'not_found') throw new TillError('NOT_FOUND', `Gift card ${maskId(token)} is not known or has expired.`);
      if (outcome.status === 'refused') throw new TillError('CONFLICT', `Gift card ${maskId(token)} was refused by the back end: ${outcome.reason}`);
      known = outcome.status === 'found'
        ? { balance: { amount: outcome.value.availableMinor, fetchedAt: outcome.fetchedAt, source: outcome.source }, offline: outcome.source === 'cache' }
        : { balance: undefined, offline: true };
      tender = (amount, offline) => ({ kind: 'gift_card', amount, cardToken: token, ...(offline ? { offline: true } : {}) });
    } else {
      const memberId = this.basket.memberId;
      if (!memberId) throw new TillError('CONFLICT', 'Identify the member first: points pay only for an identified member.');
      const outcome = await directory.memberPoints(memberId);
      if (outcome.status === 'not_found') throw new TillError('NOT_FOUND', 'The loyalty back end no longer knows this member; points cannot be taken.');
      if (outcome.status === 'refused') throw new TillError('CONFLICT', `The loyalty back end refused the points lookup: ${outcome.reason}`);
      const balance = balanceFrom(outcome, (m) => m.points);
      known = { balance, offline: outcome.status !== 'found' || outcome.source === 'cache' };
      if (balance && this.customer?.memberId === memberId) {
        this.customer = { ...this.customer, points: balance };
      }
      tender = (amount, offline) => ({ kind: 'loyalty', amount, memberId, asset: 'points', ...(offline ? { offline: true } : {}) });
    }
    // The basket may have changed while the back end answered: what is due is read now.
    const view = this.assertPayable();
    const what = input.kind === 'gift_card' ? "The gift card's" : "The member's points";
    const balance = known.balance;
    let amount: Minor;
    if (input.amount !== undefined) amount = minor(input.amount);
    else if (balance && balance.amount > 0) amount = minOf(minor(view.remaining), minor(balance.amount));
    else amount = minor(view.remaining);
    if (!known.offline && balance) {
      if (balance.amount <= 0) throw new TillError('CONFLICT', `${what} balance is ${this.money(0)}: take another payment method.`);
      if (amount > balance.amount) throw new TillError('CONFLICT', `${what} balance is ${this.money(balance.amount)}; this payment of ${this.money(amount)} is more. Pay the rest another way.`);
    }
    return this.takeTender(tender(amount, known.offline), balance);
  }

  private takeTender(input: Extract<TenderInput, { kind: 'cash' | 'card' }> | Tender, balance: KnownBalance | undefined): TenderOutcome {
    const view = this.assertPayable();
    const amount = minor(input.amount ?? view.remaining);
    if (amount <= 0) throw new TillError('CONFLICT', 'Nothing is left to pay.');
    let tender: Tender;
    switch (input.kind) {
      case 'cash':
        tender = { kind: 'cash', amount };
        break;
      case 'card':
        // Only cash gives change: a card pays at most what is still due.
        if (amount > view.remaining) throw new TillError('CONFLICT', `A card can pay at most what is still due (${view.remaining}); only cash gives change.`);
        tender = { kind: 'card', amount, terminalRef: input.terminalRef };
        break;
      case 'gift_card':
      case 'loyalty':
        if (amount > view.remaining) throw new TillError('CONFLICT', `A ${input.kind === 'gift_card' ? 'gift card' : 'points'} payment can be at most what is still due (${this.money(view.remaining)}); only cash gives change.`);
        tender = { ...input, amount };
        break;
      default:
        return assertNever(input);
    }
    const tenders: HeldTender[] = [...this.tenders, { tender, ...(balance ? { balance } : {}) }];
    const paid = sum(tenders.map((t) => t.tender.amount));
    if (paid < view.totals.net) {
      // An offline value tender that the limits would refuse is refused now, not when the last tender comes.
      this.precheckOfflineLimits(tenders.map((t) => t.tender));
      this.tenders = tenders;
      this.bump();
      return { committed: false, receipt: null, sale: this.publish() };
    }
    return this.commit(tenders);
  }

  private precheckOfflineLimits(tenders: readonly Tender[]): void {
    const limits = this.options.offlineLimits;
    const payments = offlinePayments(tenders, undefined);
    if (!limits || payments.length === 0) return;
    const db = this.options.db();
    const shift = currentShift(db);
    // Without an open shift the commit refuses the sale anyway, with its own message.
    if (!shift) return;
    enforceOfflineLimits(db, { limits, payments, businessDayId: shift.businessDayId, currency: this.options.till.currency, balanceKeyOf: balanceKeysFor(db) }, this.options.clock.now());
  }

  clearTenders(): SaleView {
    this.ensureReady();
    if (this.payment?.state === 'waiting') throw new TillError('CONFLICT', 'A card payment is in progress on the terminal: wait for its answer.');
    // Staff clearing a charged-but-unsaved card payment have checked the terminal (docs/screens.md).
    this.payment = null;
    this.tenders = [];
    this.bump();
    return this.publish();
  }

  /** A gift card's balance for the cashier (online, or the last known with its age), before taking it. */
  async checkGiftCard(cardNumber: string): Promise<GiftCardCheck> {
    const token = cardNumber.trim();
    const maskedCard = maskId(token);
    const directory = this.options.directory;
    if (!directory) return { status: 'unavailable', maskedCard, reason: 'no back end or cache is configured at this till' };
    const outcome = await directory.giftCard(token);
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

  private commit(held: readonly HeldTender[]): TenderOutcome {
    const db = this.options.db();
    this.ensureReady();
    const now = this.options.clock.now();
    const tenders = held.map((h) => h.tender);
    // Re-priced at the moment of sale: the rule set may have been refreshed since the last scan.
    this.priced = undefined;
    const priced = this.price(now);
    // The stored basket goes in the same transaction as the sale: after a crash there is either the sale or the basket.
    const result = db
      .transaction(() => {
        const committed = commitSale(
          db,
          {
            till: this.options.till,
            receipt: priced.receipt,
            tenders,
            checks: this.checks,
            // A kiosk customer chooses after paying whether to print; a cashier's receipt prints at once.
            printReceipt: this.mode !== 'kiosk',
            ruleSetVersion: priced.ruleSetVersion,
            ...(this.options.offlineLimits ? { offlineLimits: this.options.offlineLimits, balanceKeyOf: balanceKeysFor(db) } : {}),
            ...(this.basket.customerId ? { customerId: this.basket.customerId } : {}),
            ...(this.basket.memberId ? { memberId: this.basket.memberId } : {}),
          },
          now,
        );
        deleteBasket(db, OPEN_SLOT);
        return committed;
      })
      .immediate();
    // Parsed with the contract: the same document the spool prints, as the screen will receive it.
    const receipt = ReceiptDocumentSchema.parse(receiptDocument(result.entry));
    this.options.logger().info({ receiptId: result.entry.receiptId, netMinor: result.entry.totals.net, lines: result.entry.receipt.items.length, ruleSetVersion: priced.ruleSetVersion }, 'sale committed');
    this.lastReceipt = receipt;
    this.receiptOffer = this.mode === 'kiosk' ? { receiptId: receipt.receiptId } : null;
    this.help = null;
    this.basket = EMPTY_BASKET;
    this.customer = undefined;
    this.checks = NO_CHECKS;
    this.payment = null;
    this.tenders = [];
    this.notice = null;
    this.priced = undefined;
    this.bump();
    this.options.onDidCommit?.();
    return { committed: true, receipt, sale: this.publish() };
  }

  reprint(): ReceiptDocumentView {
    if (!this.lastReceipt) throw new TillError('NOT_FOUND', 'No sale has been committed at this till since the agent started.');
    return { ...this.lastReceipt, copy: true };
  }

  // ---- whole baskets ----

  cancel(): SaleView {
    this.ensureReady();
    this.assertNoCardPayment();
    this.tenders = [];
    this.help = null;
    this.customer = undefined;
    this.receiptOffer = null;
    return this.change(() => EMPTY_BASKET);
  }

  suspend(): SaleView {
    this.ensureReady();
    if (this.basket.items.length === 0) throw new TillError('CONFLICT', 'The basket is empty: there is nothing to suspend.');
    if (this.tenders.length > 0 || this.payment) throw new TillError('CONFLICT', 'Part of this sale is paid: finish or clear the tenders before suspending it.');
    const id = `S${this.suspendSeq + 1}`;
    const parked: Suspended = {
      v: 1,
      id,
      suspendedAt: this.options.clock.now().toISOString(),
      basket: this.basket,
      tenders: this.tenders,
      checks: this.checks,
      ...(this.customer ? { customer: this.customer } : {}),
    };
    const db = this.options.db();
    // The parked basket and the emptied open one are written together.
    db.transaction(() => {
      putBasket(db, id, this.suspendSeq + 1, JSON.stringify(parked), this.options.clock.now());
      this.suspendSeq += 1;
      this.suspended = [...this.suspended, parked];
      this.basket = EMPTY_BASKET;
      this.checks = NO_CHECKS;
      this.tenders = [];
      this.customer = undefined;
      this.notice = null;
      this.priced = undefined;
      this.bump();
    })();
    return this.publish();
  }

  resume(id: string): SaleView {
    this.ensureReady();
    const found = this.suspended.find((s) => s.id === id);
    if (!found) throw new TillError('NOT_FOUND', `There is no suspended basket ${id}.`);
    if (this.basket.items.length > 0) throw new TillError('CONFLICT', 'Finish or suspend the current basket before resuming another.');
    const db = this.options.db();
    db.transaction(() => {
      deleteBasket(db, id);
      this.suspended = this.suspended.filter((s) => s.id !== id);
      this.basket = found.basket;
      this.checks = found.checks;
      this.tenders = [...found.tenders];
      this.customer = found.customer;
      this.notice = null;
      this.priced = undefined;
      this.bump();
    })();
    return this.publish();
  }

  // ---- kiosk ----

  /** The kiosk's help button: every screen of the till sees the flag until staff clear it or the sale ends. */
  requestHelp(): SaleView {
    this.ensureReady();
    this.help ??= { requestedAt: this.options.clock.now().toISOString() };
    this.options.logger().info({ requestedAt: this.help.requestedAt }, 'kiosk: a customer asked for staff');
    this.bump();
    return this.publish();
  }

  clearHelp(): SaleView {
    this.ensureReady();
    this.help = null;
    this.bump();
    return this.publish();
  }

  // ---- age and weight checks ----

  /**
   * Staff (at a kiosk) or the cashier (an ID check at their till) approve every pending check; the approval is
   * kept with the sale. At a kiosk the attendant has come, so the help flag the lock raised is cleared too.
   */
  approve(operatorId: string): SaleView {
    this.checks = approveChecks(this.checks, { operatorId, method: methodFor(this.mode), at: this.options.clock.now().toISOString() });
    const approval = this.checks.approvals.at(-1);
    this.options.logger().info({ operatorId: approval?.operatorId, method: approval?.method, checks: approval?.checks.map((c) => ({ kind: c.kind, lineId: c.lineId, itemId: c.itemId })) }, 'sale: checks approved');
    if (this.mode === 'kiosk') this.help = null;
    this.bump();
    return this.publish();
  }

  // ---- kiosk card payment and receipt ----

  /**
   * Asks the card terminal for what is due. The answer arrives later (the customer is at the terminal), as a
   * published view: approved, the sale is committed with the terminal's reference; declined, the basket stays.
   * While the terminal is busy nothing may change the basket or cancel it, so an idle timeout cannot lose a
   * sale the card already paid.
   */
  payByCard(): SaleView {
    const terminal = this.options.cardTerminal;
    if (!terminal) throw new TillError('CONFLICT', 'This till has no card terminal: the customer pays at staff.');
    if (this.basket.items.length === 0) throw new TillError('CONFLICT', 'The basket is empty: there is nothing to pay for.');
    this.assertNoCardPayment();
    assertUnlocked(this.checks, this.mode);
    const view = this.view();
    if (view.remaining <= 0) throw new TillError('CONFLICT', 'Nothing is left to pay.');
    const amount = minor(view.remaining);
    this.paymentSeq += 1;
    const reference = `${this.options.till.posId}-${this.options.clock.now().getTime()}-${this.paymentSeq}`;
    this.payment = { state: 'waiting', amount, reference };
    this.options.logger().info({ reference, amountMinor: amount, terminal: terminal.id }, 'kiosk: card payment started');
    terminal.pay({ amount, currency: this.options.till.currency, reference }).then(
      (result) => this.finishCardPayment(reference, result),
      (err: unknown) => this.finishCardPayment(reference, { outcome: 'error', reason: err instanceof Error ? err.message : String(err) }),
    );
    this.bump();
    return this.publish();
  }

  /** The kiosk customer's answer to "receipt?": print it through the spool, or not. */
  chooseReceipt(print: boolean): SaleView {
    const offer = this.receiptOffer;
    if (!offer) throw new TillError('CONFLICT', 'No receipt is waiting for a choice.');
    if (print) {
      const { created } = printReceiptOf(this.options.db(), offer.receiptId, this.options.clock.now());
      if (created) this.options.onDidQueuePrint?.();
    }
    this.options.logger().info({ receiptId: offer.receiptId, print }, 'kiosk: receipt choice');
    this.receiptOffer = null;
    this.bump();
    return this.publish();
  }

  private finishCardPayment(reference: string, result: CardPaymentResult | { outcome: 'error'; reason: string }): void {
    const payment = this.payment;
    if (payment?.reference !== reference || payment.state !== 'waiting') {
      this.options.logger().warn({ reference, outcome: result.outcome }, 'kiosk: an answer from the card terminal for no waiting payment was ignored');
      return;
    }
    const log = this.options.logger();
    if (result.outcome === 'declined') {
      log.info({ reference }, 'kiosk: card payment declined');
      this.payment = { ...payment, state: 'declined', reason: result.reason };
    } else if (result.outcome === 'error') {
      // The terminal failed to answer: the card may or may not be charged, so staff must look before anything else.
      log.error({ reference, reason: result.reason }, 'kiosk: the card terminal failed');
      this.payment = { ...payment, state: 'error', reason: `The card terminal did not answer (${result.reason}). Staff must check the terminal.` };
      this.help ??= { requestedAt: this.options.clock.now().toISOString() };
    } else {
      // Charged: keep the tender before committing, so a refused commit leaves the payment on record.
      this.tenders = [...this.tenders, { tender: { kind: 'card', amount: minor(payment.amount), terminalRef: result.terminalRef } }];
      this.payment = null;
      try {
        this.commit(this.tenders);
        return;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log.error({ err, reference, terminalRef: result.terminalRef }, 'kiosk: the card was charged but the sale could not be committed');
        this.payment = { ...payment, state: 'error', reason: `The card was charged (${result.terminalRef}) but the sale was not saved: ${message} Staff must finish it.` };
        this.help ??= { requestedAt: this.options.clock.now().toISOString() };
      }
    }
    this.bump();
    this.publish();
  }

  private assertNoCardPayment(): void {
    if (this.payment?.state === 'waiting') throw new TillError('CONFLICT', 'A card payment is in progress on the terminal: wait for its answer.');
    if (this.payment?.state === 'error') throw new TillError('CONFLICT', `${this.payment.reason ?? 'A card payment needs staff.'} (Staff: clear the tenders once the terminal is checked.)`);
  }

  // ---- business day and shift ----

  openBusinessDay(): ShiftView {
    openBusinessDay(this.options.db(), this.options.clock.now());
    return this.shiftChanged();
  }

  closeBusinessDay(): ShiftView {
    closeBusinessDay(this.options.db(), this.options.clock.now());
    return this.shiftChanged();
  }

  openShift(operatorId: string, openingFloat: number | undefined): ShiftView {
    openShift(this.options.db(), operatorId, minor(openingFloat ?? 0), this.options.clock.now());
    return this.shiftChanged();
  }

  closeShift(countedCash: number | undefined): ShiftSummary {
    const summary = closeShift(this.options.db(), countedCash === undefined ? null : minor(countedCash), this.options.clock.now());
    this.shiftChanged();
    return summary;
  }

  // ---- internals ----

  private shiftChanged(): ShiftView {
    this.bump();
    return this.publish().shift;
  }

  /** Demo tills get their catalog, day and shift the first time the database is there. */
  private ensureReady(): void {
    if (!this.loaded) this.restore();
    const demo = this.options.demo;
    if (this.readyChecked || !demo) return;
    const db = this.options.db();
    this.readyChecked = true;
    const now = this.options.clock.now();
    demo.seedCatalog(db, now);
    if (currentShift(db)) return;
    if (!currentBusinessDay(db)) openBusinessDay(db, now);
    openShift(db, demo.operatorId, ZERO, now);
    this.options.logger().info({ operatorId: demo.operatorId }, 'demo till: opened a business day and a shift');
  }

  private price(at: Date = this.options.clock.now()): Priced {
    if (this.priced) return this.priced;
    let rules: PricingRules;
    try {
      rules = this.rulesSource.rules(this.options.db());
    } catch (err) {
      // An unreadable cache must not stop the till: sell at list prices and say so in the log.
      this.options.logger().error({ err }, 'the discount rule cache could not be read; pricing without discounts');
      rules = { version: NO_RULES_VERSION, index: buildIndex([]) };
    }
    const state = this.basket.customerId === undefined || this.basket.items.length === 0 || rules.index.all.length === 0 ? undefined : this.usageOf(this.basket.customerId);
    const context = { receiptId: 'draft', purchaseAt: at.toISOString(), storeId: this.options.till.branchId, currency: this.options.till.currency };
    this.priced = { ...priceBasket(this.basket, context, rules.index, { state }), ruleSetVersion: rules.version };
    return this.priced;
  }

  /** The customer's discount uses committed at this till, read again only when the ledger has changed. */
  private usageOf(customerId: string): CustomerState | undefined {
    const db = this.options.db();
    try {
      const version = ledgerVersion(db);
      const cached = this.usage;
      if (cached?.customerId === customerId && cached.version === version) return cached.state;
      const state = localDiscountUsage(db, customerId);
      this.usage = { customerId, version, state };
      return state;
    } catch (err) {
      // Without the count the back end still refuses a used-up claim; the sale itself must not stop.
      this.options.logger().error({ err }, "the customer's earlier discount uses could not be read; pricing without them");
      return undefined;
    }
  }

  private change(next: () => Basket, notice?: Omit<SaleNotice, 'seq' | 'level'>, added?: CatalogItem, removedLine?: number): SaleView {
    this.assertNoCardPayment();
    // Computed before anything is assigned: a refused change leaves the basket exactly as it was.
    const basket = next();
    let checks = this.checks;
    const line = basket.items.at(-1);
    if (added && line) checks = requireChecks(checks, this.mode, added, line);
    if (removedLine !== undefined) checks = dropLineChecks(checks, removedLine);
    if (basket.items.length === 0) checks = NO_CHECKS;
    // A kiosk basket that locks calls staff by itself: the customer cannot go on without them.
    if (this.mode === 'kiosk' && checks.pending.length > this.checks.pending.length) this.help ??= { requestedAt: this.options.clock.now().toISOString() };
    // The next customer's first scan answers the last one's receipt question (they left without choosing).
    if (basket.items.length > 0) this.receiptOffer = null;
    // A declined card payment is history once the basket changes.
    if (this.payment?.state === 'declined') this.payment = null;
    this.basket = basket;
    this.checks = checks;
    this.priced = undefined;
    if (notice) this.notice = { seq: ++this.noticeSeq, level: 'info', ...notice };
    this.bump();
    return this.publish();
  }

  private fail(notice: Omit<SaleNotice, 'seq' | 'level'>): ScanOutcome {
    this.notice = { seq: ++this.noticeSeq, level: 'error', ...notice };
    this.bump();
    return this.outcome(false, this.publish());
  }

  private outcome(ok: boolean, sale: SaleView): ScanOutcome {
    return { ok, notice: sale.notice ?? { seq: this.noticeSeq, level: 'info', code: 'added', subject: '' }, sale };
  }

  private bump(): void {
    this.revision += 1;
    this.persist();
  }

  /** The open basket as it is now, on disk: one small upsert, synchronous, on every change. */
  private persist(): void {
    if (!this.loaded) return;
    const snapshot: OpenBasketSnapshot = {
      v: 1,
      basket: this.basket,
      tenders: this.tenders,
      ...(this.customer ? { customer: this.customer } : {}),
      checks: this.checks,
      revision: this.revision,
      noticeSeq: this.noticeSeq,
      suspendSeq: this.suspendSeq,
    };
    putOpenBasket(this.options.db(), JSON.stringify(snapshot), this.options.clock.now());
  }

  /** Reads back the baskets an earlier run left (the first call after a start). A body that does not parse is set aside. */
  private restore(): void {
    const db = this.options.db();
    const log = this.options.logger();
    const suspended: Suspended[] = [];
    for (const row of storedBaskets(db)) {
      try {
        if (row.slot === OPEN_SLOT) {
          const open = parseOpenBasket(row.bodyJson);
          this.basket = open.basket;
          this.tenders = [...open.tenders];
          this.customer = open.customer;
          this.checks = open.checks;
          this.revision = Math.max(this.revision, open.revision);
          this.noticeSeq = Math.max(this.noticeSeq, open.noticeSeq);
          this.suspendSeq = Math.max(this.suspendSeq, open.suspendSeq);
        } else {
          const parked = parseSuspendedBasket(row.bodyJson);
          suspended.push(parked);
          this.suspendSeq = Math.max(this.suspendSeq, row.position);
        }
      } catch (err) {
        log.error({ err, slot: row.slot, updatedAt: row.updatedAt }, 'a stored basket could not be read back; it is set aside, not loaded');
        setBasketAside(db, row.slot, this.options.clock.now());
      }
    }
    this.suspended = suspended;
    this.priced = undefined;
    this.loaded = true;
    if (this.basket.items.length > 0 || suspended.length > 0) {
      log.info({ lines: this.basket.items.length, tenders: this.tenders.length, suspended: suspended.length }, 'restored the baskets of the previous run');
    }
  }

  private publish(): SaleView {
    const view = this.view();
    this.options.onDidChange(view);
    return view;
  }
}

function balanceView(b: KnownBalance): BalanceView {
  return { amount: b.amount, asOf: new Date(b.fetchedAt).toISOString(), source: b.source };
}

function tenderView(h: HeldTender): SaleView['tenders'][number] {
  const t = h.tender;
  const balance = h.balance ? { balance: balanceView(h.balance) } : {};
  switch (t.kind) {
    case 'cash':
      return { kind: 'cash', amount: t.amount };
    case 'card':
      return { kind: 'card', amount: t.amount, reference: t.terminalRef };
    case 'gift_card':
      return { kind: 'gift_card', amount: t.amount, reference: maskId(t.cardToken), offline: t.offline === true, ...balance };
    case 'loyalty':
      return { kind: 'points', amount: t.amount, offline: t.offline === true, ...balance };
    default:
      return assertNever(t);
  }
}

/** The customer as a notice names them: the name, else the masked membership number or id. */
function customerLabel(c: CustomerInfo): string {
  return c.name ?? maskId(c.memberNumber ?? c.memberId ?? c.customerId ?? '');
}
