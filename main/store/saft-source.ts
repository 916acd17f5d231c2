import type { SaftLine } from '../core/fiscal/saft-xml';
import type { SaleEntry } from '../core/sale';
import type { ReadableDb } from './db-types';
import { prepared } from './statements';

/**
 * What the SAF-T export reads (SQL only; main/agent/saft-export.ts writes the file). Periods are half-open
 * UTC instants [from, to). Rows are iterated, never collected, so a year of sales streams through.
 */
export type PeriodBounds = { readonly fromIso: string; readonly toIso: string };

export type SaftSaleRow = {
  readonly id: number;
  readonly kind: SaleEntry['kind'];
  readonly saleNo: number;
  readonly receiptId: string;
  readonly refersToSaleNo: number | null;
  readonly operatorId: string;
  readonly currency: string;
  readonly netMinor: number;
  readonly vatMinor: number;
  readonly purchaseAt: string;
  readonly training: boolean;
  readonly document: SaleEntry;
  readonly signature: { readonly date: string; readonly time: string; readonly signature: string; readonly keyVersion: number } | null;
};

/** A SAF-T line as the database holds it; the article group is added from the catalog at export. */
export type SaftLineRow = Omit<SaftLine, 'groupId'>;

type SaleRow = {
  id: number;
  kind: SaleEntry['kind'];
  sale_no: number;
  receipt_id: string;
  refers_to_sale_no: number | null;
  operator_id: string;
  currency: string;
  net_minor: number;
  vat_minor: number;
  purchase_at: string;
  training: number;
  document_json: string;
  trans_date: string | null;
  trans_time: string | null;
  signature: string | null;
  key_version: number | null;
};

export function countPeriodSales(db: ReadableDb, p: PeriodBounds): number {
  return (prepared(db, 'SELECT count(*) AS n FROM sales WHERE purchase_at >= ? AND purchase_at < ?').get(p.fromIso, p.toIso) as { n: number }).n;
}

export function* periodSales(db: ReadableDb, p: PeriodBounds): Generator<SaftSaleRow> {
  // Its own statement (not the shared cache): the iterator stays open while other statements run.
  const rows = db
    .prepare(
      `SELECT s.id, s.kind, s.sale_no, s.receipt_id, o.sale_no AS refers_to_sale_no, s.operator_id, s.currency, s.net_minor, s.vat_minor, s.purchase_at,
              COALESCE(t.training, 0) AS training, s.document_json, f.trans_date, f.trans_time, f.signature, f.key_version
         FROM sales s
         LEFT JOIN sales o ON o.id = s.refers_to_sale_id
         LEFT JOIN fiscal_signatures f ON f.sale_id = s.id
         LEFT JOIN training_sales t ON t.sale_id = s.id
        WHERE s.purchase_at >= ? AND s.purchase_at < ? ORDER BY s.pos_id, s.id`,
    )
    .iterate(p.fromIso, p.toIso) as IterableIterator<SaleRow>;
  for (const r of rows) {
    yield {
      id: r.id,
      kind: r.kind,
      saleNo: r.sale_no,
      receiptId: r.receipt_id,
      refersToSaleNo: r.refers_to_sale_no,
      operatorId: r.operator_id,
      currency: r.currency,
      netMinor: r.net_minor,
      vatMinor: r.vat_minor,
      purchaseAt: r.purchase_at,
      training: r.training === 1,
      document: JSON.parse(r.document_json) as SaleEntry,
      signature:
        r.signature !== null && r.trans_date !== null && r.trans_time !== null && r.key_version !== null
          ? { date: r.trans_date, time: r.trans_time, signature: r.signature, keyVersion: r.key_version }
          : null,
    };
  }
}

export function saleLines(db: ReadableDb, saleId: number): SaftLineRow[] {
  return (
    prepared(db, 'SELECT line_id, item_id, description, quantity_milli, unit_price_minor, vat_rate_bp, net_minor, discount_minor FROM sale_lines WHERE sale_id = ? ORDER BY line_id').all(saleId) as {
      line_id: number;
      item_id: string;
      description: string;
      quantity_milli: number;
      unit_price_minor: number;
      vat_rate_bp: number;
      net_minor: number;
      discount_minor: number;
    }[]
  ).map((l) => ({
    lineId: l.line_id,
    itemId: l.item_id,
    description: l.description,
    quantityMilli: l.quantity_milli,
    unitPriceMinor: l.unit_price_minor,
    vatRateBp: l.vat_rate_bp,
    netMinor: l.net_minor,
    discountMinor: l.discount_minor,
  }));
}

/** Receipts, copies and provisional receipts recorded for each sale of the period, in one pass. */
export function receiptCounts(db: ReadableDb, p: PeriodBounds): Map<number, { receipts: number; copies: number; provisional: number }> {
  const out = new Map<number, { receipts: number; copies: number; provisional: number }>();
  const rows = prepared(
    db,
    `SELECT e.sale_id, e.code, count(*) AS n FROM fiscal_events e JOIN sales s ON s.id = e.sale_id
      WHERE s.purchase_at >= ? AND s.purchase_at < ? GROUP BY e.sale_id, e.code`,
  ).all(p.fromIso, p.toIso) as { sale_id: number; code: string; n: number }[];
  for (const r of rows) {
    const cur = out.get(r.sale_id) ?? { receipts: 0, copies: 0, provisional: 0 };
    if (r.code === 'sales_receipt' || r.code === 'return_receipt' || r.code === 'void_receipt' || r.code === 'training_receipt') cur.receipts += r.n;
    else if (r.code === 'copy_receipt') cur.copies += r.n;
    else if (r.code === 'provisional_receipt') cur.provisional += r.n;
    out.set(r.sale_id, cur);
  }
  return out;
}

/** The operators of the period's sales and events, with when each first appears (SAF-T `employees`). */
export function periodOperators(db: ReadableDb, p: PeriodBounds): { id: string; firstAt: string }[] {
  return (
    prepared(
      db,
      `SELECT id, MIN(at) AS first_at FROM (
         SELECT operator_id AS id, purchase_at AS at FROM sales WHERE purchase_at >= @from AND purchase_at < @to
         UNION ALL
         SELECT json_extract(j.payload_json, '$.operatorId') AS id, j.at FROM fiscal_events e JOIN journal j ON j.seq = e.journal_seq
          WHERE e.at >= @from AND e.at < @to
         UNION ALL
         SELECT json_extract(payload_json, '$.operatorId') AS id, at FROM journal WHERE kind IN ('shift_open', 'shift_close') AND at >= @from AND at < @to
       ) WHERE id IS NOT NULL AND id != '' GROUP BY id ORDER BY id`,
    ).all({ from: p.fromIso, to: p.toIso }) as { id: string; first_at: string }[]
  ).map((r) => ({ id: String(r.id), firstAt: r.first_at }));
}

/** The items sold in the period, with their catalog groups when the catalog still has them. */
export function* periodArticles(db: ReadableDb, p: PeriodBounds): Generator<{ itemId: string; description: string; firstAt: string; groupsJson: string | null }> {
  const rows = db
    .prepare(
      `SELECT l.item_id, MAX(l.description) AS description, MIN(s.purchase_at) AS first_at, c.groups_json
         FROM sale_lines l JOIN sales s ON s.id = l.sale_id LEFT JOIN catalog_items c ON c.item_id = l.item_id
        WHERE s.purchase_at >= ? AND s.purchase_at < ? GROUP BY l.item_id ORDER BY l.item_id`,
    )
    .iterate(p.fromIso, p.toIso) as IterableIterator<{ item_id: string; description: string; first_at: string; groups_json: string | null }>;
  for (const r of rows) yield { itemId: r.item_id, description: r.description, firstAt: r.first_at, groupsJson: r.groups_json };
}

/** Each item's first catalog group id (its article group), for the items of the period. */
export function periodItemGroups(db: ReadableDb, p: PeriodBounds): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const a of periodArticles(db, p)) out.set(a.itemId, firstGroupId(a.groupsJson));
  return out;
}

export function firstGroupId(groupsJson: string | null): string | null {
  if (groupsJson === null) return null;
  try {
    const groups = JSON.parse(groupsJson) as unknown;
    if (!Array.isArray(groups)) return null;
    const first = groups[0] as { id?: unknown } | string | undefined;
    if (typeof first === 'string') return first;
    return typeof first?.id === 'string' ? first.id : null;
  } catch {
    return null;
  }
}

export function periodVatRates(db: ReadableDb, p: PeriodBounds): { rateBp: number; firstAt: string }[] {
  return (
    prepared(
      db,
      'SELECT l.vat_rate_bp, MIN(s.purchase_at) AS first_at FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.purchase_at >= ? AND s.purchase_at < ? GROUP BY l.vat_rate_bp ORDER BY l.vat_rate_bp',
    ).all(p.fromIso, p.toIso) as { vat_rate_bp: number; first_at: string }[]
  ).map((r) => ({ rateBp: r.vat_rate_bp, firstAt: r.first_at }));
}

export type SaftEventRow = { readonly seq: number; readonly at: string; readonly kind: string; readonly payload: Record<string, unknown> };

/** The period's fiscal events and the day and shift entries of the journal, in journal order. */
export function* periodEvents(db: ReadableDb, p: PeriodBounds): Generator<SaftEventRow> {
  const rows = db
    .prepare(
      `SELECT seq, at, kind, payload_json FROM journal
        WHERE at >= ? AND at < ? AND kind IN ('event', 'day_open', 'day_close', 'shift_open', 'shift_close') ORDER BY seq`,
    )
    .iterate(p.fromIso, p.toIso) as IterableIterator<{ seq: number; at: string; kind: string; payload_json: string }>;
  for (const r of rows) yield { seq: r.seq, at: r.at, kind: r.kind, payload: JSON.parse(r.payload_json) as Record<string, unknown> };
}

/** The signature the period's first signed transaction chains to ("0" when it is the till's first). */
export function chainStartOf(db: ReadableDb, p: PeriodBounds): string | undefined {
  const row = prepared(
    db,
    'SELECT f.previous_signature FROM sales s JOIN fiscal_signatures f ON f.sale_id = s.id WHERE s.purchase_at >= ? AND s.purchase_at < ? ORDER BY s.pos_id, s.id LIMIT 1',
  ).get(p.fromIso, p.toIso) as { previous_signature: string } | undefined;
  return row?.previous_signature;
}
