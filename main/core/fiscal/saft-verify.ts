import { SAFT_NAMESPACE } from './saft-xml';
import { FIRST_PREVIOUS_SIGNATURE } from './signed-text';
import type { XmlEvent } from './xml-reader';

/**
 * Checks a SAF-T Cash Register file as it streams past (pure: the caller feeds it the reader's events and, to
 * check signatures, a function that verifies one with the public key). Structure: the root and namespace, the
 * header and company, each event's and transaction's required fields and formats, unique ids, event types declared
 * in `<basics>`, and each transaction's own arithmetic (lines add up to `transAmntIn`, its VAT to `transAmntIn -
 * transAmntEx`, its payments to `transAmntIn` plus rounding). Chain: per cash register, in file order, each
 * signature over `previous;transDate;transTime;nr;transAmntIn;transAmntEx` as written in the file.
 */
export type SaftProblem = { readonly where: string; readonly line: number; readonly problem: string };

export type SaftVerdict = {
  readonly ok: boolean;
  readonly transactions: number;
  readonly events: number;
  readonly registers: number;
  /** Signatures checked with a public key; 0 when no key was given (structure only). */
  readonly signaturesChecked: number;
  readonly unsigned: number;
  readonly problems: readonly SaftProblem[];
};

/** Returns true or false for a signature; undefined when there is no key to check it with. */
export type SignatureCheck = (text: string, signatureBase64: string, keyVersion: string) => boolean | undefined;

const MAX_PROBLEMS = 50;
const AMOUNT = /^-?\d+(\.\d{1,2})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
/** The text that the export puts in `headerComment` when the period's first transaction chains to an earlier one. */
export const CHAIN_FROM_MARK = 'previous signature: ';

function cents(text: string): number {
  const negative = text.startsWith('-');
  const [whole = '0', frac = ''] = text.replace('-', '').split('.');
  const value = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return negative ? -value : value;
}

type Tx = {
  line: number;
  fields: Map<string, string>;
  lineSum: number;
  lines: number;
  vatSum: number;
  vats: number;
  paySum: number;
  payments: number;
  rounding: number;
};

export class SaftChecker {
  private readonly path: string[] = [];
  private text = '';
  private readonly problems: SaftProblem[] = [];
  private transactions = 0;
  private events = 0;
  private registers = 0;
  private signaturesChecked = 0;
  private unsigned = 0;
  private seenHeader = false;
  private seenCompanyIdent = false;
  private chainFrom: string | undefined;
  private readonly basics = new Set<string>();
  private readonly eventTypes: { type: string; line: number; id: string }[] = [];
  private register = '';
  private previous = FIRST_PREVIOUS_SIGNATURE;
  private signedSeen = false;
  private readonly txIds = new Set<string>();
  private readonly eventIds = new Set<string>();
  private tx: Tx | undefined;
  private event: { line: number; fields: Map<string, string> } | undefined;

  constructor(private readonly check: SignatureCheck) {}

  private problem(where: string, line: number, problem: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ where, line, problem });
  }

  on(e: XmlEvent): void {
    switch (e.type) {
      case 'open':
        this.open(e.name, e.attributes, e.line);
        break;
      case 'text':
        this.text += e.text;
        break;
      case 'close':
        this.close(e.name, e.line);
        break;
    }
  }

  private open(name: string, attributes: Readonly<Record<string, string>>, line: number): void {
    if (this.path.length === 0) {
      if (name !== 'auditfile') this.problem('file', line, `the root element is <${name}>, not <auditfile>`);
      const ns = attributes['xmlns'];
      if (ns !== SAFT_NAMESPACE) this.problem('file', line, `the namespace is ${ns === undefined ? 'missing' : `"${ns}"`}, not "${SAFT_NAMESPACE}"`);
    }
    this.path.push(name);
    this.text = '';
    const parent = this.path.at(-2);
    if (name === 'cashtransaction') this.tx = { line, fields: new Map(), lineSum: 0, lines: 0, vatSum: 0, vats: 0, paySum: 0, payments: 0, rounding: 0 };
    else if (name === 'event' && parent === 'cashregister') this.event = { line, fields: new Map() };
    else if (name === 'cashregister') {
      this.registers++;
      this.register = '';
      // Each register has its own chain; the first link is "0", or the signature the header names.
      this.previous = this.chainFrom ?? FIRST_PREVIOUS_SIGNATURE;
      this.signedSeen = false;
      this.txIds.clear();
    } else if (name === 'header' && this.path.length === 2) this.seenHeader = true;
  }

  private close(name: string, line: number): void {
    const value = this.text.trim();
    this.text = '';
    const parent = this.path.at(-2);
    const grand = this.path.at(-3);
    if (name === 'headerComment' && parent === 'header') {
      const at = value.indexOf(CHAIN_FROM_MARK);
      if (at !== -1) this.chainFrom = value.slice(at + CHAIN_FROM_MARK.length).split(/\s/)[0];
    } else if (name === 'companyIdent' && parent === 'company') this.seenCompanyIdent = value !== '';
    else if (name === 'basicID' && parent === 'basic') this.basics.add(value);
    else if (name === 'registerID' && parent === 'cashregister') this.register = value;
    else if (this.event && parent === 'event' && grand === 'cashregister') this.event.fields.set(name, value);
    else if (this.tx && parent === 'cashtransaction') {
      if (name === 'vat' || name === 'payment' || name === 'ctLine' || name === 'rounding' || name === 'savings' || name === 'discount' || name === 'raise') {
        // containers: their amounts were taken below
      } else this.tx.fields.set(name, value);
    } else if (this.tx && grand === 'cashtransaction') {
      if (parent === 'ctLine' && name === 'lineAmntIn' && AMOUNT.test(value)) {
        this.tx.lineSum += cents(value);
        this.tx.lines++;
      } else if (parent === 'vat' && name === 'vatAmnt' && AMOUNT.test(value)) {
        this.tx.vatSum += cents(value);
        this.tx.vats++;
      } else if (parent === 'payment' && name === 'paidAmnt' && AMOUNT.test(value)) {
        this.tx.paySum += cents(value);
        this.tx.payments++;
      } else if (parent === 'rounding' && name === 'roundingAmnt' && AMOUNT.test(value)) this.tx.rounding += cents(value);
    }
    if (name === 'cashtransaction' && this.tx) {
      this.finishTransaction(this.tx);
      this.tx = undefined;
    } else if (name === 'event' && this.event && parent === 'cashregister') {
      this.finishEvent(this.event.fields, this.event.line);
      this.event = undefined;
    }
    this.path.pop();
    void line;
  }

  private finishEvent(f: Map<string, string>, line: number): void {
    this.events++;
    const id = f.get('eventID') ?? '';
    const where = `event ${id || '?'} (register ${this.register || '?'})`;
    for (const required of ['eventID', 'eventType', 'eventDate', 'eventTime']) if (!f.get(required)) this.problem(where, line, `<${required}> is missing or empty`);
    if (id !== '' && this.eventIds.has(id)) this.problem(where, line, `eventID ${id} is used twice`);
    this.eventIds.add(id);
    const date = f.get('eventDate');
    if (date !== undefined && !DATE.test(date)) this.problem(where, line, `eventDate "${date}" is not YYYY-MM-DD`);
    const time = f.get('eventTime');
    if (time !== undefined && !TIME.test(time)) this.problem(where, line, `eventTime "${time}" is not HH:MM:SS`);
    const type = f.get('eventType');
    if (type) this.eventTypes.push({ type, line, id });
  }

  private finishTransaction(tx: Tx): void {
    this.transactions++;
    const f = tx.fields;
    const nr = f.get('nr') ?? '';
    const where = `transaction ${nr || '?'} (register ${this.register || '?'}, line ${tx.line})`;
    const before = this.problems.length;
    for (const required of ['nr', 'transID', 'transAmntIn', 'transAmntEx', 'amntTp', 'transDate', 'transTime', 'signature', 'keyVersion']) {
      if (!f.get(required)) this.problem(where, tx.line, `<${required}> is missing or empty`);
    }
    const amountIn = f.get('transAmntIn') ?? '';
    const amountEx = f.get('transAmntEx') ?? '';
    for (const [name, v] of [['transAmntIn', amountIn], ['transAmntEx', amountEx]] as const) if (v !== '' && !AMOUNT.test(v)) this.problem(where, tx.line, `${name} "${v}" is not an amount`);
    const date = f.get('transDate') ?? '';
    const time = f.get('transTime') ?? '';
    if (date !== '' && !DATE.test(date)) this.problem(where, tx.line, `transDate "${date}" is not YYYY-MM-DD`);
    if (time !== '' && !TIME.test(time)) this.problem(where, tx.line, `transTime "${time}" is not HH:MM:SS`);
    const tp = f.get('amntTp');
    if (tp !== undefined && tp !== 'C' && tp !== 'D') this.problem(where, tx.line, `amntTp "${tp}" is neither C nor D`);
    if (nr !== '' && this.txIds.has(nr)) this.problem(where, tx.line, `nr ${nr} is used twice in this register`);
    this.txIds.add(nr);
    if (this.problems.length === before && AMOUNT.test(amountIn) && AMOUNT.test(amountEx)) {
      const total = cents(amountIn);
      if (tx.lines > 0 && tx.lineSum !== total) this.problem(where, tx.line, `its lines add up to ${(tx.lineSum / 100).toFixed(2)}, but transAmntIn is ${amountIn}`);
      if (tx.vats > 0 && tx.vatSum !== total - cents(amountEx)) this.problem(where, tx.line, `its VAT adds up to ${(tx.vatSum / 100).toFixed(2)}, but transAmntIn - transAmntEx is ${((total - cents(amountEx)) / 100).toFixed(2)}`);
      // Cash rounding (øreavrunding) is what was added to the amount due: the payments cover transAmntIn plus it.
      if (tx.payments > 0 && tx.paySum !== total + tx.rounding) this.problem(where, tx.line, `its payments add up to ${(tx.paySum / 100).toFixed(2)}, but transAmntIn plus rounding is ${((total + tx.rounding) / 100).toFixed(2)}`);
    }
    this.chain(f, where, tx.line, nr, amountIn, amountEx, date, time);
  }

  private chain(f: Map<string, string>, where: string, line: number, nr: string, amountIn: string, amountEx: string, date: string, time: string): void {
    const signature = f.get('signature') ?? '';
    const keyVersion = f.get('keyVersion') ?? '';
    if (keyVersion === '0') {
      // Made before the till had a signing key: allowed only before the first signed transaction.
      this.unsigned++;
      if (this.signedSeen) this.problem(where, line, 'it is unsigned (key version 0), but earlier transactions of this register are signed');
      return;
    }
    const text = `${this.previous};${date};${time};${nr};${amountIn};${amountEx}`;
    const verdict = this.check(text, signature, keyVersion);
    if (verdict !== undefined) {
      this.signaturesChecked++;
      if (!verdict) this.problem(where, line, 'its signature does not verify: its number, time or amounts, or the signature of the transaction before it, were changed');
    }
    this.signedSeen = true;
    this.previous = signature;
  }

  /** Call after the reader's `end()`. */
  result(): SaftVerdict {
    if (!this.seenHeader) this.problem('file', 1, 'there is no <header>');
    if (!this.seenCompanyIdent) this.problem('file', 1, 'there is no <company> with a <companyIdent>');
    for (const e of this.eventTypes) if (!this.basics.has(e.type)) this.problem(`event ${e.id}`, e.line, `eventType "${e.type}" is not declared in <basics>`);
    return {
      ok: this.problems.length === 0,
      transactions: this.transactions,
      events: this.events,
      registers: this.registers,
      signaturesChecked: this.signaturesChecked,
      unsigned: this.unsigned,
      problems: [...this.problems],
    };
  }
}
