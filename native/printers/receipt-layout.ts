import { sub, ZERO } from '../../main/core/money';
import { assertNever } from '../../main/core/errors';
import { toPrintable, type ReceiptCodePage } from './code-pages';
import { LOGO_HEIGHT, LOGO_WIDTH } from './logo';
import type { ReceiptDocument, ReceiptLine, VatSummaryRow } from './receipt-document';
import { createReceiptFormat, type ReceiptFormat } from './receipt-format';

/** Characters per line in font A: 32 on 58 mm paper, 42 or 48 on 80 mm paper (printers differ). */
export type ReceiptColumns = 32 | 42 | 48;

export type PaperWidthMm = 58 | 80;

/** The usual column count for a paper width; 80 mm printers with a 512-dot head want 42 instead. */
export function columnsForPaper(widthMm: PaperWidthMm): ReceiptColumns {
  return widthMm === 58 ? 32 : 48;
}

/**
 * One printed line. Text lines are already laid out to the column width (padding included, no trailing
 * spaces), so both back ends draw them as they are and cannot disagree about wrapping.
 */
export type LayoutLine =
  | { readonly kind: 'text'; readonly text: string; readonly bold: boolean; readonly double: boolean }
  | { readonly kind: 'logo' }
  | { readonly kind: 'qr'; readonly value: string }
  | { readonly kind: 'barcode'; readonly value: string };

export type ReceiptLabels = {
  readonly copy: string;
  readonly receipt: string;
  readonly cashier: string;
  readonly orgNumber: string;
  readonly total: string;
  readonly saved: string;
  readonly change: string;
  readonly rounding: string;
  readonly vatRate: string;
  readonly vatNet: string;
  readonly vatAmount: string;
  readonly vatGross: string;
  readonly pointsEarned: string;
  readonly pointsBalance: string;
  readonly void: string;
  readonly refund: string;
  /** Followed by the receipt id the correction refers to. */
  readonly refersTo: string;
  readonly salesReceipt: string;
  readonly returnReceipt: string;
  readonly voidReceipt: string;
  readonly provisionalReceipt: string;
  readonly training: string;
  readonly register: string;
  readonly vatSuffix: string;
};

export const ENGLISH_LABELS: ReceiptLabels = {
  copy: 'COPY',
  receipt: 'Receipt',
  cashier: 'Served by',
  orgNumber: 'Org. no.',
  total: 'TOTAL',
  saved: 'You saved',
  change: 'Change',
  rounding: 'Rounding',
  vatRate: 'VAT',
  vatNet: 'Net',
  vatAmount: 'VAT amt',
  vatGross: 'Gross',
  pointsEarned: 'Points earned',
  pointsBalance: 'Points balance',
  void: 'VOID',
  refund: 'REFUND',
  refersTo: 'For receipt',
  salesReceipt: 'Sales receipt',
  returnReceipt: 'Return receipt',
  voidReceipt: 'Void receipt',
  provisionalReceipt: 'Provisional receipt - not valid as a receipt',
  training: 'TRAINING - not valid as a receipt',
  register: 'Till',
  vatSuffix: 'VAT',
};

export const NORWEGIAN_LABELS: ReceiptLabels = {
  copy: 'KOPI',
  receipt: 'Kvittering',
  cashier: 'Betjent av',
  orgNumber: 'Org.nr.',
  total: 'TOTALT',
  saved: 'Du sparte',
  change: 'Tilbake',
  rounding: 'Øreavrunding',
  vatRate: 'MVA',
  vatNet: 'Grunnlag',
  vatAmount: 'MVA kr',
  vatGross: 'Sum',
  pointsEarned: 'Opptjente poeng',
  pointsBalance: 'Poengsaldo',
  void: 'ANNULLERING',
  refund: 'RETUR',
  refersTo: 'Gjelder kvittering',
  // Titles as the regulation names them (kassasystemforskrifta §§ 2-8-4 to 2-8-7; docs/fiscal-no.md).
  salesReceipt: 'Salgskvittering',
  returnReceipt: 'Returkvittering',
  voidReceipt: 'Annulleringskvittering',
  provisionalReceipt: 'Foreløpig kvittering – ikke gyldig som kvittering',
  training: 'TRENINGSKVITTERING – ikke gyldig som kvittering',
  register: 'Kasse',
  vatSuffix: 'MVA',
};

export const SPANISH_LABELS: ReceiptLabels = {
  copy: 'COPIA',
  receipt: 'Ticket',
  cashier: 'Le atendió',
  orgNumber: 'NIF',
  total: 'TOTAL',
  saved: 'Ahorro',
  change: 'Cambio',
  rounding: 'Redondeo',
  vatRate: 'IVA',
  vatNet: 'Base',
  vatAmount: 'Cuota',
  vatGross: 'Total',
  pointsEarned: 'Puntos ganados',
  pointsBalance: 'Saldo de puntos',
  void: 'ANULACIÓN',
  refund: 'DEVOLUCIÓN',
  refersTo: 'Del ticket',
  salesReceipt: 'Ticket de venta',
  returnReceipt: 'Ticket de devolución',
  voidReceipt: 'Ticket de anulación',
  provisionalReceipt: 'Ticket provisional - no válido como ticket',
  training: 'FORMACIÓN - no válido como ticket',
  register: 'Caja',
  vatSuffix: 'IVA',
};

export type ReceiptLayoutOptions = {
  readonly columns: ReceiptColumns;
  readonly locale: string;
  readonly currency: string;
  readonly timeZone: string;
  /** Text the code page lacks turns into "?" here, as the printer would print it. */
  readonly codePage: ReceiptCodePage;
  readonly labels?: ReceiptLabels;
  /** Print the logo at the top. */
  readonly logo?: boolean;
  /** How the receipt id is printed for scanning at returns: QR (default), Code 128, or not at all. */
  readonly code?: 'qr' | 'code128' | 'none';
};

/** The text a line shows, the same for paper and screen: blocks show as a bracketed placeholder. */
export function layoutLineText(line: LayoutLine): string {
  switch (line.kind) {
    case 'text':
      return line.text;
    case 'logo':
      return `[image ${LOGO_WIDTH}x${LOGO_HEIGHT}]`;
    case 'qr':
      return `[qr ${line.value}]`;
    case 'barcode':
      return `[barcode ${line.value}]`;
    default:
      return assertNever(line);
  }
}

const length = (text: string): number => [...text].length;

function spaces(n: number): string {
  return ' '.repeat(Math.max(0, n));
}

/** Splits text into lines of at most `width` characters at spaces; words longer than a line are cut. */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let rest = word;
    while (length(rest) > width) {
      if (current !== '') {
        out.push(current);
        current = '';
      }
      const chars = [...rest];
      out.push(chars.slice(0, width).join(''));
      rest = chars.slice(width).join('');
    }
    if (rest === '') continue;
    if (current === '') current = rest;
    else if (length(current) + 1 + length(rest) <= width) current += ` ${rest}`;
    else {
      out.push(current);
      current = rest;
    }
  }
  if (current !== '' || out.length === 0) out.push(current);
  return out;
}

/**
 * A row with `left` flush left (after `indent` spaces) and `right` flush right; a long `left` wraps onto
 * further rows at the same indent, and `right` stays on the first row.
 */
export function leftRight(left: string, right: string, width: number, indent = 0): string[] {
  const pad = spaces(indent);
  const room = width - length(right) - 1 - indent;
  if (room < 1) return [...wrapText(left, width - indent).map((r) => pad + r), spaces(width - length(right)) + right];
  const [first = '', ...rest] = wrapText(left, room);
  const firstRow = pad + first + spaces(room + 1 - length(first)) + right;
  return [firstRow, ...wrapText(rest.join(' '), width - indent).filter((r) => r !== '').map((r) => pad + r)];
}

export function centre(text: string, width: number): string[] {
  return wrapText(text, width).map((row) => (spaces(Math.floor((width - length(row)) / 2)) + row).trimEnd());
}

/** Cells right-aligned in equal columns, the first left-aligned; undefined when a cell does not fit. */
function tableRow(cells: readonly string[], width: number): string | undefined {
  const col = Math.floor(width / cells.length);
  let row = '';
  for (const [i, cell] of cells.entries()) {
    if (length(cell) > col - (i === 0 ? 0 : 1)) return undefined;
    row += i === 0 ? cell + spaces(col - length(cell)) : spaces(col - length(cell)) + cell;
  }
  return row.trimEnd();
}

export class Lines {
  readonly out: LayoutLine[] = [];
  constructor(
    readonly width: number,
    private readonly codePage: ReceiptCodePage,
  ) {}

  text(text: string, style: { bold?: boolean; double?: boolean } = {}): void {
    this.out.push({ kind: 'text', text: text.trimEnd(), bold: style.bold ?? false, double: style.double ?? false });
  }

  printable(text: string): string {
    return toPrintable(text, this.codePage);
  }

  blank(): void {
    this.text('');
  }

  rule(): void {
    this.text('-'.repeat(this.width));
  }

  /** Big centred text when it fits on one double-width line, otherwise bold at normal size. */
  headline(text: string): void {
    const half = Math.floor(this.width / 2);
    if (length(text) <= half) this.text(centre(text, half)[0] ?? '', { bold: true, double: true });
    else for (const row of centre(text, this.width)) this.text(row, { bold: true });
  }

  /** `left ... right` in double size when it fits in half the columns, otherwise bold at normal size. */
  bigLeftRight(left: string, right: string): void {
    const half = Math.floor(this.width / 2);
    if (length(left) + 1 + length(right) <= half) this.text(leftRight(left, right, half)[0] ?? '', { bold: true, double: true });
    else for (const row of leftRight(left, right, this.width)) this.text(row, { bold: true });
  }
}

function itemLines(lines: Lines, item: ReceiptLine, format: ReceiptFormat): void {
  const left = lines.printable(`${format.quantity(item.quantity)} x ${item.name}`);
  for (const row of leftRight(left, format.amount(item.amount), lines.width)) lines.text(row);
  for (const discount of item.discounts) {
    const rows = leftRight(lines.printable(discount.text), format.amount(sub(ZERO, discount.amount)), lines.width, 2);
    for (const row of rows) lines.text(row);
  }
}

function vatLines(lines: Lines, rows: readonly VatSummaryRow[], format: ReceiptFormat, labels: ReceiptLabels): void {
  const header = [labels.vatRate, labels.vatNet, labels.vatAmount, labels.vatGross].map((l) => lines.printable(l));
  const body = rows.map((r) => [format.percent(r.ratePercent), format.amount(r.net), format.amount(r.vat), format.amount(r.gross)]);
  const table = [header, ...body].map((cells) => tableRow(cells, lines.width));
  if (table.every((row): row is string => row !== undefined)) {
    for (const row of table) lines.text(row);
    return;
  }
  // Too narrow for a table (58 mm with large amounts): one block per rate.
  for (const [i, r] of rows.entries()) {
    const cells = body[i] ?? [];
    lines.text(`${header[0] ?? ''} ${format.percent(r.ratePercent)}`);
    for (const k of [1, 2, 3]) for (const row of leftRight(header[k] ?? '', cells[k] ?? '', lines.width, 2)) lines.text(row);
  }
}

/**
 * Lays out a receipt: a pure function from the document to lines, shared by the printer and the preview.
 * Order: logo, store, COPY, sale facts, items with their discounts, total, tenders and change, VAT per rate,
 * loyalty points, the receipt id as code and text, footer, and COPY again so a torn-off copy still says so.
 */
export function layoutReceipt(doc: ReceiptDocument, options: ReceiptLayoutOptions): LayoutLine[] {
  const labels = options.labels ?? ENGLISH_LABELS;
  const format = createReceiptFormat(options);
  const lines = new Lines(options.columns, options.codePage);
  const p = (text: string): string => lines.printable(text);
  const width = options.columns;

  if (options.logo === true) lines.out.push({ kind: 'logo' });
  lines.headline(p(doc.store.name));
  for (const address of doc.store.addressLines) for (const row of centre(p(address), width)) lines.text(row);
  if (doc.store.orgNumber !== undefined) {
    const org = `${labels.orgNumber} ${doc.store.orgNumber}${doc.store.vatRegistered === true ? ` ${labels.vatSuffix}` : ''}`;
    for (const row of centre(p(org), width)) lines.text(row);
  }
  if (doc.store.registerId !== undefined) for (const row of centre(p(`${labels.register} ${doc.store.registerId}`), width)) lines.text(row);
  lines.blank();
  const title = doc.title === undefined ? undefined : { sale: labels.salesReceipt, return: labels.returnReceipt, void: labels.voidReceipt, provisional: labels.provisionalReceipt }[doc.title];
  if (title !== undefined) lines.headline(p(title));
  if (doc.training === true) lines.headline(p(labels.training));
  if (title !== undefined || doc.training === true) lines.blank();
  if (doc.copy) {
    lines.headline(p(labels.copy));
    lines.blank();
  }
  if (doc.correction !== undefined) {
    // A void or refund must never pass for a sale: say so in large type (the regulation's title does, when
    // the document has one) and name the sale it corrects.
    if (title === undefined) lines.headline(p(doc.correction.kind === 'void' ? labels.void : labels.refund));
    if (doc.correction.refersTo !== undefined) for (const row of centre(p(`${labels.refersTo} ${doc.correction.refersTo}`), width)) lines.text(row);
    lines.blank();
  }
  for (const row of leftRight(p(`${labels.receipt} ${doc.receiptId}`), format.dateTime(doc.issuedAt), width)) lines.text(row);
  if (doc.cashier !== undefined) for (const row of wrapText(p(`${labels.cashier} ${doc.cashier}`), width)) lines.text(row);
  lines.rule();

  for (const item of doc.lines) itemLines(lines, item, format);
  lines.rule();

  lines.bigLeftRight(p(labels.total), format.money(doc.total));
  if (doc.discountTotal !== undefined && doc.discountTotal > 0) {
    for (const row of leftRight(p(labels.saved), format.money(doc.discountTotal), width)) lines.text(row);
  }
  // The cash rounding is its own line, between the total and what was handed over (docs/ledger.md).
  if (doc.rounding !== undefined && doc.rounding !== 0) for (const row of leftRight(p(labels.rounding), format.amount(doc.rounding), width)) lines.text(row);
  lines.blank();
  for (const tender of doc.tenders) for (const row of leftRight(p(tender.label), format.amount(tender.amount), width)) lines.text(row);
  if (doc.change !== 0) for (const row of leftRight(p(labels.change), format.amount(doc.change), width)) lines.text(row);

  if (doc.vat.length > 0) {
    lines.rule();
    vatLines(lines, doc.vat, format, labels);
  }

  if (doc.loyalty !== undefined) {
    lines.rule();
    for (const row of leftRight(p(labels.pointsEarned), format.integer(doc.loyalty.pointsEarned), width)) lines.text(row);
    for (const row of leftRight(p(labels.pointsBalance), format.integer(doc.loyalty.balance), width)) lines.text(row);
  }
  lines.rule();

  const code = options.code ?? 'qr';
  const id = p(doc.receiptId);
  switch (code) {
    case 'qr':
      lines.out.push({ kind: 'qr', value: id });
      break;
    case 'code128':
      lines.out.push({ kind: 'barcode', value: id });
      break;
    case 'none':
      break;
    default:
      assertNever(code);
  }
  for (const row of centre(id, width)) lines.text(row);
  if (doc.footer.length > 0) lines.blank();
  for (const footer of doc.footer) for (const row of centre(p(footer), width)) lines.text(row);
  if (doc.copy) {
    lines.blank();
    lines.headline(p(labels.copy));
  }
  if (doc.training === true) {
    lines.blank();
    lines.headline(p(labels.training));
  }
  return lines.out;
}
