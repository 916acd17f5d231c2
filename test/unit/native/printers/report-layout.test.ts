import { describe, expect, it } from 'vitest';
import { minor } from '../../../../main/core/money';
import { computeDayReport } from '../../../../main/core/reports';
import { toPrintedReport } from '../../../../main/devices/printing/report-adapter';
import { decodeEscPos } from '../../../../native/printers/escpos-decoder';
import { printPlan, PrintSpoolWorker } from '../../../../native/printers/print-spool';
import { FakePrinter } from '../../../../native/printers/fake-printer';
import { layoutReport, renderReportBytes, type PrintedReport } from '../../../../native/printers/report-layout';
import { layoutLineText } from '../../../../native/printers/receipt-layout';
import { SAMPLE_OPTIONS } from './sample-receipt';

const REPORT: PrintedReport = {
  title: 'Z-RAPPORT',
  store: { name: 'Butikken', addressLines: ['Storgata 1'] },
  copy: false,
  issuedAt: '2026-03-02T21:00:00.000Z',
  facts: [{ label: 'Salgsdag', value: '2026-03-02' }],
  sections: [{ heading: 'Betalingsmidler', rows: [{ label: 'Kontant', count: 12, amount: minor(123_450) }, { label: 'Kort', amount: minor(-500) }] }],
  footer: ['Sluttrapport'],
};

describe('report layout', () => {
  it('lays out title, facts and sections to the paper width with amounts in the till locale', () => {
    const lines = layoutReport(REPORT, SAMPLE_OPTIONS).map(layoutLineText);
    expect(lines.some((l) => l.includes('Z-RAPPORT'))).toBe(true);
    const cash = lines.find((l) => l.includes('Kontant (12)')) ?? '';
    expect(cash.length).toBeLessThanOrEqual(48);
    expect(cash.trimEnd().endsWith('1 234,50')).toBe(true);
    expect(lines.find((l) => l.includes('Kort'))?.trimEnd().endsWith('-5,00')).toBe(true);
    expect(lines.every((l) => [...l].length <= 48)).toBe(true);
  });

  it('prints as ESC/POS that decodes back to the same text, marked COPY when printed again', () => {
    const decoded = decodeEscPos(renderReportBytes({ ...REPORT, copy: true }, SAMPLE_OPTIONS));
    const text = decoded.lines.map((l) => l.text).join('\n');
    expect(text).toContain('Z-RAPPORT');
    expect(text).toContain('COPY');
    expect(decoded.events.filter((e) => e.type === 'pulse')).toEqual([]);
  });

  it('a day report becomes the printed report in the till language', () => {
    const day = { id: 1, businessDate: '2026-03-02', openedAt: '2026-03-02T07:00:00.000Z', closedAt: null };
    const report = computeDayReport({ kind: 'X', day, generatedAt: '2026-03-02T12:00:00.000Z', till: { branchId: 'b', posId: 'p', currency: 'NOK' }, entries: [] });
    expect(toPrintedReport(report, REPORT.store, 'es-ES')).toMatchObject({ title: 'INFORME X', footer: ['Informe parcial: el día sigue abierto'] });
    expect(toPrintedReport(report, REPORT.store, 'nb-NO').title).toBe('X-RAPPORT');
  });

  it("prints the Norwegian rules' counts with their amounts and the drawer's cash (docs/fiscal-no.md)", () => {
    const day = { id: 1, businessDate: '2026-03-02', openedAt: '2026-03-02T07:00:00.000Z', closedAt: null };
    const eventTotals = new Map([
      ['sales_receipt', { count: 3, amount: 0 }],
      ['provisional_receipt', { count: 2, amount: 8_000 }],
      ['drawer_open_no_sale', { count: 1, amount: 0 }],
      ['cash_withdrawal', { count: 1, amount: 50_000 }],
    ]);
    const cash = { expected: minor(120_000), counted: minor(119_500), difference: minor(-500) };
    const report = computeDayReport({ kind: 'X', day, generatedAt: '2026-03-02T12:00:00.000Z', till: { branchId: 'b', posId: 'p', currency: 'NOK' }, entries: [], eventTotals, trainingReceiptIds: new Set(), cash });
    const lines = layoutReport(toPrintedReport(report, REPORT.store, 'nb-NO'), SAMPLE_OPTIONS).map(layoutLineText);
    const row = (label: string): string => lines.find((l) => l.trimStart().startsWith(label))?.trim() ?? '';
    expect(lines).toContain('Kvitteringer og hendelser');
    // A count alone on the right; a count with its amount as "label (n)  amount".
    expect(row('Salgskvitteringer')).toMatch(/ 3$/);
    expect(row('Foreløpige kvitteringer (2)')).toMatch(/80,00$/);
    expect(row('Skuff åpnet uten salg')).toMatch(/ 1$/);
    expect(row('Kontanter tatt ut (1)')).toMatch(/500,00$/);
    expect(row('Forventet')).toMatch(/1 200,00$/);
    expect(row('Differanse')).toMatch(/-5,00$/);
    // A report stored before the counts were kept prints none of them.
    const old = computeDayReport({ kind: 'X', day, generatedAt: '2026-03-02T12:00:00.000Z', till: { branchId: 'b', posId: 'p', currency: 'NOK' }, entries: [] });
    expect(layoutReport(toPrintedReport({ ...old, fiscal: undefined, cash: undefined }, REPORT.store, 'nb-NO'), SAMPLE_OPTIONS).map(layoutLineText)).not.toContain('Kvitteringer og hendelser');
  });
});

describe('spool jobs that are not receipts', () => {
  it('a report never kicks the drawer; a drawer job kicks once and not again after it may have gone out', () => {
    const base = { id: 'j', attempts: 0, mayHaveReachedPaper: false };
    expect(printPlan({ ...base, kind: 'report', report: REPORT })).toEqual({ copy: false, openDrawer: false });
    expect(printPlan({ ...base, kind: 'report', report: REPORT, mayHaveReachedPaper: true })).toEqual({ copy: true, openDrawer: false });
    expect(printPlan({ ...base, kind: 'drawer' })).toEqual({ copy: false, openDrawer: true });
    expect(printPlan({ ...base, kind: 'drawer', mayHaveReachedPaper: true })).toEqual({ copy: false, openDrawer: false });
  });

  it('the spool prints a report job through the same transport as receipts', async () => {
    const clock = { now: () => new Date('2026-03-02T12:00:00.000Z') };
    const printer = new FakePrinter();
    const job = { kind: 'report' as const, id: 'r1', report: REPORT, attempts: 0, mayHaveReachedPaper: false };
    let done = false;
    const worker = new PrintSpoolWorker({
      queue: { nextPending: () => (done ? undefined : job), markPrinting: () => undefined, markPrinted: () => void (done = true), markFailed: () => undefined },
      transport: printer,
      clock,
      layout: SAMPLE_OPTIONS,
    });
    expect(await worker.runOnce()).toMatchObject({ kind: 'printed', jobId: 'r1' });
    expect(decodeEscPos(Uint8Array.from(printer.recording.flatMap((b) => [...b]))).lines.map((l) => l.text).join('\n')).toContain('Z-RAPPORT');
  });
});
