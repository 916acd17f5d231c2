import type { ReceiptDocumentView, SaleNotice, SaleView, ShiftView } from '../../api/contract';
import type { CatalogItem } from '../../core/catalog';
import { because } from '../../core/error-reasons';
import { TillError } from '../../core/errors';
import { type Basket, dropLineChecks, EMPTY_BASKET, mostPayable, NO_CHECKS, requireChecks, type SaleChecks, type TillMode, totalsOf } from '../../core/sale';
import type { CustomerInfo, HeldTender, OpenBasketSnapshot, SuspendedBasketSnapshot } from '../../core/sale/basket-snapshot';
import type { Logger } from '../../log';
import type { WritableDb } from '../../store';
import type { FiscalEventCode } from '../../core/fiscal/saft-codes';
import { type FiscalEventDetail, recordFiscalEvent } from '../../store/fiscal-events';
import { currentBusinessDay, currentShift } from '../../store/ledger';
import { BasketPricing, type Priced } from './basket-pricing';
import { readStoredBaskets, saveOpenBasket } from './basket-store';
import { prepareDemoTill } from './demo-till';
import type { SaleServiceOptions, ScanOutcome } from './sale-options';
import { type CardPayment, saleView } from './sale-view';

/** Everything the sale at this till is made of; the open part of it is written to disk after every change. */
export type SaleState = {
  basket: Basket;
  tenders: HeldTender[];
  customer: CustomerInfo | undefined;
  checks: SaleChecks;
  suspended: SuspendedBasketSnapshot[];
  lastReceipt: ReceiptDocumentView | null;
  notice: SaleNotice | null;
  help: { requestedAt: string } | null;
  payment: CardPayment | null;
  receiptOffer: { receiptId: string } | null;
  noticeSeq: number;
  revision: number;
  suspendSeq: number;
};

export type Notice = Omit<SaleNotice, 'seq' | 'level'>;

/**
 * The sale being rung up, shared by the modules that change it (scanning, customers, tenders, the kiosk's card
 * payment, whole baskets): the state, and the few steps every change goes through. A change is computed first
 * and assigned after, so a refused change leaves the sale exactly as it was; every change bumps the revision,
 * writes the open basket to disk and publishes the new view.
 */
export class SaleSession {
  readonly state: SaleState = {
    basket: EMPTY_BASKET,
    tenders: [],
    customer: undefined,
    checks: NO_CHECKS,
    suspended: [],
    lastReceipt: null,
    notice: null,
    help: null,
    payment: null,
    receiptOffer: null,
    noticeSeq: 0,
    revision: 0,
    suspendSeq: 0,
  };
  readonly mode: TillMode;
  private loaded = false;
  private readyChecked = false;
  private readonly pricing: BasketPricing;
  private readonly restoreHooks: (() => void)[] = [];

  constructor(readonly options: SaleServiceOptions) {
    this.mode = options.mode ?? 'cashier';
    this.pricing = new BasketPricing({ till: options.till, db: () => options.db(), logger: () => options.logger() });
  }

  db(): WritableDb {
    return this.options.db();
  }

  now(): Date {
    return this.options.clock.now();
  }

  logger(): Logger {
    return this.options.logger();
  }

  /** Runs once the previous run's baskets are read back (a kiosk then looks for a card payment it was waiting on). */
  onDidRestore(hook: () => void): void {
    this.restoreHooks.push(hook);
  }

  /** The baskets of the previous run are read back, and a demo till prepared, on the first call after a start. */
  ensureReady(): void {
    if (!this.loaded) this.restore();
    const demo = this.options.demo;
    if (this.readyChecked || !demo) return;
    const db = this.db();
    this.readyChecked = true;
    prepareDemoTill(demo, db, this.now(), this.logger());
  }

  view(): SaleView {
    this.ensureReady();
    const s = this.state;
    return saleView({ ...s, currency: this.options.till.currency, cashUnit: this.options.till.cashUnit ?? 1, cardTerminal: this.options.cardTerminal ? 'integrated' : 'external', mode: this.mode, priced: this.price(), shift: this.shiftView() });
  }

  shiftView(): ShiftView {
    const db = this.db();
    const day = currentBusinessDay(db);
    const shift = currentShift(db);
    return {
      businessDay: day ? { id: day.id, businessDate: day.businessDate } : null,
      shift: shift ? { id: shift.shiftId, operatorId: shift.operatorId, openedAt: shift.openedAt } : null,
    };
  }

  price(at: Date = this.now()): Priced {
    return this.pricing.price(this.state.basket, at);
  }

  /** The basket or the rules may have changed: price again on the next view. */
  repriced(): void {
    this.pricing.invalidate();
  }

  /**
   * Changes the basket. Computed before anything is assigned: a refused change leaves the basket exactly as
   * it was. The checks the new basket needs follow its lines.
   */
  change(next: () => Basket, notice?: Notice, added?: CatalogItem, removedLine?: number): SaleView {
    this.assertNoCardPayment();
    const s = this.state;
    const basket = next();
    this.assertTendersCovered(basket);
    let checks = s.checks;
    const line = basket.items.at(-1);
    if (added && line) checks = requireChecks(checks, this.mode, added, line);
    if (removedLine !== undefined) checks = dropLineChecks(checks, removedLine);
    if (basket.items.length === 0) checks = NO_CHECKS;
    // A kiosk basket that locks calls staff by itself: the customer cannot go on without them.
    if (this.mode === 'kiosk' && checks.pending.length > s.checks.pending.length) s.help ??= { requestedAt: this.now().toISOString() };
    // The next customer's first scan answers the last one's receipt question (they left without choosing).
    if (basket.items.length > 0) s.receiptOffer = null;
    // A declined card payment is history once the basket changes.
    if (s.payment?.state === 'declined') s.payment = null;
    s.basket = basket;
    s.checks = checks;
    this.repriced();
    if (notice) this.say('info', notice);
    this.bump();
    return this.publish();
  }

  /**
   * Tenders already taken never exceed what is due: a change that would make the sale cost less than what was
   * paid (a line voided, a quantity lowered, a member price) is refused until the tenders are cleared. Found by
   * the model-based test (test/integration/agent/sale-model.test.ts): scan, part-pay 1 in cash, void the line,
   * and the basket held a payment for an empty sale.
   */
  private assertTendersCovered(basket: Basket): void {
    const paid = this.state.tenders.reduce((total, t) => total + t.tender.amount, 0);
    if (paid === 0) return;
    this.pricing.invalidate();
    const net = totalsOf(this.pricing.price(basket, this.now()).receipt.items).net;
    this.pricing.invalidate();
    // With cash held, what the sale would cost is the cash part rounded to the cash unit (docs/ledger.md).
    const most = mostPayable(net, this.state.tenders.map((t) => t.tender), this.options.till.cashUnit ?? 1);
    if (most === undefined || most < paid) {
      throw new TillError('CONFLICT', 'Payments already taken come to more than the sale would cost after this change: clear the payments first, then change the basket.', because('basket.payments-exceed', {}));
    }
  }

  /**
   * Does `deed` and journals the fiscal event (docs/fiscal-no.md) in one transaction, so a refused change records
   * nothing and a recorded event always happened. The operator is the open shift's.
   */
  journaled<T>(code: FiscalEventCode, detail: FiscalEventDetail, deed: () => T): T {
    const db = this.db();
    return db.transaction(() => {
      const operatorId = currentShift(db)?.operatorId;
      recordFiscalEvent(db, code, { ...(operatorId ? { operatorId } : {}), ...detail }, this.now());
      return deed();
    }).immediate();
  }

  say(level: SaleNotice['level'], notice: Notice): void {
    this.state.notice = { seq: ++this.state.noticeSeq, level, ...notice };
  }

  fail(notice: Notice): ScanOutcome {
    this.say('error', notice);
    this.bump();
    return this.outcome(false, this.publish());
  }

  outcome(ok: boolean, sale: SaleView): ScanOutcome {
    return { ok, notice: sale.notice ?? { seq: this.state.noticeSeq, level: 'info', code: 'added', subject: '' }, sale };
  }

  assertNoCardPayment(): void {
    const payment = this.state.payment;
    if (payment?.state === 'waiting') throw new TillError('CONFLICT', 'A card payment is in progress on the terminal: wait for its answer.', because('card.in-progress', {}));
    if (payment?.state === 'error') throw new TillError('CONFLICT', `${payment.reason ?? 'A card payment needs staff.'} (Staff: clear the tenders once the terminal is checked.)`, because('card.needs-staff', {}));
  }

  /** A new revision of the sale, written to disk at once (the open basket; nothing before the restore). */
  bump(): void {
    this.state.revision += 1;
    if (!this.loaded) return;
    const s = this.state;
    const snapshot: OpenBasketSnapshot = {
      v: 1,
      basket: s.basket,
      tenders: s.tenders,
      ...(s.customer ? { customer: s.customer } : {}),
      checks: s.checks,
      revision: s.revision,
      noticeSeq: s.noticeSeq,
      suspendSeq: s.suspendSeq,
    };
    saveOpenBasket(this.db(), snapshot, this.now());
  }

  publish(): SaleView {
    const view = this.view();
    this.options.onDidChange(view);
    return view;
  }

  private restore(): void {
    const stored = readStoredBaskets(this.db(), this.logger(), this.now());
    const s = this.state;
    const open = stored.open;
    if (open) {
      s.basket = open.basket;
      s.tenders = [...open.tenders];
      s.customer = open.customer;
      s.checks = open.checks;
      s.revision = Math.max(s.revision, open.revision);
      s.noticeSeq = Math.max(s.noticeSeq, open.noticeSeq);
      s.suspendSeq = Math.max(s.suspendSeq, open.suspendSeq);
    }
    s.suspendSeq = Math.max(s.suspendSeq, stored.suspendSeq);
    s.suspended = [...stored.suspended];
    this.repriced();
    this.loaded = true;
    for (const hook of this.restoreHooks) hook();
    if (s.basket.items.length > 0 || s.suspended.length > 0) {
      this.logger().info({ lines: s.basket.items.length, tenders: s.tenders.length, suspended: s.suspended.length }, 'restored the baskets of the previous run');
    }
  }
}
