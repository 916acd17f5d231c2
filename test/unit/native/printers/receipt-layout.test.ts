import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minor } from '../../../../main/core/money';
import { decodeEscPos } from '../../../../native/printers/escpos-decoder';
import { encodeEscPos, encodeEscPosWithLibrary } from '../../../../native/printers/escpos-receipt';
import { columnsForPaper, layoutLineText, layoutReceipt, leftRight, NORWEGIAN_LABELS, wrapText, type ReceiptColumns } from '../../../../native/printers/receipt-layout';
import { previewTextLines, renderPreviewHtml } from '../../../../native/printers/receipt-preview';
import { renderReceiptPreview } from '../../../../native/printers/render-receipt';
import { longReceipt, SAMPLE_OPTIONS, SAMPLE_RECEIPT } from './sample-receipt';

const texts = (columns: ReceiptColumns, copy = false): string[] =>
  layoutReceipt({ ...SAMPLE_RECEIPT, copy }, { ...SAMPLE_OPTIONS, columns }).map(layoutLineText);

describe('layoutReceipt', () => {
  it.each([32, 42, 48] as const)('keeps every line within %i columns (double-size lines within half)', (columns) => {
    for (const line of layoutReceipt(longReceipt(12), { ...SAMPLE_OPTIONS, columns })) {
      if (line.kind !== 'text') continue;
      expect([...line.text].length).toBeLessThanOrEqual(line.double ? columns / 2 : columns);
      expect(line.text).toBe(line.text.trimEnd());
    }
  });

  it('maps paper widths to columns', () => {
    expect(columnsForPaper(58)).toBe(32);
    expect(columnsForPaper(80)).toBe(48);
  });

  it('puts each discount, with its receipt text, right under its line as a deduction', () => {
    const lines = texts(48);
    const item = lines.findIndex((l) => l.startsWith('2 x Caffè latte'));
    expect(lines[item]).toMatch(/118,00$/);
    expect(lines[item + 1]).toMatch(/^ {2}Medlemspris -20% +-23,60$/);
    expect(lines[item + 2]).toMatch(/^1 x Skolebolle +39,00$/);
  });

  it('formats amounts from minor units with the locale and currency given', () => {
    const nb = texts(48);
    expect(nb).toContain('Change                                     20,60');
    const es = layoutReceipt(SAMPLE_RECEIPT, { ...SAMPLE_OPTIONS, locale: 'es-ES', currency: 'EUR' }).map(layoutLineText);
    expect(es.some((l) => /TOTAL +379,40 €$/.test(l))).toBe(true);
    const en = layoutReceipt({ ...SAMPLE_RECEIPT, total: minor(123456789) }, { ...SAMPLE_OPTIONS, locale: 'en-GB', currency: 'GBP' }).map(layoutLineText);
    expect(en.some((l) => l.includes('£1,234,567.89'))).toBe(true);
  });

  it('shows a VAT summary per rate, loyalty points, tenders and change', () => {
    const lines = texts(48);
    expect(lines.find((l) => l.startsWith('15%'))).toMatch(/^15% +115,24 +17,29 +132,53$/);
    expect(lines.find((l) => l.startsWith('25%'))).toMatch(/^25% +215,12 +53,78 +268,90$/);
    expect(lines).toContain('Points earned                                379');
    expect(lines).toContain('Points balance                            12 450');
    expect(lines.some((l) => /^Kontant +400,00$/.test(l))).toBe(true);
  });

  it('falls back to one block per VAT rate when the table does not fit 58 mm paper', () => {
    const big = { ...SAMPLE_RECEIPT, vat: [{ ratePercent: 25, net: minor(123456789), vat: minor(30864197), gross: minor(154320986) }] };
    const lines = layoutReceipt(big, { ...SAMPLE_OPTIONS, columns: 32 }).map(layoutLineText);
    const at = lines.indexOf('VAT 25%');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {2}Net +1 234 567,89$/);
  });

  it('prints COPY at the top and the bottom of a copy only', () => {
    expect(texts(48).filter((l) => l.trim() === 'COPY')).toHaveLength(0);
    expect(texts(48, true).filter((l) => l.trim() === 'COPY')).toHaveLength(2);
    const nb = layoutReceipt({ ...SAMPLE_RECEIPT, copy: true }, { ...SAMPLE_OPTIONS, labels: NORWEGIAN_LABELS }).map(layoutLineText);
    expect(nb.filter((l) => l.trim() === 'KOPI')).toHaveLength(2);
  });

  it('prints the receipt id as a QR code, a barcode or text only', () => {
    expect(texts(48)).toContain('[qr T01-000123]');
    const bar = layoutReceipt(SAMPLE_RECEIPT, { ...SAMPLE_OPTIONS, code: 'code128' }).map(layoutLineText);
    expect(bar).toContain('[barcode T01-000123]');
    const none = layoutReceipt(SAMPLE_RECEIPT, { ...SAMPLE_OPTIONS, code: 'none', logo: false }).map(layoutLineText);
    expect(none.some((l) => l.startsWith('['))).toBe(false);
  });

  it('keeps text the code page lacks out of the layout, so preview and paper agree', () => {
    const doc = { ...SAMPLE_RECEIPT, lines: [{ quantity: 1, name: 'Matcha 抹茶', amount: minor(100), discounts: [] }] };
    expect(layoutReceipt(doc, SAMPLE_OPTIONS).map(layoutLineText).some((l) => l.startsWith('1 x Matcha ??'))).toBe(true);
  });
});

describe('text helpers', () => {
  it('wraps at spaces and cuts words longer than a line', () => {
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('', 4)).toEqual(['']);
  });

  it('leftRight keeps every row within the width', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/\s/.test(s)), fc.constantFrom(32, 42, 48), fc.integer({ min: 0, max: 4 }), (left, right, width, indent) => {
        for (const row of leftRight(left, right, width, indent)) expect([...row].length).toBeLessThanOrEqual(width);
      }),
      { seed: 20261123 },
    );
  });
});

describe('ESC/POS and preview agree line for line', () => {
  it.each([32, 42, 48] as const)('%i columns, original and copy', (columns) => {
    for (const copy of [false, true]) {
      const options = { ...SAMPLE_OPTIONS, columns };
      const lines = layoutReceipt({ ...SAMPLE_RECEIPT, copy }, options);
      const printed = decodeEscPos(encodeEscPos(lines, { columns, codePage: options.codePage, openDrawer: true }));
      const preview = previewTextLines(renderPreviewHtml(lines, columns));
      expect(printed.text).toEqual(preview);
      expect(printed.text).toEqual(lines.map(layoutLineText));
      expect(printed.lines.filter((l) => l.double).map((l) => l.text.trim())).toEqual(lines.filter((l) => l.kind === 'text' && l.double).map((l) => layoutLineText(l).trim()));
    }
  });

  it('round-trips "ÆØÅ æøå ñ ¿ €" through both code pages', () => {
    for (const codePage of ['cp858', 'windows1252'] as const) {
      const lines = layoutReceipt(SAMPLE_RECEIPT, { ...SAMPLE_OPTIONS, codePage });
      const printed = decodeEscPos(encodeEscPos(lines, { columns: 48, codePage }));
      expect(printed.text.map((l) => l.trim())).toContain('ÆØÅ æøå ñ ¿ €');
      expect(printed.events).toContainEqual(expect.objectContaining({ type: 'code-page', page: codePage }));
    }
  });

  it('kicks the drawer first and cuts last, only when asked', () => {
    const lines = layoutReceipt(SAMPLE_RECEIPT, SAMPLE_OPTIONS);
    const withDrawer = decodeEscPos(encodeEscPos(lines, { columns: 48, codePage: 'cp858', openDrawer: true })).events.map((e) => e.type);
    expect(withDrawer).toEqual(['initialize', 'pulse', 'code-page', 'feed', 'cut']);
    const without = decodeEscPos(encodeEscPos(lines, { columns: 48, codePage: 'cp858', cut: false })).events.map((e) => e.type);
    expect(without).toEqual(['initialize', 'code-page']);
  });

  it('prints bold and double-size headings', () => {
    const printed = decodeEscPos(encodeEscPos(layoutReceipt(SAMPLE_RECEIPT, SAMPLE_OPTIONS), { columns: 48, codePage: 'cp858' }));
    const total = printed.lines.find((l) => l.text.startsWith('TOTAL'));
    expect(total).toMatchObject({ bold: true, double: true });
    expect(printed.lines.find((l) => l.text.includes('Skolebolle'))).toMatchObject({ bold: false, double: false });
  });

  it('escapes text in the preview', () => {
    const doc = { ...SAMPLE_RECEIPT, store: { ...SAMPLE_RECEIPT.store, name: '<b>Tom & "Jerry\'s"</b>' } };
    const html = renderReceiptPreview(doc, SAMPLE_OPTIONS);
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;b&gt;Tom &amp; &quot;Jerry&#39;s&quot;&lt;/b&gt;');
    expect(previewTextLines(html).some((l) => l.includes('<b>Tom & "Jerry\'s"</b>'))).toBe(true);
  });
});

describe('encodeEscPos prints what the encoder library prints', () => {
  it.each([32, 42, 48] as const)('%i columns, both code pages, with and without drawer', (columns) => {
    for (const codePage of ['cp858', 'windows1252'] as const) {
      for (const code of ['qr', 'code128'] as const) {
        const lines = layoutReceipt({ ...SAMPLE_RECEIPT, copy: true }, { ...SAMPLE_OPTIONS, columns, codePage, code });
        for (const openDrawer of [false, true]) {
          const fast = decodeEscPos(encodeEscPos(lines, { columns, codePage, openDrawer }));
          const reference = decodeEscPos(encodeEscPosWithLibrary(lines, { columns, codePage, openDrawer }));
          expect(fast.lines).toEqual(reference.lines);
          // Both select the same code page whenever they select one, and kick and cut alike.
          const kinds = (d: typeof fast): string[] => d.events.filter((e) => e.type !== 'code-page').map((e) => e.type);
          expect(kinds(fast)).toEqual(kinds(reference));
          expect(new Set(fast.events.flatMap((e) => (e.type === 'code-page' ? [e.number] : [])))).toEqual(new Set(reference.events.flatMap((e) => (e.type === 'code-page' ? [e.number] : []))));
        }
      }
    }
  });
});
