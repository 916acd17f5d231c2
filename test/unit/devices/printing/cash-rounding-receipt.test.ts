import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../../../main/core/catalog';
import { minor } from '../../../../main/core/money';
import { computeDayReport, dayReportCsv } from '../../../../main/core/reports';
import { addToBasket, basketReceipt, buildSaleEntry, buildVoidEntry, EMPTY_BASKET, receiptDocument, receiptId, type EntryHeader, type Tender } from '../../../../main/core/sale';
import { toPrintedReport } from '../../../../main/devices/printing/report-adapter';
import { toPrintedReceipt } from '../../../../main/devices/printing/receipt-adapter';
import { ENGLISH_LABELS, layoutLineText, layoutReceipt, NORWEGIAN_LABELS, SPANISH_LABELS } from '../../../../native/printers/receipt-layout';

const SOAP: CatalogItem = { id: 'soap', codes: ['2'], name: 'Hand soap', groups: [], unitPrice: minor(1940), vatRateBp: 2500, unit: 'piece', eligibleForDiscount: false };
const header = (n: number): EntryHeader => ({ receiptId: receiptId('oslo', 'k1', n), saleNo: n, branchId: 'oslo', posId: 'k1', operatorId: 'anna', currency: 'NOK', purchaseAt: '2026-12-06T10:00:00.000Z', ruleSetVersion: 'v' });
const receipt = () => basketReceipt(addToBasket(EMPTY_BASKET, { item: SOAP }), { receiptId: 'draft', purchaseAt: 'x', storeId: 'oslo', currency: 'NOK' });
const STORE = { name: 'Butikken', addressLines: [] };
const OPTIONS = { columns: 48, currency: 'NOK', timeZone: 'Europe/Oslo', codePage: 'cp858', code: 'none' } as const;

function printed(tenders: Tender[], locale: string): string[] {
  const entry = buildSaleEntry(header(1), { receipt: receipt(), tenders, cashUnit: 100 });
  const labels = locale.startsWith('nb') ? NORWEGIAN_LABELS : locale.startsWith('es') ? SPANISH_LABELS : ENGLISH_LABELS;
  return layoutReceipt(toPrintedReceipt(receiptDocument(entry), STORE, locale), { ...OPTIONS, locale, labels }).map(layoutLineText);
}

describe('cash rounding on the receipt and the reports', () => {
  it('prints the rounding as its own line, the cash handed over and the change, in the till language', () => {
    const nb = printed([{ kind: 'cash', amount: minor(5000) }], 'nb-NO');
    // 19.40 is paid as 19.00 in cash: rounding -0.40, 50.00 handed over, 31.00 back.
    expect(nb.filter((l) => /^(TOTALT|Øreavrunding|Kontant|Tilbake)/.test(l)).map((l) => l.replace(/\s+/g, ' '))).toEqual(['TOTALT 19,40 kr', 'Øreavrunding -0,40', 'Kontant 50,00', 'Tilbake 31,00']);
    expect(printed([{ kind: 'cash', amount: minor(5000) }], 'es-ES').some((l) => /^Redondeo\s+-0,40$/.test(l))).toBe(true);
    expect(printed([{ kind: 'cash', amount: minor(5000) }], 'en-GB').some((l) => /^Rounding\s+-0\.40$/.test(l))).toBe(true);
    // A card pays to the øre: no rounding line; a stand-alone terminal is named so, with no reference.
    const card = printed([{ kind: 'card', amount: minor(1940), terminal: 'external' }], 'nb-NO');
    expect(card.some((l) => l.startsWith('Øreavrunding'))).toBe(false);
    expect(card.some((l) => /^Kort \(ekstern terminal\)\s+19,40$/.test(l))).toBe(true);
    expect(printed([{ kind: 'card', amount: minor(1940), terminal: 'external' }], 'es-ES').some((l) => l.startsWith('Tarjeta (terminal externo)'))).toBe(true);
  });

  it('counts the day’s rounding on the X report, a void subtracting its sale’s, on paper and in the CSV', () => {
    const up = buildSaleEntry(header(1), { receipt: basketReceipt(addToBasket(EMPTY_BASKET, { item: { ...SOAP, unitPrice: minor(1960) } }), { receiptId: 'd', purchaseAt: 'x', storeId: 'oslo', currency: 'NOK' }), tenders: [{ kind: 'cash', amount: minor(2000) }], cashUnit: 100 });
    const down = buildSaleEntry(header(2), { receipt: receipt(), tenders: [{ kind: 'cash', amount: minor(1900) }], cashUnit: 100 });
    const card = buildSaleEntry(header(3), { receipt: receipt(), tenders: [{ kind: 'card', amount: minor(1940), terminalRef: 'T' }], cashUnit: 100 });
    const voided = buildVoidEntry(header(4), down);
    const day = { id: 1, businessDate: '2026-12-06', openedAt: '2026-12-06T07:00:00.000Z', closedAt: null };
    const report = computeDayReport({ kind: 'X', day, generatedAt: '2026-12-06T12:00:00.000Z', till: { branchId: 'oslo', posId: 'k1', currency: 'NOK' }, entries: [up, down, card, voided] });
    // +0.40, -0.40, none, and the void gives back -0.40 again (subtracted): +0.40 over three entries.
    expect(report.cashRounding).toEqual({ count: 3, amount: 40 });
    expect(report.tenders.find((t) => t.kind === 'cash')?.amount).toBe(1960);
    expect(dayReportCsv(report)).toContain('totals,cash_rounding,3,0.40,NOK\r\n');
    const paper = toPrintedReport(report, STORE, 'nb-NO');
    expect(paper.sections.flatMap((s) => s.rows)).toContainEqual({ label: 'Øreavrunding', count: 3, amount: 40 });
  });
});
