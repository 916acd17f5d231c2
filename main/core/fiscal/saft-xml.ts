import { allocate, minor } from '../money';
import { type EntryKind, LINE_BASICS, paymentBasic, standardVatCode, transactionBasic } from './saft-codes';
import { saftAmount } from './signed-text';

/**
 * SAF-T Cash Register XML (namespace and element order of `Norwegian_SAF-T_Cash_Register_Schema_v_1.00.xsd`,
 * Skatteetaten/saf-t), one piece at a time so the export can stream: the caller writes `auditfileOpen`, the master
 * data, `registerOpen`, every event, every transaction, then `auditfileClose`. Pure: strings in, strings out.
 */
export const SAFT_NAMESPACE = 'urn:StandardAuditFile-Taxation-CashRegister:NO';

export function xmlText(value: string): string {
  // Characters XML 1.0 cannot carry at all are dropped (a control character pasted into an item name).
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<name>text</name>`, with text cut to the schema's maximum length in characters. */
function el(name: string, value: string | number, max?: number): string {
  const text = String(value);
  const cut = max !== undefined && [...text].length > max ? [...text].slice(0, max).join('') : text;
  return `<${name}>${xmlText(cut)}</${name}>`;
}

function opt(name: string, value: string | number | undefined, max?: number): string {
  return value === undefined || value === '' ? '' : el(name, value, max);
}

export type SaftHeader = {
  readonly fiscalYear: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly currency: string;
  readonly createdDate: string;
  readonly createdTime: string;
  readonly softwareVersion: string;
  readonly comment?: string;
};

export type SaftCompany = {
  readonly orgNumber: string;
  readonly name: string;
  readonly vatRegistered: boolean;
};

export type SaftVatCode = { readonly rateBp: number; readonly since: string };
export type SaftEmployee = { readonly id: string; readonly since: string; readonly sinceTime: string };
export type SaftArticle = { readonly id: string; readonly since: string; readonly groupId: string; readonly description: string };
export type SaftBasic = { readonly type: string; readonly id: string; readonly predefined?: string; readonly desc: string };
export type SaftLocation = { readonly name: string; readonly addressLines: readonly string[]; readonly registerId: string; readonly registerDesc: string };

export function vatCodeOf(rateBp: number): string {
  return String(rateBp / 100);
}

function vatPercent(rateBp: number): string {
  return `${Math.floor(rateBp / 100)}.${String(rateBp % 100).padStart(2, '0')}`;
}

export function auditfileOpen(h: SaftHeader): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<auditfile xmlns="${SAFT_NAMESPACE}">\n<header>` +
    el('fiscalYear', h.fiscalYear) +
    el('startDate', h.startDate) +
    el('endDate', h.endDate) +
    el('curCode', h.currency) +
    el('dateCreated', h.createdDate) +
    el('timeCreated', h.createdTime) +
    el('softwareDesc', 'till-agent') +
    el('softwareVersion', h.softwareVersion, 20) +
    el('softwareCompanyName', 'till-agent team') +
    el('auditfileVersion', '1.0') +
    opt('headerComment', h.comment, 999) +
    '</header>\n'
  );
}

/** The company and its master data, up to and including the opening of the one location and cash register. */
export function masterData(
  c: SaftCompany,
  vat: readonly SaftVatCode[],
  employees: readonly SaftEmployee[],
  articles: Iterable<SaftArticle>,
  basics: readonly SaftBasic[],
  loc: SaftLocation,
): string {
  const parts: string[] = ['<company>', el('companyIdent', c.orgNumber, 35), el('companyName', c.name, 100), el('taxRegistrationCountry', 'NO')];
  if (c.vatRegistered) parts.push(el('taxRegIdent', `${c.orgNumber}MVA`, 50));
  if (vat.length > 0) {
    parts.push('<vatCodeDetails>');
    for (const v of vat) {
      parts.push(`<vatCodeDetail>${el('vatCode', vatCodeOf(v.rateBp))}${el('dateOfEntry', v.since)}${el('vatDesc', `VAT ${vatPercent(v.rateBp)} %`)}${el('standardVatCode', standardVatCode(v.rateBp))}</vatCodeDetail>`);
    }
    parts.push('</vatCodeDetails>');
  }
  if (employees.length > 0) {
    parts.push('<employees>');
    // Only the operator id is known: it stands as the surname (required), and no personal data is added.
    for (const e of employees) parts.push(`<employee>${el('empID', e.id, 35)}${el('dateOfEntry', e.since)}${el('timeOfEntry', e.sinceTime)}${el('surName', e.id, 100)}</employee>`);
    parts.push('</employees>');
  }
  parts.push('<articles>');
  for (const a of articles) parts.push(`<article>${el('artID', a.id, 35)}${el('dateOfEntry', a.since)}${el('artGroupID', a.groupId, 35)}${el('artDesc', a.description, 999)}</article>`);
  parts.push('</articles>');
  parts.push('<basics>');
  for (const b of basics) parts.push(`<basic>${el('basicType', b.type)}${el('basicID', b.id, 35)}${opt('predefinedBasicID', b.predefined)}${el('basicDesc', b.desc, 999)}</basic>`);
  parts.push('</basics>');
  parts.push('<location>', el('name', loc.name, 100));
  if (loc.addressLines.length > 0) {
    parts.push(`<streetAddress>${el('streetname', loc.addressLines[0] ?? '', 100)}${opt('additionalAddressDetails', loc.addressLines.slice(1).join(', '), 100)}</streetAddress>`);
  }
  parts.push('<cashregister>', el('registerID', loc.registerId, 35), el('regDesc', loc.registerDesc, 999));
  return `${parts.join('\n')}\n`;
}

export type SaftEvent = {
  readonly id: number;
  readonly basicId: string;
  readonly saleNo?: number | undefined;
  readonly operatorId?: string | undefined;
  readonly date: string;
  readonly time: string;
  readonly text?: string | undefined;
};

export function eventXml(e: SaftEvent): string {
  return `<event>${el('eventID', e.id)}${el('eventType', e.basicId)}${opt('transID', e.saleNo)}${opt('empID', e.operatorId, 35)}${el('eventDate', e.date)}${el('eventTime', e.time)}${opt('eventText', e.text, 999)}</event>\n`;
}

export type SaftLine = {
  readonly lineId: number;
  readonly itemId: string;
  readonly groupId: string;
  readonly description: string;
  readonly quantityMilli: number;
  readonly unitPriceMinor: number;
  readonly vatRateBp: number;
  /** What was paid for the line, VAT included, after its discounts; negative on a void or refund. */
  readonly netMinor: number;
  readonly discountMinor: number;
};

export type SaftPayment = { readonly tenderKind: string; readonly appliedMinor: number; readonly reference?: string | undefined };

export type SaftTransaction = {
  readonly kind: EntryKind;
  readonly saleNo: number;
  readonly receiptId: string;
  readonly refersToSaleNo?: number | undefined;
  readonly operatorId: string;
  readonly date: string;
  readonly time: string;
  readonly currency: string;
  readonly netMinor: number;
  readonly vatMinor: number;
  readonly vatByRate: readonly { readonly rateBp: number; readonly vat: number; readonly net: number }[];
  readonly lines: readonly SaftLine[];
  /**
   * Cash paid: `appliedMinor` is the cash taken or paid back (the cash rounding included), as the official example
   * file does (transAmntIn 295.40, rounding -0.40, CASH paidAmnt 295.00).
   */
  readonly payments: readonly SaftPayment[];
  /** The cash rounding, signed as the payments (negative on a void or refund); 0 or absent: no `<rounding>`. */
  readonly roundingMinor?: number;
  readonly signature: string;
  readonly keyVersion: number;
  readonly receipts: number;
  readonly copies: number;
  readonly provisional: number;
  readonly training: boolean;
};

const tp = (amount: number): string => (amount < 0 ? 'D' : 'C');

function quantity(milli: number): string {
  const sign = milli < 0 ? '-' : '';
  const abs = Math.abs(milli);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}

/**
 * One `<cashtransaction>`. `transAmntIn`/`transAmntEx` are exactly what was signed (the sale's net and net minus
 * VAT). Each rate's VAT is spread over that rate's lines in proportion to their amounts, so the lines' VAT adds up
 * to the transaction's exactly (one rounding per rate, as the sale computed it).
 */
export function transactionXml(t: SaftTransaction): string {
  const a = (m: number): string => saftAmount(m, t.currency);
  const nr = String(t.saleNo);
  const lineVat = new Map<number, number>();
  for (const v of t.vatByRate) {
    const lines = t.lines.filter((l) => l.vatRateBp === v.rateBp);
    const shares = allocate(minor(v.vat), lines.map((l) => Math.abs(l.netMinor)));
    lines.forEach((l, i) => lineVat.set(l.lineId, shares[i] ?? 0));
  }
  const lineType = t.kind === 'sale' ? LINE_BASICS.sale.basicId : LINE_BASICS.return.basicId;
  const parts: string[] = [
    '<cashtransaction>',
    el('nr', nr),
    el('transID', nr),
    el('transType', transactionBasic(t.kind).basicId),
    el('transAmntIn', a(t.netMinor)),
    el('transAmntEx', a(t.netMinor - t.vatMinor)),
    el('amntTp', tp(t.netMinor)),
    el('empID', t.operatorId, 35),
    el('transDate', t.date),
    el('transTime', t.time),
    opt('refID', t.refersToSaleNo),
    el('desc', t.receiptId, 9999),
  ];
  for (const l of t.lines) {
    const vat = lineVat.get(l.lineId) ?? 0;
    parts.push(
      `<ctLine>${el('nr', nr)}${el('lineID', l.lineId)}${el('lineType', lineType)}${el('artGroupID', l.groupId, 35)}${el('artID', l.itemId, 35)}` +
        `${el('qnt', quantity(l.quantityMilli))}${el('lineAmntIn', a(l.netMinor))}${el('lineAmntEx', a(l.netMinor - vat))}${el('amntTp', tp(l.netMinor))}` +
        `${el('ppu', a(l.unitPriceMinor))}${el('empID', t.operatorId, 35)}${el('cashTransLineDescr', l.description, 9999)}${el('lineDate', t.date)}${el('lineTime', t.time)}` +
        `<vat>${el('vatCode', vatCodeOf(l.vatRateBp))}${el('vatPerc', vatPercent(l.vatRateBp))}${el('vatAmnt', a(vat))}${el('vatAmntTp', tp(vat))}${el('vatBasAmnt', a(l.netMinor - vat))}</vat>` +
        `${l.discountMinor !== 0 ? `<discount>${el('dscTp', 'DISCOUNT')}${el('dscAmnt', a(l.discountMinor))}</discount>` : ''}</ctLine>`,
    );
  }
  for (const v of t.vatByRate) {
    parts.push(`<vat>${el('vatCode', vatCodeOf(v.rateBp))}${el('vatPerc', vatPercent(v.rateBp))}${el('vatAmnt', a(v.vat))}${el('vatAmntTp', tp(v.vat))}${el('vatBasAmnt', a(v.net))}</vat>`);
  }
  // The XSD's place: after the transaction's vat, before its payments (element order matters).
  if (t.roundingMinor !== undefined && t.roundingMinor !== 0) parts.push(`<rounding>${el('roundingAmnt', a(t.roundingMinor))}</rounding>`);
  for (const p of t.payments) {
    parts.push(`<payment>${el('paymentType', paymentBasic(p.tenderKind).basicId)}${el('paidAmnt', a(p.appliedMinor))}${el('empID', t.operatorId, 35)}${el('curCode', t.currency)}${opt('paymentRefID', p.reference, 999)}</payment>`);
  }
  parts.push(
    el('signature', t.signature),
    el('keyVersion', t.keyVersion),
    el('receiptNum', Math.min(t.receipts, 999)),
    el('receiptCopyNum', Math.min(t.copies, 999)),
    el('receiptProformaNum', Math.min(t.provisional, 999)),
    el('receiptDeliveryNum', 0),
    el('voidTransaction', t.kind === 'void' ? 'true' : 'false'),
    el('trainingID', t.training ? 'true' : 'false'),
    '</cashtransaction>',
  );
  return `${parts.join('')}\n`;
}

export function auditfileClose(): string {
  return '</cashregister>\n</location>\n</company>\n</auditfile>\n';
}
