import { minor, toDecimal } from '../money';
import { currencyExponent } from '../sale/currency';
import type { DayReport } from './day-report';

/**
 * The report as CSV for a spreadsheet or the accountant: one row per figure, `section,key,count,amount,currency`.
 * Amounts are decimals with a point (not the locale's comma), so every spreadsheet reads them as numbers.
 */
export const REPORT_CSV_HEADER = 'section,key,count,amount,currency';

function cell(text: string): string {
  // Quote what a spreadsheet would split or treat as a formula (=, +, -, @ at the start).
  // A plain number (a negative amount) is left alone.
  const safe = /^[=+\-@]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The Norwegian rules' counts (docs/fiscal-no.md), when the report has them. */
function fiscalRows(report: DayReport, money: (n: number) => string): string[][] {
  const f = report.fiscal;
  if (!f) return [];
  const count = (key: string, n: number): string[] => ['fiscal', key, String(n), '', ''];
  return [
    count('sales_receipts', f.salesReceipts),
    count('return_receipts', f.returnReceipts),
    count('void_receipts', f.voidReceipts),
    count('copies', f.copies),
    count('provisional_receipts', f.provisionalReceipts),
    count('drawer_openings_without_sale', f.drawerOpeningsWithoutSale),
    count('cancelled_sales', f.cancelledSales),
    count('line_deletions', f.lineDeletions),
    count('price_changes', f.priceChanges),
    count('price_lookups', f.priceLookups),
    count('sales_without_receipt', f.salesWithoutReceipt),
    ['fiscal', 'training', String(f.training.count), money(f.training.net), report.currency],
    ...(f.amounts
      ? [
          ['fiscal_amount', 'copies', String(f.amounts.copies.count), money(f.amounts.copies.amount), report.currency],
          ['fiscal_amount', 'provisional', String(f.amounts.provisional.count), money(f.amounts.provisional.amount), report.currency],
          ['fiscal_amount', 'corrections', String(f.amounts.corrections.count), money(f.amounts.corrections.amount), report.currency],
          ['fiscal_amount', 'cancelled_sales', String(f.amounts.cancelledSales.count), money(f.amounts.cancelledSales.amount), report.currency],
          ['fiscal_amount', 'cash_withdrawals', String(f.amounts.cashWithdrawals.count), money(f.amounts.cashWithdrawals.amount), report.currency],
        ]
      : []),
    ...f.articleGroups.map((g) => ['article_group', g.group, String(g.count), money(g.net), report.currency]),
  ];
}

export function dayReportCsv(report: DayReport): string {
  const exp = currencyExponent(report.currency);
  const money = (n: number): string => toDecimal(minor(n), exp);
  const rows: string[][] = [
    ['report', 'kind', '', report.kind, ''],
    ['report', 'business_date', '', report.day.businessDate, ''],
    ['report', 'opened_at', '', report.day.openedAt, ''],
    ['report', 'closed_at', '', report.day.closedAt ?? '', ''],
    ['report', 'generated_at', '', report.generatedAt, ''],
    ['report', 'branch_id', '', report.branchId, ''],
    ['report', 'pos_id', '', report.posId, ''],
    ['entries', 'sales', String(report.sales.count), money(report.sales.net), report.currency],
    ['entries', 'voids', String(report.voids.count), money(report.voids.net), report.currency],
    ['entries', 'refunds', String(report.refunds.count), money(report.refunds.net), report.currency],
    ['totals', 'gross', '', money(report.gross), report.currency],
    ['totals', 'discount', '', money(report.discount), report.currency],
    ['totals', 'net', '', money(report.net), report.currency],
    ['totals', 'vat', '', money(report.vatTotal), report.currency],
    ['totals', 'offline_at_risk', '', money(report.offlineAtRisk), report.currency],
    ...(report.cashRounding ? [['totals', 'cash_rounding', String(report.cashRounding.count), money(report.cashRounding.amount), report.currency]] : []),
    ...report.tenders.map((t) => ['tender', t.kind, String(t.count), money(t.amount), report.currency]),
    ...report.vat.flatMap((v) => {
      const rate = String(v.rateBp / 100);
      return [
        ['vat_gross', rate, '', money(v.gross), report.currency],
        ['vat_amount', rate, '', money(v.vat), report.currency],
        ['vat_net', rate, '', money(v.net), report.currency],
      ];
    }),
    ...report.discounts.map((d) => ['discount', d.text, String(d.count), money(d.amount), report.currency]),
    ...fiscalRows(report, money),
    ...(report.writeOffs ? [['write_offs', 'receipts_and_transactions', String(report.writeOffs.count), money(report.writeOffs.amount), report.currency]] : []),
    ...(report.cash
      ? [
          ['cash', 'expected', '', money(report.cash.expected), report.currency],
          ['cash', 'counted', '', report.cash.counted === null ? '' : money(report.cash.counted), report.currency],
          ['cash', 'difference', '', report.cash.difference === null ? '' : money(report.cash.difference), report.currency],
        ]
      : []),
  ];
  return `${[REPORT_CSV_HEADER, ...rows.map((r) => r.map(cell).join(','))].join('\r\n')}\r\n`;
}

/** `z-report-2026-11-23-till-1.csv`: what the download and `till-agent report z --csv --out` name the file. */
export function dayReportFileName(report: DayReport): string {
  return `${report.kind.toLowerCase()}-report-${report.day.businessDate}-${report.posId.replace(/[^A-Za-z0-9_-]/g, '_')}.csv`;
}
