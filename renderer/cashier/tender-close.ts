import type { DialogKind } from './dialogs';

const TENDER_DIALOGS: ReadonlySet<DialogKind> = new Set(['cash', 'card', 'giftCard', 'points']);

/**
 * The dialog to show, given the last receipt when it was opened and the last receipt now. A committed sale (a
 * new last receipt) ends a tender dialog at once: the agent's sale event often arrives before the tender call's
 * own answer, and a tender dialog left open until then swallowed the next function key (F9 right after paying
 * did nothing until the answer came).
 */
export function dialogAfterSaleChange(dialog: DialogKind | undefined, previousReceiptId: string | undefined, receiptId: string | undefined): DialogKind | undefined {
  if (dialog === undefined || !TENDER_DIALOGS.has(dialog)) return dialog;
  return receiptId !== undefined && receiptId !== previousReceiptId ? undefined : dialog;
}

type OpenDialog = { readonly kind: DialogKind; readonly receiptId: string | undefined };

/**
 * What stays open once an ended tender dialog is forgotten. Applied to whatever is open at that moment, not to
 * what was open at the render that ended it: a key pressed in between (F9 right after paying) may already have
 * opened the next dialog, and that one stays.
 */
export function withoutEndedTenderDialog(open: OpenDialog | undefined, receiptId: string | undefined): OpenDialog | undefined {
  return open && dialogAfterSaleChange(open.kind, open.receiptId, receiptId) === undefined ? undefined : open;
}
