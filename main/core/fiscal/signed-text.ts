import { currencyExponent } from '../sale/currency';

/**
 * What a SAF-T Cash Register transaction's signature covers. The Tax Administration's signature validator
 * (Skatteetaten/saf-t, `Digital Signature Validator/validator.js`, the text format it checks before signing)
 * takes six fields joined by ";": the previous transaction's signature (the text "0" for the first one of a
 * till), `transDate` (YYYY-MM-DD), `transTime` (HH:MM:SS), `nr`, `transAmntIn` and `transAmntEx` (decimals with a
 * point and two decimals, negative for a return). The text is signed with RSA-SHA1 (PKCS #1 v1.5, 1024-bit key)
 * and the signature written as base64 into `<signature>`, with `<keyVersion>` naming the key.
 */
export type SignedFields = {
  readonly previousSignature: string;
  readonly transDate: string;
  readonly transTime: string;
  readonly nr: string;
  /** Minor units, VAT included; negative for a void or refund. */
  readonly amountIn: number;
  /** Minor units, VAT excluded. */
  readonly amountEx: number;
  readonly currency: string;
};

/** The first transaction of a till links to this instead of a signature (the validator accepts "0"). */
export const FIRST_PREVIOUS_SIGNATURE = '0';

export class FiscalFormatError extends Error {
  override readonly name = 'FiscalFormatError';
}

/** Minor units as SAF-T's `Amount2decimals`: "-16.40", "86.40", "0.00". */
export function saftAmount(minorUnits: number, currency: string): string {
  if (!Number.isSafeInteger(minorUnits)) throw new FiscalFormatError(`Not a whole number of minor units: ${String(minorUnits)}`);
  const exp = currencyExponent(currency);
  // SAF-T amounts have two decimals; a currency without minor units gets ".00", one with more is not supported.
  const cents = exp === 0 ? minorUnits * 100 : minorUnits;
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

export function signedText(f: SignedFields): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(f.transDate)) throw new FiscalFormatError(`transDate must be YYYY-MM-DD, got "${f.transDate}"`);
  if (!/^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d$/.test(f.transTime)) throw new FiscalFormatError(`transTime must be HH:MM:SS, got "${f.transTime}"`);
  if (f.nr.length === 0 || f.nr.length > 35 || f.nr.includes(';')) throw new FiscalFormatError(`nr must be 1 to 35 characters without ";", got "${f.nr}"`);
  if (f.previousSignature.length === 0 || f.previousSignature.includes(';')) throw new FiscalFormatError('The previous signature must not be empty or contain ";".');
  return [f.previousSignature, f.transDate, f.transTime, f.nr, saftAmount(f.amountIn, f.currency), saftAmount(f.amountEx, f.currency)].join(';');
}

/**
 * The local date and time of an instant in a time zone, as SAF-T writes them (`xsd:date`, `xsd:time` without
 * an offset: the till's wall clock, which is what the receipt shows).
 */
export function localDateTime(iso: string, timeZone: string): { date: string; time: string } {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new FiscalFormatError(`Not a time: "${iso}"`);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}:${get('second')}` };
}

/**
 * The UTC instant (ISO 8601) at which a local date starts in a time zone: the export's period bounds. Found by
 * asking the zone's offset at the naive instant and once more at the corrected one (a DST change at midnight).
 */
export function zonedMidnightIso(date: string, timeZone: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) throw new FiscalFormatError(`Not a date (YYYY-MM-DD): "${date}"`);
  const naive = Date.parse(`${date}T00:00:00Z`);
  const offsetAt = (t: number): number => {
    const { date: d, time } = localDateTime(new Date(t).toISOString(), timeZone);
    return Date.parse(`${d}T${time}Z`) - t;
  };
  let at = naive - offsetAt(naive);
  at = naive - offsetAt(at);
  return new Date(at).toISOString();
}

/** The day after a local date, as YYYY-MM-DD. */
export function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
