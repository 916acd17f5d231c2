import { balanceKeysFor } from './balance-keys';
import type { OfflineLimits } from '../core/sale/offline-limits';
import { type CardPaymentView, type ItemView, ReceiptDocumentSchema, type ReceiptDocumentView, type SaleLine, type SaleNotice, type SaleView, type ShiftView, type TenderInput } from '../api/contract';
import type { CatalogItem } from '../core/catalog';
import type { Clock } from '../core/clock';
import { buildIndex, evaluate, ReceiptSchema, type RuleOutcome } from '../core/discounts';
import { TillError } from '../core/errors';
import { type Minor, minor, sub, sum, ZERO } from '../core/money';
import {
  addToBasket,
  approveChecks,
  assertUnlocked,
  type Basket,
  basketReceipt,
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
  settleReceipt,
  type Tender,
  type TillMode,
  totalsOf,
} from '../core/sale';
import type { CardPaymentResult, CardTerminal } from '../devices/terminal/card-terminal';
import type { ScanEvent } from '../devices/scanners/scan-stream';
import type { Logger } from '../log';
import type { WritableDb } from '../store';
import { getCatalogItem, lookupByCode } from '../store/catalog';
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
};

type Priced = { readonly receipt: SaleReceipt; readonly outcomes: readonly RuleOutcome[]; readonly ruleSetVersion: string };

type Suspended = { readonly id: string; readonly suspendedAt: string; readonly basket: Basket; readonly tenders: readonly Tender[]; readonly checks: SaleChecks };

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
 * The basket lives in memory: an agent restart starts an empty basket (nothing was sold; the committed
 * ledger is what must survive, and it is on disk).
 */
export class SaleService {
  private basket: Basket = EMPTY_BASKET;
  private tenders: Tender[] = [];
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
  private readyChecked = false;
  private suspendSeq = 0;
  private readonly rulesSource: RulesSource;
  private readonly scanOutcomes = new WeakMap<ScanEvent, ScanOutcome>();

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
    const paid = sum(this.tenders.map((t) => t.amount));
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
      customer: this.basket.memberId || this.basket.customerId ? { ...(this.basket.memberId ? { memberId: this.basket.memberId } : {}), ...(this.basket.customerId ? { customerId: this.basket.customerId } : {}) } : null,
      totals: { gross: totals.gross, discount: totals.discount, net: totals.net, vatTotal: totals.vatTotal },
      tenders: this.tenders.map((t) => (t.kind === 'card' ? { kind: 'card', amount: t.amount, reference: t.terminalRef } : { kind: 'cash', amount: t.amount })),
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
    const outcome = this.scan(event.result, event.raw);
    this.scanOutcomes.set(event, outcome);
    return outcome;
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
    return this.change(() => setLineQuantity(this.basket, lineId, quantity));
  }

  voidLine(lineId: number): SaleView {
    return this.change(() => removeLine(this.basket, lineId), undefined, undefined, lineId);
  }

  identifyCustomer(ids: { memberId?: string | undefined; customerId?: string | undefined }): SaleView {
    return this.change(() => identifyCustomer(this.basket, { ...(ids.memberId ? { memberId: ids.memberId } : {}), ...(ids.customerId ? { customerId: ids.customerId } : {}) }));
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
   * receipt returned. An amount left out pays what is still due.
   */
  addTender(input: TenderInput): TenderOutcome {
    if (this.basket.items.length === 0) throw new TillError('CONFLICT', 'The basket is empty: there is nothing to pay for.');
    this.assertNoCardPayment();
    assertUnlocked(this.checks, this.mode);
    const view = this.view();
    if (view.remaining <= 0 && view.totals.net > 0) throw new TillError('CONFLICT', 'The sale is already paid.');
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
    }
    const tenders = [...this.tenders, tender];
    const paid = sum(tenders.map((t) => t.amount));
    if (paid < view.totals.net) {
      this.tenders = tenders;
      this.bump();
      return { committed: false, receipt: null, sale: this.publish() };
    }
    return this.commit(tenders);
  }

  clearTenders(): SaleView {
    if (this.payment?.state === 'waiting') throw new TillError('CONFLICT', 'A card payment is in progress on the terminal: wait for its answer.');
    // Staff clearing a charged-but-unsaved card payment have checked the terminal (docs/screens.md).
    this.payment = null;
    this.tenders = [];
    this.bump();
    return this.publish();
  }

  private commit(tenders: readonly Tender[]): TenderOutcome {
    const db = this.options.db();
    this.ensureReady();
    const now = this.options.clock.now();
    // Re-priced at the moment of sale: the rule set may have been refreshed since the last scan.
    this.priced = undefined;
    const priced = this.price(now);
    const result = commitSale(
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
    // Parsed with the contract: the same document the spool prints, as the screen will receive it.
    const receipt = ReceiptDocumentSchema.parse(receiptDocument(result.entry));
    this.options.logger().info({ receiptId: result.entry.receiptId, netMinor: result.entry.totals.net, lines: result.entry.receipt.items.length, ruleSetVersion: priced.ruleSetVersion }, 'sale committed');
    this.lastReceipt = receipt;
    this.receiptOffer = this.mode === 'kiosk' ? { receiptId: receipt.receiptId } : null;
    this.help = null;
    this.basket = EMPTY_BASKET;
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
    this.assertNoCardPayment();
    this.tenders = [];
    this.help = null;
    this.receiptOffer = null;
    return this.change(() => EMPTY_BASKET);
  }

  suspend(): SaleView {
    if (this.basket.items.length === 0) throw new TillError('CONFLICT', 'The basket is empty: there is nothing to suspend.');
    if (this.tenders.length > 0 || this.payment) throw new TillError('CONFLICT', 'Part of this sale is paid: finish or clear the tenders before suspending it.');
    this.suspendSeq += 1;
    this.suspended = [...this.suspended, { id: `S${this.suspendSeq}`, suspendedAt: this.options.clock.now().toISOString(), basket: this.basket, tenders: this.tenders, checks: this.checks }];
    this.basket = EMPTY_BASKET;
    this.checks = NO_CHECKS;
    this.tenders = [];
    this.notice = null;
    this.priced = undefined;
    this.bump();
    return this.publish();
  }

  resume(id: string): SaleView {
    const found = this.suspended.find((s) => s.id === id);
    if (!found) throw new TillError('NOT_FOUND', `There is no suspended basket ${id}.`);
    if (this.basket.items.length > 0) throw new TillError('CONFLICT', 'Finish or suspend the current basket before resuming another.');
    this.suspended = this.suspended.filter((s) => s.id !== id);
    this.basket = found.basket;
    this.checks = found.checks;
    this.tenders = [...found.tenders];
    this.notice = null;
    this.priced = undefined;
    this.bump();
    return this.publish();
  }

  // ---- kiosk ----

  /** The kiosk's help button: every screen of the till sees the flag until staff clear it or the sale ends. */
  requestHelp(): SaleView {
    this.help ??= { requestedAt: this.options.clock.now().toISOString() };
    this.options.logger().info({ requestedAt: this.help.requestedAt }, 'kiosk: a customer asked for staff');
    this.bump();
    return this.publish();
  }

  clearHelp(): SaleView {
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
      this.tenders = [...this.tenders, { kind: 'card', amount: minor(payment.amount), terminalRef: result.terminalRef }];
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
    const receipt = basketReceipt(this.basket, { receiptId: 'draft', purchaseAt: at.toISOString(), storeId: this.options.till.branchId, currency: this.options.till.currency });
    let rules: PricingRules;
    try {
      rules = this.rulesSource.rules(this.options.db());
    } catch (err) {
      // An unreadable cache must not stop the till: sell at list prices and say so in the log.
      this.options.logger().error({ err }, 'the discount rule cache could not be read; pricing without discounts');
      rules = { version: NO_RULES_VERSION, index: buildIndex([]) };
    }
    if (receipt.items.length === 0 || rules.index.all.length === 0) {
      this.priced = { receipt, outcomes: [], ruleSetVersion: rules.version };
      return this.priced;
    }
    const result = evaluate(ReceiptSchema.parse(receipt), rules.index);
    // The engine adds discount lines to the same receipt shape; the till recomputes nets and totals itself.
    const discounted = settleReceipt(result.receipt as unknown as SaleReceipt);
    this.priced = { receipt: discounted, outcomes: result.outcomes, ruleSetVersion: rules.version };
    return this.priced;
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
  }

  private publish(): SaleView {
    const view = this.view();
    this.options.onDidChange(view);
    return view;
  }
}
