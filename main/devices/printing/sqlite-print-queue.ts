import type { PrintJob, PrintJobQueue } from '../../../native/printers';
import type { ReceiptStore } from '../../../native/printers';
import type { WritableDb } from '../../store';
import { createPrintJobQueue } from '../../store/print-jobs';
import { toPrintedReceipt } from './receipt-adapter';

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
      return {
        id: String(job.id),
        receipt: toPrintedReceipt(job.document, store, locale),
        openDrawer: job.document.openDrawer,
        reprint: false,
        mayHaveReachedPaper: job.copy,
        attempts: job.attempts,
      };
    },
    markPrinting: (jobId) => void table.markPrinting(id(jobId)),
    markPrinted: (jobId) => table.markPrinted(id(jobId)),
    markFailed: (jobId, reason, retryAt) => table.markFailed(id(jobId), reason, retryAt),
  };
}
