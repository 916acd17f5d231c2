import { because } from '../core/error-reasons';
import { TillError } from '../core/errors';
import { type Minor, minor } from '../core/money';
import type { ReadableDb, WritableDb } from './db-types';
import { recordFiscalEvent } from './fiscal-events';
import { appendJournal } from './journal';
import { expectedShiftCash } from './shift-cash';
import { translateSqliteError } from './sqlite-errors';
import { prepared } from './statements';

/**
 * Business days and the cashiers' shifts on them (the ledger's frame: every sale belongs to the open shift of the
 * open day). Each change is one immediate transaction with its journal entry.
 */

export type OpenShift = { readonly businessDayId: number; readonly businessDate: string; readonly shiftId: number; readonly operatorId: string; readonly openedAt: string };

function fail(err: unknown, db: ReadableDb): never {
  throw translateSqliteError(err, db.name);
}

export function openBusinessDay(db: WritableDb, now: Date, businessDate = now.toISOString().slice(0, 10)): number {
  try {
    return db.transaction(() => {
      const open = prepared(db, 'SELECT id, business_date FROM business_days WHERE closed_at IS NULL').get() as { id: number; business_date: string } | undefined;
      if (open) throw new TillError('CONFLICT', `Business day ${open.business_date} is still open; close it first.`, because('day.still-open', { date: open.business_date }));
      const at = now.toISOString();
      const id = Number(prepared(db, 'INSERT INTO business_days (business_date, opened_at) VALUES (?, ?)').run(businessDate, at).lastInsertRowid);
      appendJournal(db, 'day_open', { businessDayId: id, businessDate }, at);
      return id;
    }).immediate();
  } catch (err) {
    return fail(err, db);
  }
}

export function closeBusinessDay(db: WritableDb, now: Date): number {
  try {
    return db.transaction(() => {
      const open = prepared(db, 'SELECT id, business_date FROM business_days WHERE closed_at IS NULL').get() as { id: number; business_date: string } | undefined;
      if (!open) throw new TillError('CONFLICT', 'No business day is open.', because('day.none-open', {}));
      if (prepared(db, 'SELECT 1 FROM shifts WHERE closed_at IS NULL').get()) throw new TillError('CONFLICT', 'A shift is still open; close it before the business day.', because('day.shift-open', {}));
      const at = now.toISOString();
      prepared(db, 'UPDATE business_days SET closed_at = ? WHERE id = ?').run(at, open.id);
      const totals = prepared(db, 'SELECT count(*) AS n, COALESCE(SUM(net_minor), 0) AS net FROM sales WHERE business_day_id = ?').get(open.id) as { n: number; net: number };
      appendJournal(db, 'day_close', { businessDayId: open.id, businessDate: open.business_date, entries: totals.n, netMinor: totals.net }, at);
      return open.id;
    }).immediate();
  } catch (err) {
    return fail(err, db);
  }
}

export function openShift(db: WritableDb, operatorId: string, openingFloat: Minor, now: Date): number {
  if (operatorId.trim() === '') throw new TillError('SCHEMA_INVALID', 'A shift needs an operator.', because('shift.operator-missing', {}));
  try {
    return db.transaction(() => {
      const day = prepared(db, 'SELECT id FROM business_days WHERE closed_at IS NULL').get() as { id: number } | undefined;
      if (!day) throw new TillError('CONFLICT', 'No business day is open; open one before the shift.', because('shift.no-day', {}));
      const shift = prepared(db, 'SELECT operator_id FROM shifts WHERE closed_at IS NULL').get() as { operator_id: string } | undefined;
      if (shift) throw new TillError('CONFLICT', `The shift of ${shift.operator_id} is still open; close it first.`, because('shift.still-open', { operator: shift.operator_id }));
      const at = now.toISOString();
      const id = Number(prepared(db, 'INSERT INTO shifts (business_day_id, operator_id, opening_float_minor, opened_at) VALUES (?, ?, ?, ?)').run(day.id, operatorId, openingFloat, at).lastInsertRowid);
      appendJournal(db, 'shift_open', { shiftId: id, businessDayId: day.id, operatorId, openingFloatMinor: openingFloat }, at);
      recordFiscalEvent(db, 'login', { operatorId }, now);
      return id;
    }).immediate();
  } catch (err) {
    return fail(err, db);
  }
}

export type ShiftSummary = { readonly shiftId: number; readonly entries: number; readonly expectedCash: Minor; readonly countedCash: Minor | null; readonly difference: Minor | null };

/** Closes the open shift; with a cash count, the difference from the expected drawer is journaled. */
export function closeShift(db: WritableDb, countedCash: Minor | null, now: Date): ShiftSummary {
  try {
    return db.transaction(() => {
      const shift = prepared(db, 'SELECT id, operator_id, opening_float_minor, opened_at FROM shifts WHERE closed_at IS NULL').get() as
        | { id: number; operator_id: string; opening_float_minor: number; opened_at: string }
        | undefined;
      if (!shift) throw new TillError('CONFLICT', 'No shift is open.', because('shift.none-open', {}));
      const entries = (prepared(db, 'SELECT count(*) AS n FROM sales WHERE shift_id = ?').get(shift.id) as { n: number }).n;
      const expectedCash = expectedShiftCash(db, { id: shift.id, openingFloat: shift.opening_float_minor, openedAt: shift.opened_at });
      const difference = countedCash === null ? null : minor(countedCash - expectedCash);
      const at = now.toISOString();
      prepared(db, 'UPDATE shifts SET closed_at = ?, counted_cash_minor = ? WHERE id = ?').run(at, countedCash, shift.id);
      appendJournal(db, 'shift_close', { shiftId: shift.id, entries, expectedCashMinor: expectedCash, countedCashMinor: countedCash, differenceMinor: difference }, at);
      // The cashier's shift is their session at the till: its end is the regulation's log-out (13004).
      recordFiscalEvent(db, 'logout', { operatorId: shift.operator_id }, now);
      return { shiftId: shift.id, entries, expectedCash, countedCash, difference };
    }).immediate();
  } catch (err) {
    return fail(err, db);
  }
}

export function currentBusinessDay(db: ReadableDb): { readonly id: number; readonly businessDate: string } | undefined {
  const row = prepared(db, 'SELECT id, business_date FROM business_days WHERE closed_at IS NULL').get() as { id: number; business_date: string } | undefined;
  return row ? { id: row.id, businessDate: row.business_date } : undefined;
}

export function currentShift(db: ReadableDb): OpenShift | undefined {
  const row = prepared(
    db,
    `SELECT d.id AS day_id, d.business_date, s.id AS shift_id, s.operator_id, s.opened_at
       FROM shifts s JOIN business_days d ON d.id = s.business_day_id WHERE s.closed_at IS NULL`,
  ).get() as { day_id: number; business_date: string; shift_id: number; operator_id: string; opened_at: string } | undefined;
  return row ? { businessDayId: row.day_id, businessDate: row.business_date, shiftId: row.shift_id, operatorId: row.operator_id, openedAt: row.opened_at } : undefined;
}
