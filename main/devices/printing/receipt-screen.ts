import type { ReceiptDocument as SaleDocument } from '../../core/sale';
import type { ReceiptStore } from '../../../native/printers';
import { layoutLineText, layoutReceipt, type PaperWidthMm } from '../../../native/printers/receipt-layout';
import { type LocaleSettings, receiptLayoutOptions } from './layout-options';
import { toPrintedReceipt } from './receipt-adapter';

/** The screen's copy of laid-out lines (the API contract's `ReceiptLayoutSchema` has the same shape). */
export type ScreenReceipt = {
  readonly columns: number;
  readonly lines: { readonly kind: 'text' | 'logo' | 'qr' | 'barcode'; readonly text: string; readonly bold: boolean; readonly double: boolean }[];
};

/**
 * The receipt for the screen, laid out line for line as the spool prints it: the same adapter (tender names,
 * footer, void title), the same layout and width. Only the drawing differs (text on screen, ESC/POS on paper).
 */
export function screenReceiptLayout(doc: SaleDocument, store: ReceiptStore, printerWidth: PaperWidthMm, settings: LocaleSettings, copy: boolean): ScreenReceipt {
  const options = receiptLayoutOptions(printerWidth, settings);
  const lines = layoutReceipt({ ...toPrintedReceipt(doc, store, settings.locale), copy }, options);
  return {
    columns: options.columns,
    lines: lines.map((l) => ({ kind: l.kind, text: layoutLineText(l), bold: l.kind === 'text' && l.bold, double: l.kind === 'text' && l.double })),
  };
}
