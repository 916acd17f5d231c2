import { describe, expect, it } from 'vitest';
import { receiptLayoutOptions } from '../../../../main/devices/printing/layout-options';
import { layoutLineText, layoutReceipt } from '../../../../native/printers/receipt-layout';
import { SAMPLE_RECEIPT } from '../../native/printers/sample-receipt';

/** The printed words follow the till's locale, like the screen's preview: a Norwegian reprint says KOPI, not COPY. */
describe('receiptLayoutOptions', () => {
  const printed = (locale: string): string[] =>
    layoutReceipt({ ...SAMPLE_RECEIPT, copy: true }, receiptLayoutOptions(80, { locale, currency: 'NOK', timeZone: 'Europe/Oslo' })).map(layoutLineText);

  it.each([
    ['nb-NO', 'KOPI', 'TOTALT'],
    ['nn-NO', 'KOPI', 'TOTALT'],
    ['es-ES', 'COPIA', 'TOTAL'],
    ['en-GB', 'COPY', 'TOTAL'],
    ['de-DE', 'COPY', 'TOTAL'],
  ])('%s prints %s and %s', (locale, copy, total) => {
    const lines = printed(locale);
    expect(lines.filter((l) => l.trim() === copy)).toHaveLength(2);
    expect(lines.some((l) => l.startsWith(total))).toBe(true);
  });
});
