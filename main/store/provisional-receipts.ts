import type { ReceiptDocument } from '../core/sale';
import type { WritableDb } from './db-types';
import { recordFiscalEvent } from './fiscal-events';
import { enqueuePrintJob } from './print-jobs';
import { prepared } from './statements';

export type ProvisionalQueued = { readonly document: ReceiptDocument; readonly printJobId: number };

/**
 * A provisional receipt (a bill before payment, docs/fiscal-no.md): numbered in its own gap-free series, journaled
 * as 13015 with the basket's net total, and queued on the printer, in one transaction. `build` makes the document
 * from the number, so the number and the journal entry cannot disagree. Printed as often as asked: each is
 * journaled and counted on the X and Z reports.
 */
export function queueProvisionalReceipt(db: WritableDb, build: (number: number) => ReceiptDocument, now: Date): ProvisionalQueued {
  return db
    .transaction(() => {
      const n = (prepared(db, "SELECT count(*) AS n FROM fiscal_events WHERE code = 'provisional_receipt'").get() as { n: number }).n + 1;
      const document = build(n);
      recordFiscalEvent(
        db,
        'provisional_receipt',
        { operatorId: document.operatorId, text: document.receiptId, amountMinor: document.totals.net, ...(document.training === true ? { training: true } : {}) },
        now,
      );
      const printJobId = enqueuePrintJob(db, null, { kind: 'provisional', receipt: document }, now);
      return { document, printJobId };
    })
    .immediate();
}
