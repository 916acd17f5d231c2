import { type Minor, minor } from '../core/money';
import type { DayCash } from '../core/reports';
import type { ReadableDb } from './db-types';
import { cashWithdrawnSince } from './fiscal-events';
import { prepared } from './statements';

/**
 * The cash a shift's drawer should hold: the opening float, plus cash taken on sales, minus cash paid back on
 * voids and refunds, minus cash withdrawn (fiscal event cash_withdrawal). The cash taken or paid back is the cash
 * tenders' applied amounts plus the entry's cash rounding (`sales.rounding_minor`, docs/ledger.md). Training sales move no real money and
 * are left out (docs/fiscal-no.md).
 */
export function expectedShiftCash(db: ReadableDb, shift: { readonly id: number; readonly openingFloat: number; readonly openedAt: string }): Minor {
  const cash = prepared(
    db,
    `SELECT COALESCE(SUM(CASE WHEN s.kind = 'sale' THEN t.applied_minor ELSE -t.applied_minor END), 0) AS cash
       FROM sale_tenders t JOIN sales s ON s.id = t.sale_id
      WHERE s.shift_id = ? AND t.kind = 'cash' AND NOT EXISTS (SELECT 1 FROM training_sales x WHERE x.sale_id = s.id)`,
  ).get(shift.id) as { cash: number };
  const rounding = prepared(
    db,
    `SELECT COALESCE(SUM(CASE WHEN s.kind = 'sale' THEN s.rounding_minor ELSE -s.rounding_minor END), 0) AS rounding
       FROM sales s WHERE s.shift_id = ? AND s.rounding_minor <> 0 AND NOT EXISTS (SELECT 1 FROM training_sales x WHERE x.sale_id = s.id)`,
  ).get(shift.id) as { rounding: number };
  return minor(shift.openingFloat + cash.cash + rounding.rounding - cashWithdrawnSince(db, shift.openedAt));
}

/** The open shift's expected cash now, or null when no shift is open. */
export function openShiftCash(db: ReadableDb): Minor | null {
  const shift = prepared(db, 'SELECT id, opening_float_minor, opened_at FROM shifts WHERE closed_at IS NULL').get() as
    | { id: number; opening_float_minor: number; opened_at: string }
    | undefined;
  return shift ? expectedShiftCash(db, { id: shift.id, openingFloat: shift.opening_float_minor, openedAt: shift.opened_at }) : null;
}


/**
 * A business day's cash over its shifts: expected (closed shifts as their close journaled it, the open one as it
 * stands), counted where the shifts were counted, and the difference (null while any shift is uncounted).
 */
export function dayCash(db: ReadableDb, businessDayId: number): DayCash {
  const shifts = prepared(
    db,
    `SELECT s.id, s.opening_float_minor, s.opened_at, s.closed_at, s.counted_cash_minor,
            (SELECT json_extract(j.payload_json, '$.expectedCashMinor') FROM journal j
              WHERE j.kind = 'shift_close' AND json_extract(j.payload_json, '$.shiftId') = s.id) AS expected_at_close
       FROM shifts s WHERE s.business_day_id = ? ORDER BY s.id`,
  ).all(businessDayId) as { id: number; opening_float_minor: number; opened_at: string; closed_at: string | null; counted_cash_minor: number | null; expected_at_close: number | null }[];
  let expected = 0;
  let counted = 0;
  let allCounted = shifts.length > 0;
  for (const s of shifts) {
    expected += s.expected_at_close ?? expectedShiftCash(db, { id: s.id, openingFloat: s.opening_float_minor, openedAt: s.opened_at });
    if (s.counted_cash_minor === null) allCounted = false;
    else counted += s.counted_cash_minor;
  }
  return { expected: minor(expected), counted: allCounted ? minor(counted) : null, difference: allCounted ? minor(counted - expected) : null };
}
