import { TillError } from '../core/errors';
import type { DayReport, DayReportDay } from '../core/reports';
import type { SaleEntry } from '../core/sale';
import type { ReadableDb, WritableDb } from './db-types';
import { recordFiscalEvent } from './fiscal-events';
import { prepared } from './statements';

/**
 * What the X and Z reports are computed from (main/core/reports): a business day and its ledger entries, and
 * the stored Z report of a closed day (migration 0110). SQL only; the arithmetic is in the core.
 */

type DayRow = { id: number; business_date: string; opened_at: string; closed_at: string | null };
const toDay = (r: DayRow): DayReportDay => ({ id: r.id, businessDate: r.business_date, openedAt: r.opened_at, closedAt: r.closed_at });

export function getBusinessDay(db: ReadableDb, id: number): DayReportDay | undefined {
  const row = prepared(db, 'SELECT id, business_date, opened_at, closed_at FROM business_days WHERE id = ?').get(id) as DayRow | undefined;
  return row ? toDay(row) : undefined;
}

export function openDay(db: ReadableDb): DayReportDay | undefined {
  const row = prepared(db, 'SELECT id, business_date, opened_at, closed_at FROM business_days WHERE closed_at IS NULL').get() as DayRow | undefined;
  return row ? toDay(row) : undefined;
}

/** The most recently closed business days, newest first. */
export function closedDays(db: ReadableDb, limit = 10): DayReportDay[] {
  return (prepared(db, 'SELECT id, business_date, opened_at, closed_at FROM business_days WHERE closed_at IS NOT NULL ORDER BY id DESC LIMIT ?').all(limit) as DayRow[]).map(toDay);
}

/** Every sale, void and refund of a business day, in sale-number order, as committed. */
export function dayEntries(db: ReadableDb, businessDayId: number): SaleEntry[] {
  return (prepared(db, 'SELECT document_json FROM sales WHERE business_day_id = ? ORDER BY sale_no').all(businessDayId) as { document_json: string }[]).map(
    (r) => JSON.parse(r.document_json) as SaleEntry,
  );
}

/** Receipt ids of a business day's training sales (migration 0191). */
export function trainingReceiptIds(db: ReadableDb, businessDayId: number): Set<string> {
  const rows = prepared(db, 'SELECT s.receipt_id FROM training_sales t JOIN sales s ON s.id = t.sale_id WHERE s.business_day_id = ?').all(businessDayId) as { receipt_id: string }[];
  return new Set(rows.map((r) => r.receipt_id));
}

export function getZReport(db: ReadableDb, businessDayId: number): DayReport | undefined {
  const row = prepared(db, 'SELECT report_json FROM z_reports WHERE business_day_id = ?').get(businessDayId) as { report_json: string } | undefined;
  return row ? (JSON.parse(row.report_json) as DayReport) : undefined;
}

/**
 * The Z report of a closed day, made once: the first call stores what `build` computes, every later call
 * returns the stored report unchanged. Runs in one immediate transaction, so two screens asking at once still
 * store one report.
 */
export function zReportOnce(db: WritableDb, businessDayId: number, build: (day: DayReportDay, entries: SaleEntry[]) => DayReport, now: Date): DayReport {
  return db.transaction(() => {
    const stored = getZReport(db, businessDayId);
    if (stored) return stored;
    const day = getBusinessDay(db, businessDayId);
    if (!day) throw new TillError('NOT_FOUND', `There is no business day ${businessDayId} on this till.`);
    if (day.closedAt === null) throw new TillError('CONFLICT', `Business day ${day.businessDate} is still open: close it to make its Z report.`);
    const report = build(day, dayEntries(db, businessDayId));
    prepared(db, 'INSERT INTO z_reports (business_day_id, report_json, created_at) VALUES (?, ?, ?)').run(businessDayId, JSON.stringify(report), now.toISOString());
    // Made once, journaled once, whole.
    recordFiscalEvent(db, 'z_report', { businessDayId, report }, now);
    return report;
  }).immediate();
}
