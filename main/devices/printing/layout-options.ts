import { columnsForPaper, ENGLISH_LABELS, NORWEGIAN_LABELS, type PaperWidthMm, type ReceiptLabels, type ReceiptLayoutOptions, SPANISH_LABELS } from '../../../native/printers/receipt-layout';
import { tillLanguage } from './receipt-adapter';

const LABELS: Readonly<Record<ReturnType<typeof tillLanguage>, ReceiptLabels>> = { en: ENGLISH_LABELS, nb: NORWEGIAN_LABELS, es: SPANISH_LABELS };

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
    // The printed words in the till's language, as the footer and tender names already are (receipt-adapter.ts).
    labels: LABELS[tillLanguage(settings.locale)],
  };
}
