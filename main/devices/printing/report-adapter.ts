import { minor } from '../../core/money';
import type { DayReport } from '../../core/reports';
import type { PrintedReport, PrintedReportSection, ReceiptStore } from '../../../native/printers';
import { TENDER_LABELS, tillLanguage } from './receipt-adapter';

type ReportLabels = {
  readonly x: string;
  readonly z: string;
  readonly businessDate: string;
  readonly till: string;
  readonly opened: string;
  readonly closed: string;
  readonly receipts: string;
  readonly entries: string;
  readonly sales: string;
  readonly voids: string;
  readonly refunds: string;
  readonly totals: string;
  readonly gross: string;
  readonly discount: string;
  readonly net: string;
  readonly vat: string;
  readonly offlineAtRisk: string;
  readonly writtenOff: string;
  readonly cashRounding: string;
  readonly tenders: string;
  readonly vatPerRate: string;
  readonly discounts: string;
  readonly running: string;
  readonly final: string;
  // The Norwegian rules' counts (kassasystemforskrifta § 2-8-2, docs/fiscal-no.md).
  readonly events: string;
  readonly salesReceipts: string;
  readonly returnReceipts: string;
  readonly voidReceipts: string;
  readonly copies: string;
  readonly provisional: string;
  readonly drawerNoSale: string;
  readonly cancelled: string;
  readonly corrections: string;
  readonly priceChanges: string;
  readonly priceLookups: string;
  readonly noReceipt: string;
  readonly training: string;
  readonly cashOut: string;
  readonly articleGroups: string;
  readonly cash: string;
  readonly expected: string;
  readonly counted: string;
  readonly difference: string;
};

const LABELS: Record<'en' | 'nb' | 'es', ReportLabels> = {
  en: {
    x: 'X REPORT', z: 'Z REPORT', businessDate: 'Business day', till: 'Till', opened: 'Opened', closed: 'Closed', receipts: 'Receipts',
    entries: 'Entries', sales: 'Sales', voids: 'Voids', refunds: 'Refunds', totals: 'Totals', gross: 'Gross', discount: 'Discounts', net: 'Net',
    vat: 'VAT', offlineAtRisk: 'Offline, at risk', writtenOff: 'Reports written off', cashRounding: 'Cash rounding', tenders: 'Tenders', vatPerRate: 'VAT per rate', discounts: 'Discounts given',
    running: 'Running report: the day is still open', final: 'Final report of the closed day',
    events: 'Receipts and events', salesReceipts: 'Sales receipts', returnReceipts: 'Return receipts', voidReceipts: 'Void receipts', copies: 'Copies',
    provisional: 'Provisional receipts', drawerNoSale: 'Drawer opened, no sale', cancelled: 'Cancelled sales', corrections: 'Lines deleted or reduced',
    priceChanges: 'Price changes', priceLookups: 'Price look-ups', noReceipt: 'Sales without receipt', training: 'Training sales', cashOut: 'Cash taken out',
    articleGroups: 'Sales per article group', cash: 'Cash', expected: 'Expected', counted: 'Counted', difference: 'Difference',
  },
  nb: {
    x: 'X-RAPPORT', z: 'Z-RAPPORT', businessDate: 'Salgsdag', till: 'Kasse', opened: 'Åpnet', closed: 'Stengt', receipts: 'Kvitteringer',
    entries: 'Poster', sales: 'Salg', voids: 'Annulleringer', refunds: 'Returer', totals: 'Totalt', gross: 'Brutto', discount: 'Rabatter', net: 'Netto',
    vat: 'MVA', offlineAtRisk: 'Frakoblet, i risiko', writtenOff: 'Avskrevne rapporter', cashRounding: 'Øreavrunding', tenders: 'Betalingsmidler', vatPerRate: 'MVA per sats', discounts: 'Gitte rabatter',
    running: 'Løpende rapport: dagen er fortsatt åpen', final: 'Sluttrapport for den stengte dagen',
    events: 'Kvitteringer og hendelser', salesReceipts: 'Salgskvitteringer', returnReceipts: 'Returkvitteringer', voidReceipts: 'Annulleringskvitteringer', copies: 'Kopier',
    provisional: 'Foreløpige kvitteringer', drawerNoSale: 'Skuff åpnet uten salg', cancelled: 'Avbrutte salg', corrections: 'Linjer slettet/redusert',
    priceChanges: 'Prisendringer', priceLookups: 'Prisoppslag', noReceipt: 'Salg uten kvittering', training: 'Treningssalg', cashOut: 'Kontanter tatt ut',
    articleGroups: 'Salg per varegruppe', cash: 'Kontanter', expected: 'Forventet', counted: 'Opptalt', difference: 'Differanse',
  },
  es: {
    x: 'INFORME X', z: 'INFORME Z', businessDate: 'Día comercial', till: 'Caja', opened: 'Abierto', closed: 'Cerrado', receipts: 'Tickets',
    entries: 'Operaciones', sales: 'Ventas', voids: 'Anulaciones', refunds: 'Devoluciones', totals: 'Totales', gross: 'Bruto', discount: 'Descuentos', net: 'Neto',
    vat: 'IVA', offlineAtRisk: 'Sin conexión, en riesgo', writtenOff: 'Informes dados de baja', cashRounding: 'Redondeo de efectivo', tenders: 'Medios de pago', vatPerRate: 'IVA por tipo', discounts: 'Descuentos aplicados',
    running: 'Informe parcial: el día sigue abierto', final: 'Informe final del día cerrado',
    events: 'Tickets y eventos', salesReceipts: 'Tickets de venta', returnReceipts: 'Tickets de devolución', voidReceipts: 'Tickets de anulación', copies: 'Copias',
    provisional: 'Tickets provisionales', drawerNoSale: 'Cajón abierto sin venta', cancelled: 'Ventas canceladas', corrections: 'Líneas borradas/reducidas',
    priceChanges: 'Cambios de precio', priceLookups: 'Consultas de precio', noReceipt: 'Ventas sin ticket', training: 'Ventas de formación', cashOut: 'Efectivo retirado',
    articleGroups: 'Ventas por grupo', cash: 'Efectivo', expected: 'Esperado', counted: 'Contado', difference: 'Diferencia',
  },
};

/** The X or Z report as the printer's document, in the till's language; the numbers are the report's as they are. */
export function toPrintedReport(report: DayReport, store: ReceiptStore, locale: string, copy = false): PrintedReport {
  const lang = tillLanguage(locale);
  const l = LABELS[lang];
  const tenders = TENDER_LABELS[lang] ?? {};
  return {
    title: report.kind === 'X' ? l.x : l.z,
    store,
    copy,
    issuedAt: report.generatedAt,
    facts: [
      { label: l.businessDate, value: report.day.businessDate },
      { label: l.till, value: `${report.branchId} / ${report.posId}` },
      { label: l.opened, value: report.day.openedAt.slice(0, 16).replace('T', ' ') },
      ...(report.day.closedAt ? [{ label: l.closed, value: report.day.closedAt.slice(0, 16).replace('T', ' ') }] : []),
      ...(report.firstReceipt ? [{ label: l.receipts, value: `${report.firstReceipt}..${report.lastReceipt ?? ''}` }] : []),
    ],
    sections: [
      {
        heading: l.entries,
        rows: [
          { label: l.sales, count: report.sales.count, amount: minor(report.sales.net) },
          { label: l.voids, count: report.voids.count, amount: minor(report.voids.net) },
          { label: l.refunds, count: report.refunds.count, amount: minor(report.refunds.net) },
        ],
      },
      {
        heading: l.totals,
        rows: [
          { label: l.gross, amount: minor(report.gross) },
          { label: l.discount, amount: minor(report.discount) },
          { label: l.net, amount: minor(report.net) },
          { label: l.vat, amount: minor(report.vatTotal) },
          ...(report.offlineAtRisk !== 0 ? [{ label: l.offlineAtRisk, amount: minor(report.offlineAtRisk) }] : []),
          ...(report.writeOffs && report.writeOffs.count > 0 ? [{ label: l.writtenOff, count: report.writeOffs.count, amount: minor(report.writeOffs.amount) }] : []),
          ...(report.cashRounding && report.cashRounding.count > 0 ? [{ label: l.cashRounding, count: report.cashRounding.count, amount: minor(report.cashRounding.amount) }] : []),
        ],
      },
      { heading: l.tenders, rows: report.tenders.map((t) => ({ label: tenders[t.kind] ?? t.kind, count: t.count, amount: minor(t.amount) })) },
      { heading: l.vatPerRate, rows: report.vat.map((v) => ({ label: `${l.vat} ${v.rateBp / 100} %`, amount: minor(v.vat) })) },
      { heading: l.discounts, rows: report.discounts.map((d) => ({ label: d.text, count: d.count, amount: minor(d.amount) })) },
      ...fiscalSections(report, l),
    ],
    footer: [report.kind === 'X' ? l.running : l.final],
  };
}

/** The Norwegian rules' sections of a printed X or Z report; none for a report stored before they were kept. */
function fiscalSections(report: DayReport, l: ReportLabels): PrintedReportSection[] {
  const f = report.fiscal;
  const sections: PrintedReportSection[] = [];
  if (f) {
    const a = f.amounts;
    const withAmount = (label: string, count: number, amount: number | undefined): PrintedReportSection['rows'][number] =>
      amount === undefined ? { label, count } : { label, count, amount: minor(amount) };
    sections.push({
      heading: l.events,
      rows: [
        withAmount(l.salesReceipts, f.salesReceipts, undefined),
        withAmount(l.returnReceipts, f.returnReceipts, undefined),
        withAmount(l.voidReceipts, f.voidReceipts, undefined),
        withAmount(l.copies, a?.copies.count ?? f.copies, a?.copies.amount),
        withAmount(l.provisional, a?.provisional.count ?? f.provisionalReceipts, a?.provisional.amount),
        withAmount(l.drawerNoSale, f.drawerOpeningsWithoutSale, undefined),
        withAmount(l.cancelled, a?.cancelledSales.count ?? f.cancelledSales, a?.cancelledSales.amount),
        withAmount(l.corrections, a?.corrections.count ?? f.lineDeletions, a?.corrections.amount),
        withAmount(l.priceChanges, f.priceChanges, undefined),
        withAmount(l.priceLookups, f.priceLookups, undefined),
        withAmount(l.noReceipt, f.salesWithoutReceipt, undefined),
        withAmount(l.training, f.training.count, f.training.net),
        ...(a ? [withAmount(l.cashOut, a.cashWithdrawals.count, a.cashWithdrawals.amount)] : []),
      ],
    });
    if (f.articleGroups.length > 0) sections.push({ heading: l.articleGroups, rows: f.articleGroups.map((g) => ({ label: g.group, count: g.count, amount: minor(g.net) })) });
  }
  const c = report.cash;
  if (c) {
    sections.push({
      heading: l.cash,
      rows: [
        { label: l.expected, amount: minor(c.expected) },
        ...(c.counted === null ? [] : [{ label: l.counted, amount: minor(c.counted) }]),
        ...(c.difference === null ? [] : [{ label: l.difference, amount: minor(c.difference) }]),
      ],
    });
  }
  return sections;
}
