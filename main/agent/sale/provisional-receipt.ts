import { ReceiptDocumentSchema, type ReceiptDocumentView } from '../../api/contract';
import { TillError } from '../../core/errors';
import { provisionalReceiptDocument } from '../../core/sale';
import { currentShift } from '../../store/ledger';
import { queueProvisionalReceipt } from '../../store/provisional-receipts';
import { isTrainingModeOn } from '../../store/training-mode';
import type { SaleSession } from './sale-session';

/**
 * The cashier's provisional receipt (a bill before payment; kassasystemforskrifta, docs/fiscal-no.md): the open
 * basket priced as it stands, printed under the title "Foreløpig kvittering – ikke gyldig som kvittering" and
 * journaled as 13015. The basket stays as it is: the customer still pays (or not) afterwards. A kiosk has no such
 * bill (a customer pays at once), and a till without an open shift has nobody to print it for.
 */
export function printProvisional(session: SaleSession): { readonly receipt: ReceiptDocumentView; readonly printJobId: number } {
  session.ensureReady();
  if (session.mode === 'kiosk') throw new TillError('CONFLICT', 'A kiosk does not print provisional receipts: the customer pays at once.');
  const db = session.db();
  const { till } = session.options;
  const shift = currentShift(db);
  if (!shift) throw new TillError('CONFLICT', 'No shift is open: a provisional receipt is printed in an open shift.', { fix: 'Open a shift first.' });
  if (session.state.basket.items.length === 0) throw new TillError('CONFLICT', 'The basket is empty: there is nothing to put on a provisional receipt.');
  const now = session.now();
  const priced = session.price(now);
  const training = isTrainingModeOn(db);
  const queued = queueProvisionalReceipt(
    db,
    (n) =>
      provisionalReceiptDocument(priced.receipt, {
        // Its own series (P), so it can never be read as a sale's number.
        receiptId: `${till.branchId}-${till.posId}-P${String(n).padStart(6, '0')}`,
        number: n,
        branchId: till.branchId,
        posId: till.posId,
        operatorId: shift.operatorId,
        currency: till.currency,
        at: now.toISOString(),
        ruleSetVersion: priced.ruleSetVersion,
        training,
      }),
    now,
  );
  session.logger().info({ receiptId: queued.document.receiptId, netMinor: queued.document.totals.net, lines: queued.document.lines.length }, 'provisional receipt printed');
  return { receipt: ReceiptDocumentSchema.parse(queued.document), printJobId: queued.printJobId };
}
