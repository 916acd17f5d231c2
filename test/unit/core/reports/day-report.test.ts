import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../../../main/core/catalog';
import { minor } from '../../../../main/core/money';
import { computeDayReport, dayReportCsv, dayReportFileName, DayReportError, REPORT_CSV_HEADER, type DayReportDay } from '../../../../main/core/reports';
import { addToBasket, basketReceipt, buildRefundEntry, buildSaleEntry, buildVoidEntry, EMPTY_BASKET, type EntryHeader, type SaleEntry, type SaleReceipt } from '../../../../main/core/sale';

const MILK: CatalogItem = { id: 'milk', codes: ['1'], name: 'Milk 1 l', groups: [{ id: 'dairy' }], unitPrice: minor(2190), vatRateBp: 1500, unit: 'piece', eligibleForDiscount: true };
const SOAP: CatalogItem = { id: 'soap', codes: ['2'], name: 'Hand soap', groups: [{ id: 'hygiene' }], unitPrice: minor(4950), vatRateBp: 2500, unit: 'piece', eligibleForDiscount: false };
const TILL = { branchId: 'oslo', posId: 'kasse-1', currency: 'NOK' };
const OPEN_DAY: DayReportDay = { id: 3, businessDate: '2026-03-02', openedAt: '2026-03-02T07:00:00.000Z', closedAt: null };
const CLOSED_DAY: DayReportDay = { ...OPEN_DAY, closedAt: '2026-03-02T21:00:00.000Z' };

let saleNo = 0;
function header(): EntryHeader {
  saleNo += 1;
  return { receiptId: `oslo-kasse-1-${String(saleNo).padStart(6, '0')}`, saleNo, branchId: 'oslo', posId: 'kasse-1', operatorId: 'anna', currency: 'NOK', purchaseAt: '2026-03-02T10:00:00.000Z', ruleSetVersion: 'r1' };
}

/** Two milk with "Dairy 10%" on the milk line (438), and one soap: 43.80 - 4.38 + 49.50 = 88.92 NOK. */
function discountedReceipt(): SaleReceipt {
  let basket = addToBasket(EMPTY_BASKET, { item: MILK });
  basket = addToBasket(basket, { item: MILK });
  basket = addToBasket(basket, { item: SOAP });
  const receipt = basketReceipt(basket, { receiptId: 'draft', purchaseAt: '2026-03-02T10:00:00.000Z', storeId: 'oslo', currency: 'NOK' });
  return { ...receipt, items: receipt.items.map((i) => (i.id === 'milk' ? { ...i, discount_lines: [{ amount: 438, description: 'Dairy 10%', discount_id: 'd1' }] } : i)) };
}

function day(): { cashSale: SaleEntry; mixedSale: SaleEntry; voided: SaleEntry; refund: SaleEntry } {
  saleNo = 0;
  const cashSale = buildSaleEntry(header(), { receipt: discountedReceipt(), tenders: [{ kind: 'cash', amount: minor(10_000) }] });
  const mixedSale = buildSaleEntry(header(), {
    receipt: discountedReceipt(),
    tenders: [
      { kind: 'gift_card', amount: minor(2_000), cardToken: 'tok-9876', offline: true },
      { kind: 'card', amount: minor(6_892), terminalRef: 'T-77' },
    ],
    amountsAtRisk: [2_000, 0],
  });
  const voided = buildVoidEntry(header(), cashSale, 'customer changed their mind');
  const soapLine = mixedSale.receipt.items.find((i) => i.id === 'soap')?.line_id ?? 0;
  const refund = buildRefundEntry(header(), mixedSale, [{ lineId: soapLine }], (due) => [{ kind: 'card', amount: due, terminalRef: 'T-78' }], new Map());
  return { cashSale, mixedSale, voided, refund };
}

describe('computeDayReport', () => {
  it('totals a day of sales, a void and a refund by kind, tender, VAT rate and discount; the void cancels its sale', () => {
    const { cashSale, mixedSale, voided, refund } = day();
    expect(cashSale.totals.net).toBe(8_892);
    const report = computeDayReport({ kind: 'X', day: OPEN_DAY, generatedAt: '2026-03-02T12:00:00.000Z', till: TILL, entries: [cashSale, mixedSale, voided, refund] });

    expect(report.sales).toEqual({ count: 2, net: 2 * 8_892 });
    expect(report.voids).toEqual({ count: 1, net: -8_892 });
    expect(report.refunds).toEqual({ count: 1, net: -4_950 });
    // What is left: the mixed sale without its soap.
    expect(report.net).toBe(8_892 - 4_950);
    expect(report.gross).toBe(4_380 - 0);
    expect(report.discount).toBe(438);
    expect(report.gross - report.discount).toBe(report.net);

    expect(report.tenders).toEqual([
      { kind: 'card', count: 2, amount: 6_892 - 4_950 },
      { kind: 'cash', count: 2, amount: 0 },
      { kind: 'gift_card', count: 1, amount: 2_000 },
    ]);
    expect(report.tenders.reduce((t, x) => t + x.amount, 0)).toBe(report.net);

    // 15 % on the milk (the refund gave back only soap), 25 % on soap nets to zero.
    const vat25 = report.vat.find((v) => v.rateBp === 2500);
    expect(vat25).toEqual({ rateBp: 2500, gross: 0, vat: 0, net: 0 });
    const vat15 = report.vat.find((v) => v.rateBp === 1500);
    expect(vat15?.gross).toBe(4_380 - 438);
    expect(report.vat.map((v) => v.rateBp)).toEqual([1500, 2500]);
    expect(report.vat.reduce((t, v) => t + v.vat, 0)).toBe(report.vatTotal);

    // The discount given on the voided sale came back with the void.
    expect(report.discounts).toEqual([{ text: 'Dairy 10%', count: 3, amount: 438 }]);
    expect(report.offlineAtRisk).toBe(2_000);
    expect(report.firstReceipt).toBe(cashSale.receiptId);
    expect(report.lastReceipt).toBe(refund.receiptId);
  });

  it('is a pure function: the same entries give the same report', () => {
    const { cashSale, mixedSale } = day();
    const input = { kind: 'Z' as const, day: CLOSED_DAY, generatedAt: '2026-03-02T21:00:00.000Z', till: TILL, entries: [cashSale, mixedSale] };
    expect(computeDayReport(input)).toEqual(computeDayReport(input));
  });

  it('an empty day reports zeros', () => {
    const report = computeDayReport({ kind: 'X', day: OPEN_DAY, generatedAt: '2026-03-02T12:00:00.000Z', till: TILL, entries: [] });
    expect(report).toMatchObject({ net: 0, gross: 0, tenders: [], vat: [], discounts: [], firstReceipt: null, lastReceipt: null, sales: { count: 0, net: 0 } });
  });

  it('refuses a Z report of an open day and an entry in another currency', () => {
    expect(() => computeDayReport({ kind: 'Z', day: OPEN_DAY, generatedAt: '2026-03-02T12:00:00.000Z', till: TILL, entries: [] })).toThrow(DayReportError);
    const { cashSale } = day();
    expect(() => computeDayReport({ kind: 'X', day: OPEN_DAY, generatedAt: '2026-03-02T12:00:00.000Z', till: { ...TILL, currency: 'EUR' }, entries: [cashSale] })).toThrow(/in NOK/);
  });
});

describe('dayReportCsv', () => {
  it('writes one figure per row with decimal amounts; negative amounts stay numbers, formula-like text is defused', () => {
    const { cashSale, mixedSale, voided, refund } = day();
    const report = computeDayReport({ kind: 'Z', day: CLOSED_DAY, generatedAt: '2026-03-02T21:00:00.000Z', till: TILL, entries: [cashSale, mixedSale, voided, refund] });
    const rows = dayReportCsv({ ...report, discounts: [...report.discounts, { text: '=HYPERLINK("x"), free', count: 1, amount: minor(100) }] }).trimEnd().split('\r\n');
    expect(rows[0]).toBe(REPORT_CSV_HEADER);
    expect(rows).toContain('entries,voids,1,-88.92,NOK');
    expect(rows).toContain('tender,card,2,19.42,NOK');
    expect(rows).toContain('vat_amount,15,,5.14,NOK');
    expect(rows).toContain('discount,"\'=HYPERLINK(""x""), free",1,1.00,NOK');
    expect(rows).toContain('report,closed_at,,2026-03-02T21:00:00.000Z,');
    expect(dayReportFileName(report)).toBe('z-report-2026-03-02-kasse-1.csv');
  });

  it('counts an offer once per sale however many lines it touched, its amount summed over them', () => {
    saleNo = 0;
    let basket = addToBasket(EMPTY_BASKET, { item: MILK });
    basket = addToBasket(basket, { item: SOAP });
    basket = addToBasket(basket, { item: MILK, price: minor(2000) });
    const receipt = basketReceipt(basket, { receiptId: 'draft', purchaseAt: '2026-03-02T10:00:00.000Z', storeId: 'oslo', currency: 'NOK' });
    // "Dairy 10%" on both milk lines of one sale: one offer given once, 219 + 200.
    const twoLines = { ...receipt, items: receipt.items.map((i) => (i.id === 'milk' ? { ...i, discount_lines: [{ amount: Math.round(i.gross_amount / 10), description: 'Dairy 10%', discount_id: 'd1' }] } : i)) };
    const sale = buildSaleEntry(header(), { receipt: twoLines, tenders: [{ kind: 'cash', amount: minor(20_000) }] });
    const other = buildSaleEntry(header(), { receipt: discountedReceipt(), tenders: [{ kind: 'cash', amount: minor(10_000) }] });
    const report = computeDayReport({ kind: 'X', day: OPEN_DAY, generatedAt: '2026-03-02T12:00:00.000Z', till: TILL, entries: [sale, other] });
    expect(report.discounts).toEqual([{ text: 'Dairy 10%', count: 2, amount: minor(219 + 200 + 438) }]);
    // A void gives the amount back; it is one more receipt with the offer on it (counts are receipts, as for tenders).
    const voided = buildVoidEntry(header(), sale, 'wrong customer');
    const after = computeDayReport({ kind: 'X', day: OPEN_DAY, generatedAt: '2026-03-02T12:00:00.000Z', till: TILL, entries: [sale, other, voided] });
    expect(after.discounts).toEqual([{ text: 'Dairy 10%', count: 3, amount: minor(438) }]);
  });

  it('sums the fiscal events with their amounts, keeps training sales apart, and carries the day cash into text and CSV', () => {
    const { cashSale, mixedSale } = day();
    const eventTotals = new Map([
      ['copy_receipt', { count: 1, amount: 8_892 }],
      ['line_deleted', { count: 2, amount: 7_140 }],
      ['line_reduced', { count: 1, amount: 2_190 }],
      ['sale_cancelled', { count: 1, amount: 4_950 }],
      ['cash_withdrawal', { count: 1, amount: 50_000 }],
      ['drawer_open_no_sale', { count: 3, amount: 0 }],
    ]);
    const cash = { expected: minor(58_892), counted: minor(58_800), difference: minor(-92) };
    const report = computeDayReport({
      kind: 'Z', day: CLOSED_DAY, generatedAt: '2026-03-02T21:00:00.000Z', till: TILL, entries: [cashSale, mixedSale],
      trainingReceiptIds: new Set([mixedSale.receiptId]), eventTotals, cash,
    });
    expect(report.sales).toEqual({ count: 1, net: cashSale.totals.net });
    expect(report.fiscal?.training).toEqual({ count: 1, net: mixedSale.totals.net });
    expect(report.fiscal?.drawerOpeningsWithoutSale).toBe(3);
    expect(report.fiscal?.lineDeletions).toBe(2);
    expect(report.fiscal?.amounts).toEqual({
      copies: { count: 1, amount: 8_892 },
      provisional: { count: 0, amount: 0 },
      cancelledSales: { count: 1, amount: 4_950 },
      corrections: { count: 3, amount: 9_330 },
      cashWithdrawals: { count: 1, amount: 50_000 },
    });
    expect(report.cash).toEqual(cash);
    const csv = dayReportCsv(report).split('\r\n');
    expect(csv).toContain('fiscal_amount,corrections,3,93.30,NOK');
    expect(csv).toContain('cash,difference,,-0.92,NOK');
    // Without the database's inputs there is no cash line at all, rather than a made-up zero.
    expect(computeDayReport({ kind: 'X', day: OPEN_DAY, generatedAt: '2026-03-02T12:00:00.000Z', till: TILL, entries: [] }).cash).toBeUndefined();
  });
});
