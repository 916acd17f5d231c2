import { minor } from '../../core/money';
import type { ReceiptDocument as SaleDocument } from '../../core/sale';
import type { ReceiptDocument as PrintedReceipt, ReceiptStore, ReceiptTender } from '../../../native/printers';

export const TENDER_LABELS: Record<string, Record<string, string>> = {
  en: { cash: 'Cash', card: 'Card', card_external: 'Card (external terminal)', gift_card: 'Gift card', loyalty_points: 'Points', loyalty_credit: 'Credit' },
  nb: { cash: 'Kontant', card: 'Kort', card_external: 'Kort (ekstern terminal)', gift_card: 'Gavekort', loyalty_points: 'Poeng', loyalty_credit: 'Kreditt' },
  es: { cash: 'Efectivo', card: 'Tarjeta', card_external: 'Tarjeta (terminal externo)', gift_card: 'Tarjeta regalo', loyalty_points: 'Puntos', loyalty_credit: 'Crédito' },
};
const FOOTERS: Record<string, string> = { en: 'Thank you for shopping with us', nb: 'Takk for handelen', es: 'Gracias por su compra' };

/** The till's language for printed text: Norwegian (any written form), Spanish, else English. */
export function tillLanguage(locale: string): 'en' | 'nb' | 'es' {
  const lang = locale.toLowerCase().split('-')[0] ?? 'en';
  return lang === 'no' || lang === 'nn' || lang === 'nb' ? 'nb' : lang === 'es' ? 'es' : 'en';
}

/**
 * The ledger's receipt data (what was sold) as the printer layout's document (how it is shown): tender
 * labels and the footer in the till's language, VAT rates in percent, the store header from the config.
 */
export function toPrintedReceipt(doc: SaleDocument, store: ReceiptStore, locale: string): PrintedReceipt {
  const lang = tillLanguage(locale);
  const labels = TENDER_LABELS[lang] ?? TENDER_LABELS.en ?? {};
  const tenders: ReceiptTender[] = doc.tenders.map((t) => ({
    label: `${labels[t.kind] ?? t.kind}${t.reference ? ` ${t.reference}` : ''}${t.offline ? ' *' : ''}`,
    // Cash shows what was handed over (or paid back); the change and the rounding lines account for the rest.
    amount: minor(t.tendered ?? t.amount),
  }));
  return {
    receiptId: doc.receiptId,
    copy: false,
    title: doc.provisional === true ? 'provisional' : doc.kind === 'sale' ? 'sale' : doc.kind === 'refund' ? 'return' : 'void',
    ...(doc.training === true ? { training: true } : {}),
    store,
    ...(doc.kind === 'sale' ? {} : { correction: { kind: doc.kind, ...(doc.refersTo === undefined ? {} : { refersTo: doc.refersTo }) } }),
    issuedAt: doc.purchaseAt,
    cashier: doc.operatorId,
    lines: doc.lines.map((l) => ({
      quantity: l.quantity,
      name: l.description,
      amount: minor(l.gross),
      discounts: l.discounts.map((d) => ({ text: d.text, amount: minor(d.amount) })),
    })),
    vat: doc.vat.map((v) => ({ ratePercent: v.rateBp / 100, net: minor(v.net), vat: minor(v.vat), gross: minor(v.gross) })),
    total: minor(doc.totals.net),
    discountTotal: minor(doc.totals.discount),
    tenders,
    ...(doc.rounding ? { rounding: minor(doc.rounding) } : {}),
    change: minor(doc.change),
    footer: [FOOTERS[lang] ?? FOOTERS.en ?? ''],
  };
}
