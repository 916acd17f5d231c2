import { columnsForPaper, type PaperWidthMm, type ReceiptLayoutOptions } from '../../../native/printers/receipt-layout';

export type LocaleSettings = { readonly locale: string; readonly currency: string; readonly timeZone: string };

/**
 * How every receipt of this till is laid out: the spool, the test print and the preview all use this, so the
 * screen and the paper cannot drift apart. cp858 covers Nordic and Spanish text and the euro sign.
 */
export function receiptLayoutOptions(printerWidth: PaperWidthMm, settings: LocaleSettings): ReceiptLayoutOptions {
  return {
    columns: columnsForPaper(printerWidth),
    locale: settings.locale,
    currency: settings.currency,
    timeZone: settings.timeZone,
    codePage: 'cp858',
    code: 'qr',
  };
}
