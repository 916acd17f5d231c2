import type { DayReport } from '../core/reports';
import type { ReceiptDocument } from '../core/sale';
import { assertNever, TillError } from '../core/errors';
import type { FiscalEventCode } from '../core/fiscal/saft-codes';
import type { ReadableDb, WritableDb } from './db-types';
import { recordFiscalEvent, saleEventCount } from './fiscal-events';
import { prepared } from './statements';

/**
 * Print jobs: written in the sale's transaction, printed after it (never inside it). A job found
 * `printing` at start-up may have printed half a receipt before the power went, so it goes back to
 * pending as a copy; every reprint is marked as a copy. Times are epoch milliseconds.
 */
export type PrintJobState = 'pending' | 'printing' | 'printed' | 'failed';

/**
 * What a job prints: a sale's receipt (kind sale, void or refund), or a manager's job (a test page, a drawer
 * kick alone, an X or Z report). The spool's adapter (main/devices/printing) turns each into the printer's document.
 */
export type PrintPayload =
  | ReceiptDocument
  | { readonly kind: 'test'; readonly at: string }
  /** A drawer kick alone: for nothing (a drawer opening without a sale), or for cash taken out (journaled when asked). */
  | { readonly kind: 'drawer'; readonly reason?: 'cash_withdrawal' }
  | { readonly kind: 'report'; readonly report: DayReport }
  /** A provisional receipt (a bill before payment): journaled when asked (main/store/provisional-receipts.ts). */
  | { readonly kind: 'provisional'; readonly receipt: ReceiptDocument };

export type PrintJob = {
  readonly id: number;
  readonly saleId: number | null;
  readonly document: PrintPayload;
  readonly state: PrintJobState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly copy: boolean;
  readonly lastError: string | null;
  readonly createdAt: number;
};

type Row = { id: number; sale_id: number | null; payload_json: string; state: PrintJobState; attempts: number; next_attempt_at: number; copy: number; last_error: string | null; created_at: number };

function toJob(r: Row): PrintJob {
  return {
    id: r.id,
    saleId: r.sale_id,
    document: JSON.parse(r.payload_json) as PrintPayload,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    copy: r.copy === 1,
    lastError: r.last_error,
    createdAt: r.created_at,
  };
}

export function enqueuePrintJob(db: WritableDb, saleId: number | null, document: PrintPayload, now: Date, copy = false): number {
  const at = now.getTime();
  return Number(
    prepared(db, 'INSERT INTO print_jobs (sale_id, payload_json, next_attempt_at, copy, created_at) VALUES (?, ?, ?, ?, ?)').run(saleId, JSON.stringify(document), at, copy ? 1 : 0, at)
      .lastInsertRowid,
  );
}

/** The oldest job due: pending, or failed with its retry time reached. */
export function nextPendingPrintJob(db: ReadableDb, now: Date): PrintJob | undefined {
  const row = prepared(db, "SELECT * FROM print_jobs WHERE state IN ('pending', 'failed') AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1").get(now.getTime()) as Row | undefined;
  return row ? toJob(row) : undefined;
}

export function getPrintJob(db: ReadableDb, id: number): PrintJob | undefined {
  const row = prepared(db, 'SELECT * FROM print_jobs WHERE id = ?').get(id) as Row | undefined;
  return row ? toJob(row) : undefined;
}

/**
 * Called right before the first byte goes to the printer. From here on part of the receipt may be on paper,
 * so any later attempt prints a COPY (`copy` is the durable "may have reached paper" mark the spool relies on).
 * Returns false when the job is not waiting (another worker took it, or it is printed).
 */
export function markPrinting(db: WritableDb, id: number): boolean {
  return prepared(db, "UPDATE print_jobs SET state = 'printing', attempts = attempts + 1, copy = 1 WHERE id = ? AND state IN ('pending', 'failed')").run(id).changes === 1;
}

/**
 * A job is on paper. Its fiscal events are journaled with it (docs/fiscal-no.md): a sale's first job is its sales,
 * return, void or training receipt (a copy asked for later was journaled when asked), a receipt that kicks the
 * drawer opened it with a sale, and a drawer job alone is a drawer opening without a sale.
 */
export function markPrinted(db: WritableDb, id: number, now: Date): void {
  db.transaction(() => {
    const changed = prepared(db, "UPDATE print_jobs SET state = 'printed', printed_at = ?, last_error = NULL WHERE id = ? AND state != 'printed'").run(now.getTime(), id).changes;
    if (changed === 0) return;
    const job = prepared(db, 'SELECT sale_id, payload_json FROM print_jobs WHERE id = ?').get(id) as { sale_id: number | null; payload_json: string };
    const doc = JSON.parse(job.payload_json) as PrintPayload;
    switch (doc.kind) {
      case 'drawer':
        // Opened for a registered cash withdrawal it is not an opening "without a sale" (no nullinnslag).
        if (doc.reason === 'cash_withdrawal') recordFiscalEvent(db, 'drawer_open_sale', { text: 'cash withdrawal' }, now);
        else recordFiscalEvent(db, 'drawer_open_no_sale', {}, now);
        return;
      case 'test':
      case 'report':
      case 'provisional':
        return;
      case 'sale':
      case 'void':
      case 'refund': {
        if (job.sale_id === null) return;
        const first = prepared(db, 'SELECT MIN(id) AS id FROM print_jobs WHERE sale_id = ?').get(job.sale_id) as { id: number };
        if (first.id !== id) return;
        const code: FiscalEventCode = doc.training === true ? 'training_receipt' : doc.kind === 'sale' ? 'sales_receipt' : doc.kind === 'refund' ? 'return_receipt' : 'void_receipt';
        recordFiscalEvent(db, code, { saleId: job.sale_id, operatorId: doc.operatorId }, now);
        if (doc.openDrawer) recordFiscalEvent(db, 'drawer_open_sale', { saleId: job.sale_id, operatorId: doc.operatorId }, now);
        return;
      }
      default:
        return assertNever(doc);
    }
  }).immediate();
}

/**
 * A failed attempt (paper out, cover open, unplugged): retried at `retryAt`. It becomes a copy only if
 * `markPrinting` ran, i.e. bytes may have reached paper; a printer that was not ready printed nothing.
 */
export function markPrintFailed(db: WritableDb, id: number, reason: string, retryAt: Date): void {
  prepared(db, "UPDATE print_jobs SET state = 'failed', last_error = ?, next_attempt_at = ? WHERE id = ?").run(reason, retryAt.getTime(), id);
}

/** At start-up: jobs left `printing` by a crash are retried as copies. */
export function recoverPrinting(db: WritableDb): number {
  return prepared(db, "UPDATE print_jobs SET state = 'pending', copy = 1 WHERE state = 'printing'").run().changes;
}

/**
 * A reprint the cashier asks for: a new job for the same sale, marked as a copy, journaled as a copy receipt.
 * One copy per sale at most (kassasystemforskrifta § 2-6 fourth paragraph, as the Tax Administration's FAQ
 * explains it): a second is refused.
 */
export function reprintSale(db: WritableDb, saleId: number, now: Date, operatorId?: string): number | undefined {
  return db.transaction(() => {
    const row = prepared(db, 'SELECT payload_json FROM print_jobs WHERE sale_id = ? ORDER BY id LIMIT 1').get(saleId) as { payload_json: string } | undefined;
    if (!row) return undefined;
    const doc = JSON.parse(row.payload_json) as ReceiptDocument;
    return queueCopy(db, saleId, doc, now, operatorId);
  }).immediate();
}

/**
 * Queues a copy of a sale's receipt and journals it (13014), refusing a second copy of the same sale
 * (kassasystemforskrifta § 2-6 fourth paragraph). Call inside the caller's transaction.
 */
export function queueCopy(db: WritableDb, saleId: number, doc: ReceiptDocument, now: Date, operatorId?: string): number {
  if (saleEventCount(db, saleId, 'copy_receipt') > 0) {
    throw new TillError('CONFLICT', 'This receipt was already printed once as a copy; the rules allow one copy per sale.', {
      fix: 'A further copy can be taken from the accounting system, not from the till.',
    });
  }
  recordFiscalEvent(db, 'copy_receipt', { saleId, operatorId: operatorId ?? doc.operatorId }, now);
  return enqueuePrintJob(db, saleId, doc, now, true);
}

/** The queue the print spool drives (native/printers defines the contract; this is the SQLite side). */
export type SqlitePrintJobQueue = {
  nextPending(): PrintJob | undefined;
  markPrinting(id: number): boolean;
  markPrinted(id: number): void;
  markFailed(id: number, reason: string, retryAt: Date): void;
};

export function createPrintJobQueue(db: WritableDb, clock: { now(): Date }): SqlitePrintJobQueue {
  return {
    nextPending: () => nextPendingPrintJob(db, clock.now()),
    markPrinting: (id) => markPrinting(db, id),
    markPrinted: (id) => markPrinted(db, id, clock.now()),
    markFailed: (id, reason, retryAt) => markPrintFailed(db, id, reason, retryAt),
  };
}
