import { minor } from '../../../../main/core/money';
import type { ReceiptDocument } from '../../../../native/printers/receipt-document';
import type { ReceiptLayoutOptions } from '../../../../native/printers/receipt-layout';

/** A fixed receipt used by the layout, encoder, golden-file, transport and spool tests and by the benchmark. */
export const SAMPLE_RECEIPT: ReceiptDocument = {
  receiptId: 'T01-000123',
  copy: false,
  store: { name: 'Kaffebrenneriet Ås', addressLines: ['Storgata 1', '0155 Oslo'], orgNumber: '987 654 321 MVA' },
  issuedAt: '2026-03-14T13:05:00+01:00',
  cashier: 'Åse',
  lines: [
    { quantity: 2, name: 'Caffè latte', amount: minor(11800), discounts: [{ text: 'Medlemspris -20%', amount: minor(2360) }] },
    { quantity: 1, name: 'Skolebolle', amount: minor(3900), discounts: [] },
    { quantity: 0.532, name: 'Kaffebønner Etiopia Yirgacheffe, lys brent, hele bønner', amount: minor(26600), discounts: [] },
  ],
  vat: [
    { ratePercent: 15, net: minor(11524), vat: minor(1729), gross: minor(13253) },
    { ratePercent: 25, net: minor(21512), vat: minor(5378), gross: minor(26890) },
  ],
  total: minor(37940),
  discountTotal: minor(2360),
  tenders: [
    { label: 'Kontant', amount: minor(40000) },
  ],
  change: minor(2060),
  loyalty: { pointsEarned: 379, balance: 12450 },
  footer: ['Takk for besøket!', 'ÆØÅ æøå ñ ¿ €'],
};

export const SAMPLE_OPTIONS: ReceiptLayoutOptions = {
  columns: 48,
  locale: 'nb-NO',
  currency: 'NOK',
  timeZone: 'Europe/Oslo',
  codePage: 'cp858',
  logo: true,
  code: 'qr',
};

/** A receipt with `count` item lines, for the benchmark and long-receipt tests. */
export function longReceipt(count: number): ReceiptDocument {
  const lines = Array.from({ length: count }, (_, i) => ({
    quantity: (i % 3) + 1,
    name: `Vare nummer ${i + 1} med et ganske langt navn`,
    amount: minor(1990 * ((i % 3) + 1)),
    discounts: i % 5 === 0 ? [{ text: 'Kampanje 3 for 2', amount: minor(1990) }] : [],
  }));
  return { ...SAMPLE_RECEIPT, lines };
}
