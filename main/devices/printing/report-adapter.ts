import { minor } from '../../core/money';
import type { DayReport } from '../../core/reports';
import type { PrintedReport, ReceiptStore } from '../../../native/printers';
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
  readonly tenders: string;
  readonly vatPerRate: string;
  readonly discounts: string;
  readonly running: string;
  readonly final: string;
};

const LABELS: Record<'en' | 'nb' | 'es', ReportLabels> = {
  en: {
    x: 'X REPORT', z: 'Z REPORT', businessDate: 'Business day', till: 'Till', opened: 'Opened', closed: 'Closed', receipts: 'Receipts',
    entries: 'Entries', sales: 'Sales', voids: 'Voids', refunds: 'Refunds', totals: 'Totals', gross: 'Gross', discount: 'Discounts', net: 'Net',
    vat: 'VAT', offlineAtRisk: 'Offline, at risk', writtenOff: 'Reports written off', tenders: 'Tenders', vatPerRate: 'VAT per rate', discounts: 'Discounts given',
    running: 'Running report: the day is still open', final: 'Final report of the closed day',
  },
  nb: {
    x: 'X-RAPPORT', z: 'Z-RAPPORT', businessDate: 'Salgsdag', till: 'Kasse', opened: 'Åpnet', closed: 'Stengt', receipts: 'Kvitteringer',
    entries: 'Poster', sales: 'Salg', voids: 'Annulleringer', refunds: 'Returer', totals: 'Totalt', gross: 'Brutto', discount: 'Rabatter', net: 'Netto',
    vat: 'MVA', offlineAtRisk: 'Frakoblet, i risiko', writtenOff: 'Avskrevne rapporter', tenders: 'Betalingsmidler', vatPerRate: 'MVA per sats', discounts: 'Gitte rabatter',
    running: 'Løpende rapport: dagen er fortsatt åpen', final: 'Sluttrapport for den stengte dagen',
  },
  es: {
    x: 'INFORME X', z: 'INFORME Z', businessDate: 'Día comercial', till: 'Caja', opened: 'Abierto', closed: 'Cerrado', receipts: 'Tickets',
    entries: 'Operaciones', sales: 'Ventas', voids: 'Anulaciones', refunds: 'Devoluciones', totals: 'Totales', gross: 'Bruto', discount: 'Descuentos', net: 'Neto',
    vat: 'IVA', offlineAtRisk: 'Sin conexión, en riesgo', writtenOff: 'Informes dados de baja', tenders: 'Medios de pago', vatPerRate: 'IVA por tipo', discounts: 'Descuentos aplicados',
    running: 'Informe parcial: el día sigue abierto', final: 'Informe final del día cerrado',
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
        ],
      },
      { heading: l.tenders, rows: report.tenders.map((t) => ({ label: tenders[t.kind] ?? t.kind, count: t.count, amount: minor(t.amount) })) },
      { heading: l.vatPerRate, rows: report.vat.map((v) => ({ label: `${l.vat} ${v.rateBp / 100} %`, amount: minor(v.vat) })) },
      { heading: l.discounts, rows: report.discounts.map((d) => ({ label: d.text, count: d.count, amount: minor(d.amount) })) },
    ],
    footer: [report.kind === 'X' ? l.running : l.final],
  };
}
