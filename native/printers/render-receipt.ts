import type { ReceiptDocument } from './receipt-document';
import { encodeEscPos } from './escpos-receipt';
import { layoutReceipt, type ReceiptLayoutOptions } from './receipt-layout';
import { renderPreviewHtml } from './receipt-preview';

/** The receipt as printer bytes: layout, then ESC/POS, in the layout's code page and width. */
export function renderReceiptBytes(doc: ReceiptDocument, options: ReceiptLayoutOptions, print: { openDrawer?: boolean } = {}): Uint8Array {
  const lines = layoutReceipt(doc, options);
  return encodeEscPos(lines, { columns: options.columns, codePage: options.codePage, openDrawer: print.openDrawer ?? false });
}

/** The same receipt as the on-screen preview; line for line what `renderReceiptBytes` prints. */
export function renderReceiptPreview(doc: ReceiptDocument, options: ReceiptLayoutOptions): string {
  return renderPreviewHtml(layoutReceipt(doc, options), options.columns);
}
