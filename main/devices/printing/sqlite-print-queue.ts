import type { PrintJob, PrintJobQueue } from '../../../native/printers';
import type { ReceiptStore } from '../../../native/printers';
import type { WritableDb } from '../../store';
import { createPrintJobQueue } from '../../store/print-jobs';
import { assertNever } from '../../core/errors';
import { toPrintedReceipt } from './receipt-adapter';
import { toPrintedReport } from './report-adapter';
import { testReceipt } from './test-receipt';

/**
 * The print spool's queue over the ledger's `print_jobs` table. The table's `copy` flag is set by
 * `markPrinting` before the first byte is written, so it is exactly the spool's "may have reached paper".
 */
export function sqlitePrintQueue(db: WritableDb, clock: { now(): Date }, store: ReceiptStore, locale: string): PrintJobQueue {
  const table = createPrintJobQueue(db, clock);
  const id = (text: string): number => Number(text);
  return {
    nextPending(): PrintJob | undefined {
      const job = table.nextPending();
      if (!job) return undefined;
      const base = { id: String(job.id), mayHaveReachedPaper: job.copy, attempts: job.attempts };
      const doc = job.document;
      switch (doc.kind) {
        case 'report':
          return { ...base, kind: 'report', report: toPrintedReport(doc.report, store, locale) };
        case 'drawer':
          return { ...base, kind: 'drawer' };
        case 'test':
          return { ...base, receipt: testReceipt(store, new Date(doc.at)), openDrawer: false, reprint: false };
        case 'provisional':
          return { ...base, receipt: toPrintedReceipt(doc.receipt, store, locale), openDrawer: false, reprint: false };
        case 'sale':
        case 'void':
        case 'refund':
          return { ...base, receipt: toPrintedReceipt(doc, store, locale), openDrawer: doc.openDrawer, reprint: false };
        default:
          return assertNever(doc);
      }
    },
    markPrinting: (jobId) => void table.markPrinting(id(jobId)),
    markPrinted: (jobId) => table.markPrinted(id(jobId)),
    markFailed: (jobId, reason, retryAt) => table.markFailed(id(jobId), reason, retryAt),
  };
}
