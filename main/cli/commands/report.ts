import fs from 'node:fs';
import type { Command } from 'commander';
import { dayReportFor } from '../../agent/day-reports';
import { TillError } from '../../core/errors';
import { minor, toDecimal } from '../../core/money';
import { type DayReport, dayReportCsv, type DayReportKind } from '../../core/reports';
import { currencyExponent } from '../../core/sale/currency';
import { openDb } from '../../store';
import { type CommonOptions, loadFromOptions, newCommand, reportFailure } from '../common';
import { openExistingTillDb } from '../till-db';

/** The report as text for a terminal: amounts as plain decimals with the currency code. */
export function formatDayReport(r: DayReport): string {
  const money = (n: number): string => `${toDecimal(minor(n), currencyExponent(r.currency))} ${r.currency}`;
  const lines = [
    `${r.kind} report, business day ${r.day.businessDate} (${r.branchId}/${r.posId}), opened ${r.day.openedAt}${r.day.closedAt ? `, closed ${r.day.closedAt}` : ', still open'}`,
    `Generated ${r.generatedAt}${r.firstReceipt ? `; receipts ${r.firstReceipt} to ${r.lastReceipt ?? ''}` : '; no receipts'}`,
    `Sales ${r.sales.count}: ${money(r.sales.net)}; voids ${r.voids.count}: ${money(r.voids.net)}; refunds ${r.refunds.count}: ${money(r.refunds.net)}`,
    `Gross ${money(r.gross)}, discounts ${money(r.discount)}, net ${money(r.net)}, VAT ${money(r.vatTotal)}${r.offlineAtRisk !== 0 ? `, offline at risk ${money(r.offlineAtRisk)}` : ''}`,
    ...(r.writeOffs ? [`Receipts and Loyalty transactions written off: ${r.writeOffs.count} (sales worth ${money(r.writeOffs.amount)})`] : []),
    ...(r.cashRounding && r.cashRounding.count > 0 ? [`Cash rounding: ${r.cashRounding.count} entries, ${money(r.cashRounding.amount)}`] : []),
    'Tenders:',
    ...r.tenders.map((t) => `  ${t.kind} (${t.count}): ${money(t.amount)}`),
    'VAT per rate:',
    ...r.vat.map((v) => `  ${v.rateBp / 100} %: VAT ${money(v.vat)} of ${money(v.gross)} (net ${money(v.net)})`),
    'Discounts:',
    ...r.discounts.map((d) => `  ${d.text} (${d.count}): ${money(d.amount)}`),
    ...(r.fiscal
      ? [
          `Receipts: sales ${r.fiscal.salesReceipts}, returns ${r.fiscal.returnReceipts}, voids ${r.fiscal.voidReceipts}, copies ${r.fiscal.copies}, provisional ${r.fiscal.provisionalReceipts}, without receipt ${r.fiscal.salesWithoutReceipt}`,
          `Drawer openings without sale ${r.fiscal.drawerOpeningsWithoutSale}; cancelled sales ${r.fiscal.cancelledSales}; line deletions ${r.fiscal.lineDeletions}; price changes ${r.fiscal.priceChanges}; price look-ups ${r.fiscal.priceLookups}`,
          ...(r.fiscal.amounts
            ? [
                `Amounts: copies ${r.fiscal.amounts.copies.count}: ${money(r.fiscal.amounts.copies.amount)}; provisional ${r.fiscal.amounts.provisional.count}: ${money(r.fiscal.amounts.provisional.amount)}; corrections (lines deleted or reduced) ${r.fiscal.amounts.corrections.count}: ${money(r.fiscal.amounts.corrections.amount)}; cancelled sales ${r.fiscal.amounts.cancelledSales.count}: ${money(r.fiscal.amounts.cancelledSales.amount)}; cash withdrawals ${r.fiscal.amounts.cashWithdrawals.count}: ${money(r.fiscal.amounts.cashWithdrawals.amount)}`,
              ]
            : []),
          `Training sales ${r.fiscal.training.count}: ${money(r.fiscal.training.net)} (not in the figures above)`,
          'Sales per article group:',
          ...r.fiscal.articleGroups.map((g) => `  ${g.group} (${g.count}): ${money(g.net)}`),
        ]
      : []),
    ...(r.cash
      ? [`Cash: expected ${money(r.cash.expected)}, counted ${r.cash.counted === null ? 'not counted' : money(r.cash.counted)}${r.cash.difference === null ? '' : `, difference ${money(r.cash.difference)}`}`]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}

function parseKind(text: string): DayReportKind {
  const k = text.toUpperCase();
  if (k !== 'X' && k !== 'Z') throw new TillError('SCHEMA_INVALID', `"${text}" is not a report: use x (the open day, running) or z (a closed day).`);
  return k;
}

function parseDay(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new TillError('SCHEMA_INVALID', `--day ${text} is not a business day id (a whole number).`);
  return Number(text);
}

type ReportOptions = CommonOptions & { csv?: boolean; json?: boolean; out?: string; day?: string };

export function reportCommand(): Command {
  return newCommand('report', 'the business day report: x = the open day so far, z = a closed day (made once, the same every time)')
    .argument('<kind>', 'x or z')
    .option('--day <id>', 'the business day id (default: the open day for x, the last closed day for z)')
    .option('--csv', 'print CSV (section,key,count,amount,currency) instead of text')
    .option('--json', 'print the report as JSON')
    .option('--out <file>', 'write to this file instead of stdout')
    .action((kindText: string, _o: unknown, cmd: Command) => {
      try {
        const opts = cmd.optsWithGlobals<ReportOptions>();
        const kind = parseKind(kindText);
        const day = parseDay(opts.day);
        const { config } = loadFromOptions(opts);
        // Writable: the first Z report of a closed day is stored, so every later one is the same.
        const db = openExistingTillDb(config.dataDir, (f) => openDb(f));
        let text: string;
        try {
          const report = dayReportFor(db, { branchId: config.branchId, posId: config.posId, currency: config.currency }, kind, day, new Date());
          text = opts.csv ? dayReportCsv(report) : opts.json ? `${JSON.stringify(report)}\n` : formatDayReport(report);
        } finally {
          db.close();
        }
        if (opts.out === undefined) process.stdout.write(text);
        else fs.writeFileSync(opts.out, text, { mode: 0o600 });
      } catch (err) {
        reportFailure(err);
      }
    });
}
