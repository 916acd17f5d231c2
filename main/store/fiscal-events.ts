import type { FiscalEventCode } from '../core/fiscal/saft-codes';
import type { ReadableDb, WritableDb } from './db-types';
import { appendJournal } from './journal';
import { prepared } from './statements';

/**
 * Records one fiscal event (docs/fiscal-no.md; codes in main/core/fiscal/saft-codes.ts) as a hash-chained
 * journal entry of kind `event`, indexed in `fiscal_events`. Call it inside the transaction that does what it
 * records, so the event and the deed are on disk together; it opens its own transaction when called outside one.
 */
export type FiscalEventDetail = {
  readonly operatorId?: string | undefined;
  /** The sale, void or refund the event belongs to (its receipt printed, the drawer opened for it). */
  readonly saleId?: number | undefined;
  /** A short text for the SAF-T `eventText`, e.g. the item and price looked up. No personal data. */
  readonly text?: string | undefined;
  /** The business day it counts for; the open one when not given (a Z report names the day it closes). */
  readonly businessDayId?: number | undefined;
  /** The amount the event is about (a deleted line, a cancelled sale, cash taken out), in minor units; reports sum it. */
  readonly amountMinor?: number | undefined;
  readonly [key: string]: unknown;
};

export function recordFiscalEvent(db: WritableDb, code: FiscalEventCode, detail: FiscalEventDetail = {}, now: Date = new Date()): number {
  const write = (): number => {
    const at = now.toISOString();
    const sale = detail.saleId === undefined ? undefined : (prepared(db, 'SELECT receipt_id, sale_no FROM sales WHERE id = ?').get(detail.saleId) as { receipt_id: string; sale_no: number } | undefined);
    const day = detail.businessDayId !== undefined ? { id: detail.businessDayId } : (prepared(db, 'SELECT id FROM business_days WHERE closed_at IS NULL').get() as { id: number } | undefined);
    const payload = { code, ...detail, ...(sale ? { receiptId: sale.receipt_id, saleNo: sale.sale_no } : {}) };
    // The journal's own sale_id column is for sale entries (it checks their document); the event names its sale in the payload.
    const { seq } = appendJournal(db, 'event', payload, at);
    prepared(db, 'INSERT INTO fiscal_events (journal_seq, code, at, sale_id, business_day_id) VALUES (?, ?, ?, ?, ?)').run(seq, code, at, detail.saleId ?? null, day?.id ?? null);
    return seq;
  };
  return db.inTransaction ? write() : db.transaction(write).immediate();
}

/** How many events of each code a business day has (the X and Z reports' counts). */
export function fiscalEventCounts(db: ReadableDb, businessDayId: number): Map<string, number> {
  const rows = prepared(db, 'SELECT code, count(*) AS n FROM fiscal_events WHERE business_day_id = ? GROUP BY code').all(businessDayId) as { code: string; n: number }[];
  return new Map(rows.map((r) => [r.code, r.n]));
}

export type EventTotal = { readonly count: number; readonly amount: number };

/**
 * Count and amount of each code in a business day (the X and Z reports'): the amount an event carries, or for an
 * event about a committed sale (a copy, a training receipt) that sale's net total.
 */
export function fiscalEventTotals(db: ReadableDb, businessDayId: number): Map<string, EventTotal> {
  const rows = prepared(
    db,
    `SELECT e.code, count(*) AS n,
            COALESCE(SUM(COALESCE(json_extract(j.payload_json, '$.amountMinor'), s.net_minor)), 0) AS amount
       FROM fiscal_events e JOIN journal j ON j.seq = e.journal_seq LEFT JOIN sales s ON s.id = e.sale_id
      WHERE e.business_day_id = ? GROUP BY e.code`,
  ).all(businessDayId) as { code: string; n: number; amount: number }[];
  return new Map(rows.map((r) => [r.code, { count: r.n, amount: r.amount }]));
}

/** Cash taken out of the drawer (code cash_withdrawal) since a time: the shift's expected cash leaves it out. */
export function cashWithdrawnSince(db: ReadableDb, since: string): number {
  const row = prepared(
    db,
    `SELECT COALESCE(SUM(json_extract(j.payload_json, '$.amountMinor')), 0) AS amount
       FROM fiscal_events e JOIN journal j ON j.seq = e.journal_seq WHERE e.code = 'cash_withdrawal' AND e.at >= ?`,
  ).get(since) as { amount: number };
  return row.amount;
}

/** How many times a code was recorded for one sale (receipts and copies printed). */
export function saleEventCount(db: ReadableDb, saleId: number, code: FiscalEventCode): number {
  return (prepared(db, 'SELECT count(*) AS n FROM fiscal_events WHERE sale_id = ? AND code = ?').get(saleId, code) as { n: number }).n;
}
