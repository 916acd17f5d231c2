import { because } from '../core/error-reasons';
import { TillError } from '../core/errors';
import { computeDayReport, type DayReport, type DayReportDay, type DayReportKind } from '../core/reports';
import type { SaleEntry } from '../core/sale';
import type { WritableDb } from '../store';
import { closedDays, dayEntries, getBusinessDay, openDay, trainingReceiptIds, zReportOnce } from '../store/day-reports';
import { fiscalEventTotals, recordFiscalEvent } from '../store/fiscal-events';
import { listWriteOffs } from '../store/outbox';
import { dayCash } from '../store/shift-cash';
import type { ReadableDb } from '../store';

export type ReportTill = { readonly branchId: string; readonly posId: string; readonly currency: string };

export function buildDayReport(kind: DayReportKind, till: ReportTill, day: DayReportDay, entries: readonly SaleEntry[], now: Date, db?: ReadableDb): DayReport {
  // With the database: training sales counted apart and the day's fiscal events counted (docs/fiscal-no.md).
  const fiscal = db === undefined ? {} : { trainingReceiptIds: trainingReceiptIds(db, day.id), eventTotals: fiscalEventTotals(db, day.id), cash: dayCash(db, day.id) };
  // Write-offs are counted on the day the manager made them (docs/sync.md, "Manager actions").
  const writeOffs = db === undefined ? {} : { writeOffs: listWriteOffs(db, Date.parse(day.openedAt), day.closedAt === null ? now.getTime() + 1 : Date.parse(day.closedAt) + 1) };
  return computeDayReport({ kind, day, entries, generatedAt: now.toISOString(), till, ...fiscal, ...writeOffs });
}

/**
 * The X report of the open day (or of the open day named), or the Z report of a closed day (the last closed one
 * when none is named). A Z report is made once and stored; this is the one place both the manager screen and
 * `till-agent report` get them from.
 */
export function dayReportFor(db: WritableDb, till: ReportTill, kind: DayReportKind, businessDayId: number | undefined, now: Date): DayReport {
  if (kind === 'X') {
    const day = businessDayId === undefined ? openDay(db) : getBusinessDay(db, businessDayId);
    if (!day) throw new TillError('CONFLICT', 'No business day is open: open one for an X report, or ask for the Z report of a closed day.', because('report.no-day', {}));
    if (day.closedAt !== null) throw new TillError('CONFLICT', `Business day ${day.businessDate} is closed: its report is the Z report.`, because('report.day-closed', { date: day.businessDate }));
    const report = buildDayReport('X', till, day, dayEntries(db, day.id), now, db);
    // Every X report run is journaled whole (the Tax Administration's FAQ on § 2-7: the report, not only its time).
    recordFiscalEvent(db, 'x_report', { businessDayId: day.id, report }, now);
    return report;
  }
  const id = businessDayId ?? closedDays(db, 1)[0]?.id;
  if (id === undefined) throw new TillError('NOT_FOUND', 'No business day has been closed yet, so there is no Z report.', because('report.no-z', {}));
  return zReportOnce(db, id, (day, entries) => buildDayReport('Z', till, day, entries, now, db), now);
}
