import type { Minor } from '../../main/core/money';
import { encodeEscPos } from './escpos-receipt';
import type { ReceiptStore } from './receipt-document';
import { centre, ENGLISH_LABELS, type LayoutLine, leftRight, Lines, type ReceiptLayoutOptions } from './receipt-layout';
import { createReceiptFormat } from './receipt-format';
import { renderPreviewHtml } from './receipt-preview';

/**
 * A printed document that is not a receipt: the manager's X and Z reports. Labels arrive already in the till's
 * language and amounts as minor units; the layout only arranges them, with the receipt's store header, code
 * page, width and number format, so a report looks like it came from the same till.
 */
export type PrintedReport = {
  readonly title: string;
  readonly store: ReceiptStore;
  /** Printed again (asked for, or retried after it may have reached paper): shows COPY. */
  readonly copy: boolean;
  readonly issuedAt: string;
  readonly facts: readonly { readonly label: string; readonly value: string }[];
  readonly sections: readonly PrintedReportSection[];
  readonly footer: readonly string[];
};

export type PrintedReportSection = {
  readonly heading: string;
  /** A row with a count and no amount (receipts printed, drawer openings) prints the count on the right. */
  readonly rows: readonly { readonly label: string; readonly count?: number; readonly amount?: Minor }[];
};

export function layoutReport(doc: PrintedReport, options: ReceiptLayoutOptions): LayoutLine[] {
  const labels = options.labels ?? ENGLISH_LABELS;
  const format = createReceiptFormat(options);
  const lines = new Lines(options.columns, options.codePage);
  const p = (text: string): string => lines.printable(text);
  const width = options.columns;
  lines.headline(p(doc.store.name));
  for (const address of doc.store.addressLines) for (const row of centre(p(address), width)) lines.text(row);
  lines.blank();
  if (doc.copy) {
    lines.headline(p(labels.copy));
    lines.blank();
  }
  lines.headline(p(doc.title));
  for (const row of centre(format.dateTime(doc.issuedAt), width)) lines.text(row);
  lines.rule();
  for (const fact of doc.facts) for (const row of leftRight(p(fact.label), p(fact.value), width)) lines.text(row);
  for (const section of doc.sections) {
    lines.rule();
    lines.text(p(section.heading), { bold: true });
    for (const r of section.rows) {
      if (r.amount === undefined) {
        for (const row of leftRight(p(r.label), format.integer(r.count ?? 0), width, 2)) lines.text(row);
        continue;
      }
      const left = r.count === undefined ? r.label : `${r.label} (${format.integer(r.count)})`;
      for (const row of leftRight(p(left), format.amount(r.amount), width, 2)) lines.text(row);
    }
  }
  lines.rule();
  for (const footer of doc.footer) for (const row of centre(p(footer), width)) lines.text(row);
  if (doc.copy) {
    lines.blank();
    lines.headline(p(labels.copy));
  }
  return lines.out;
}

export function renderReportBytes(doc: PrintedReport, options: ReceiptLayoutOptions): Uint8Array {
  return encodeEscPos(layoutReport(doc, options), { columns: options.columns, codePage: options.codePage, openDrawer: false });
}

export function renderReportPreview(doc: PrintedReport, options: ReceiptLayoutOptions): string {
  return renderPreviewHtml(layoutReport(doc, options), options.columns);
}
