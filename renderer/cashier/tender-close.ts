import type { SaleView } from '../../main/api/contract';
import type { DialogKind } from './dialogs';

const TENDER_DIALOGS: ReadonlySet<DialogKind> = new Set(['cash', 'card', 'giftCard', 'points']);

/** Where the sale stood: its last receipt, and how many tenders the open sale holds. */
export type SaleMark = { readonly receiptId: string | undefined; readonly tenders: number };

export type OpenDialog = { readonly kind: DialogKind; readonly at: SaleMark };

export function saleMark(sale: Pick<SaleView, 'lastReceipt' | 'tenders'>): SaleMark {
  return { receiptId: sale.lastReceipt?.receiptId, tenders: sale.tenders.length };
}

/**
 * The dialog to show. A tender dialog ends as soon as the sale view shows its tender taken: a new last receipt
 * (the sale is committed) or one tender more (a part payment). The agent's sale event often arrives before the
 * tender call's own answer, and a tender dialog left open until then swallowed the next function key (F9 right
 * after paying, F10 right after the card part of a split, did nothing). A refused tender changes neither, so
 * its dialog stays open with the reason.
 */
export function dialogAfterSaleChange(open: OpenDialog | undefined, now: SaleMark): DialogKind | undefined {
  if (open === undefined || !TENDER_DIALOGS.has(open.kind)) return open?.kind;
  const committed = now.receiptId !== undefined && now.receiptId !== open.at.receiptId;
  const tendered = now.tenders > open.at.tenders;
  return committed || tendered ? undefined : open.kind;
}

/**
 * What stays open once an ended tender dialog is forgotten. Applied to whatever is open at that moment, not to
 * what was open at the render that ended it: a key pressed in between (F9 right after paying) may already have
 * opened the next dialog, and that one stays.
 */
export function withoutEndedTenderDialog(open: OpenDialog | undefined, now: SaleMark): OpenDialog | undefined {
  return open && dialogAfterSaleChange(open, now) === undefined ? undefined : open;
}
