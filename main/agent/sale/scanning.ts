import type { ItemView, SaleNotice, SaleView } from '../../api/contract';
import type { CatalogItem } from '../../core/catalog';
import { because } from '../../core/error-reasons';
import { TillError } from '../../core/errors';
import type { Minor } from '../../core/money';
import { addToBasket, type LineInput, removeLine, setLineQuantity } from '../../core/sale';
import { looksLikeMemberCode } from '../../core/sale/member-code';
import type { ScanEvent } from '../../devices/scanners/scan-stream';
import { getCatalogItem, lookupByCode } from '../../store/catalog';
import type { CustomerLookup } from './customer-lookup';
import { failureOf } from './failure-notice';
import type { ScanOutcome } from './sale-options';
import type { SaleSession } from './sale-session';
import { itemView } from './sale-view';

type ScanResult = ScanEvent['result'];

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
 * Scans and lines: a scan from the device manager or the screen resolves to a catalog item (or, for a member's
 * own code, to the customer lookup) and adds a line; the cashier changes quantities and voids lines; price checks
 * and item searches read the catalog without touching the basket.
 */
export class Scanning {
  private readonly outcomes = new WeakMap<ScanEvent, ScanOutcome>();

  constructor(
    private readonly session: SaleSession,
    private readonly customers: CustomerLookup,
  ) {}

  /** Subscribe this to the device manager's scans; the outcome is kept for the caller that pushed the scan. */
  acceptScan(event: ScanEvent): ScanOutcome {
    const known = this.outcomes.get(event);
    if (known) return known;
    // A member's own code identifies the member; it is never looked up as an item.
    const outcome = looksLikeMemberCode(event.raw) ? this.customers.scanMember(event) : this.scan(event.result, event.raw);
    this.outcomes.set(event, outcome);
    return outcome;
  }

  outcomeOf(event: ScanEvent): ScanOutcome | undefined {
    return this.outcomes.get(event);
  }

  private scan(result: ScanResult, raw: string): ScanOutcome {
    const session = this.session;
    try {
      session.ensureReady();
      const lookup = lookupOf(result);
      const db = session.db();
      let item: CatalogItem | undefined;
      for (const code of lookup.codes) {
        item = lookupByCode(db, code);
        if (item) break;
      }
      if (!item) {
        if (lookup.error) return session.fail({ code: 'bad-barcode', subject: raw, scanError: lookup.error.code });
        return session.fail({ code: 'unknown-item', subject: raw });
      }
      const { grams, price } = lookup;
      if (item.unit === 'weight' && grams === undefined && price === undefined) {
        return session.fail({ code: 'weight-required', subject: item.name });
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
      return session.outcome(true, session.change(() => addToBasket(session.state.basket, input), { code: 'added', subject: name }, item));
    } catch (err) {
      return session.fail({ code: 'failed', subject: raw, ...failureOf(err) });
    }
  }

  addItem(itemId: string, quantity: number | undefined, grams: number | undefined): SaleView {
    const session = this.session;
    session.ensureReady();
    const item = getCatalogItem(session.db(), itemId);
    if (!item) throw new TillError('NOT_FOUND', `There is no item ${itemId} in the catalog.`, because('item.not-in-catalog', { item: itemId }));
    if (item.unit === 'weight' && grams === undefined) throw new TillError('SCHEMA_INVALID', `${item.name} is sold by weight: give its weight in grams.`, because('item.sold-by-weight', { item: item.name }));
    const input = { item, ...(quantity !== undefined ? { quantity } : {}), ...(grams !== undefined ? { grams } : {}) };
    return session.change(() => addToBasket(session.state.basket, input), { code: 'added', subject: item.name }, item);
  }

  setQuantity(lineId: number, quantity: number): SaleView {
    const session = this.session;
    session.ensureReady();
    const change = (): SaleView => session.change(() => setLineQuantity(session.state.basket, lineId, quantity));
    const line = session.state.basket.items.find((l) => l.line_id === lineId);
    if (!line || quantity >= line.quantity) return change();
    // Fewer of a line already rung up is a correction the X and Z reports count (kassasystemforskrifta § 2-8-2).
    const removed = Math.round((line.gross_amount * (line.quantity - quantity)) / line.quantity);
    return session.journaled('line_reduced', { text: `${line.id} ${line.quantity} -> ${quantity}`, amountMinor: removed }, change);
  }

  voidLine(lineId: number): SaleView {
    const session = this.session;
    session.ensureReady();
    const change = (): SaleView => session.change(() => removeLine(session.state.basket, lineId), undefined, undefined, lineId);
    const line = session.state.basket.items.find((l) => l.line_id === lineId);
    if (!line) return change();
    return session.journaled('line_deleted', { text: `${line.id} ${line.description}`, amountMinor: line.gross_amount }, change);
  }

  priceCheck(code: string): { item: ItemView | null; notice: SaleNotice | null } {
    const session = this.session;
    session.ensureReady();
    const item = lookupByCode(session.db(), code);
    // Every price look-up is journaled (13022): the item and the price shown.
    if (item) return session.journaled('price_lookup', { text: `${item.id} ${item.unitPrice}`, amountMinor: item.unitPrice }, () => ({ item: itemView(item), notice: null }));
    return { item: null, notice: { seq: session.state.noticeSeq, level: 'error', code: 'unknown-item', subject: code } };
  }

  searchItems(query: string, limit: number): ItemView[] {
    const session = this.session;
    session.ensureReady();
    const db = session.db();
    const byCode = lookupByCode(db, query);
    const search = session.options.searchByName;
    const byName = search ? search(db, query, limit) : [];
    const seen = new Set<string>();
    const out: ItemView[] = [];
    for (const item of byCode ? [byCode, ...byName] : byName) {
      if (seen.has(item.id) || out.length >= limit) continue;
      seen.add(item.id);
      out.push(itemView(item));
    }
    return out;
  }
}
