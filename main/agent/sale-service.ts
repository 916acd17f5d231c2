import type { GiftCardCheck, IdentifyCustomerInput, ItemView, ReceiptDocumentView, SaleNotice, SaleView, ShiftView, TenderInput } from '../api/contract';
import type { ScanEvent } from '../devices/scanners/scan-stream';
import type { ShiftSummary } from '../store/ledger';
import { BusinessDay } from './sale/business-day';
import { CustomerLookup } from './sale/customer-lookup';
import { KioskPayment } from './sale/kiosk-payment';
import { printProvisional } from './sale/provisional-receipt';
import { reprintLast } from './sale/sale-commit';
import type { SaleServiceOptions, ScanOutcome, TenderOutcome } from './sale/sale-options';
import { SaleSession } from './sale/sale-session';
import { Scanning } from './sale/scanning';
import { Tenders } from './sale/tenders';
import { WholeBaskets } from './sale/whole-baskets';

export type { SaleServiceOptions, ScanOutcome, TenderOutcome } from './sale/sale-options';

/**
 * The sale being rung up at this till, held by the agent rather than the page: a reloaded or crashed screen
 * asks for it again and carries on. Every change re-prices the basket against the cached discount rules
 * and publishes the new view. Scans from the device manager and from the screen take the same path.
 *
 * This is the face the API handlers use; the work is done by the modules in ./sale/, one per reason to change:
 * scanning and lines, customer lookup, tenders, the kiosk's card payment, whole baskets (cancel, suspend,
 * resume), the business day and shift, on a shared SaleSession (state, pricing, persistence, the view).
 * The open basket and the suspended ones are written to SQLite after every change (migration 0120) and read
 * back on the first call after a start.
 */
export class SaleService {
  private readonly session: SaleSession;
  private readonly scanning: Scanning;
  private readonly customers: CustomerLookup;
  private readonly tenders: Tenders;
  private readonly kiosk: KioskPayment;
  private readonly baskets: WholeBaskets;
  private readonly day: BusinessDay;

  constructor(options: SaleServiceOptions) {
    this.session = new SaleSession(options);
    this.customers = new CustomerLookup(this.session);
    this.scanning = new Scanning(this.session, this.customers);
    this.tenders = new Tenders(this.session);
    this.kiosk = new KioskPayment(this.session);
    this.baskets = new WholeBaskets(this.session);
    this.day = new BusinessDay(this.session);
  }

  // ---- reading ----

  view(): SaleView {
    return this.session.view();
  }

  shiftView(): ShiftView {
    return this.session.shiftView();
  }

  // ---- scanning and lines ----

  /** Subscribe this to the device manager's scans; the outcome is kept for the caller that pushed the scan. */
  acceptScan(event: ScanEvent): ScanOutcome {
    return this.scanning.acceptScan(event);
  }

  outcomeOf(event: ScanEvent): ScanOutcome | undefined {
    return this.scanning.outcomeOf(event);
  }

  /** For a scan pushed by the screen: the final outcome once a member code has been looked up. */
  settledOutcomeOf(event: ScanEvent): Promise<ScanOutcome> | undefined {
    return this.customers.settledOutcomeOf(event);
  }

  addItem(itemId: string, quantity: number | undefined, grams: number | undefined): SaleView {
    return this.scanning.addItem(itemId, quantity, grams);
  }

  setQuantity(lineId: number, quantity: number): SaleView {
    return this.scanning.setQuantity(lineId, quantity);
  }

  voidLine(lineId: number): SaleView {
    return this.scanning.voidLine(lineId);
  }

  priceCheck(code: string): { item: ItemView | null; notice: SaleNotice | null } {
    return this.scanning.priceCheck(code);
  }

  searchItems(query: string, limit: number): ItemView[] {
    return this.scanning.searchItems(query, limit);
  }

  // ---- customer ----

  identifyCustomer(input: IdentifyCustomerInput): Promise<SaleView> {
    return this.customers.identifyCustomer(input);
  }

  // ---- tenders and commit ----

  addTender(input: TenderInput): Promise<TenderOutcome> {
    return this.tenders.addTender(input);
  }

  clearTenders(): SaleView {
    return this.tenders.clearTenders();
  }

  checkGiftCard(cardNumber: string, pin?: string): Promise<GiftCardCheck> {
    return this.tenders.checkGiftCard(cardNumber, pin);
  }

  reprint(): ReceiptDocumentView {
    return reprintLast(this.session);
  }

  /** A provisional receipt of the open basket, journaled and queued on the printer (docs/fiscal-no.md). */
  provisional(): { readonly receipt: ReceiptDocumentView; readonly printJobId: number } {
    return printProvisional(this.session);
  }

  // ---- whole baskets ----

  cancel(): SaleView {
    return this.baskets.cancel();
  }

  suspend(): SaleView {
    return this.baskets.suspend();
  }

  resume(id: string): SaleView {
    return this.baskets.resume(id);
  }

  // ---- kiosk, checks and card payment ----

  requestHelp(): SaleView {
    return this.kiosk.requestHelp();
  }

  clearHelp(): SaleView {
    return this.kiosk.clearHelp();
  }

  approve(operatorId: string): SaleView {
    return this.kiosk.approve(operatorId);
  }

  payByCard(): SaleView {
    return this.kiosk.payByCard();
  }

  chooseReceipt(print: boolean): SaleView {
    return this.kiosk.chooseReceipt(print);
  }

  // ---- business day and shift ----

  openBusinessDay(): ShiftView {
    return this.day.openBusinessDay();
  }

  closeBusinessDay(): ShiftView {
    return this.day.closeBusinessDay();
  }

  openShift(operatorId: string, openingFloat: number | undefined): ShiftView {
    return this.day.openShift(operatorId, openingFloat);
  }

  closeShift(countedCash: number | undefined): ShiftSummary {
    return this.day.closeShift(countedCash);
  }
}
