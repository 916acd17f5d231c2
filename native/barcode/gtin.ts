import { gs1CheckDigit, hasValidCheckDigit } from './check-digit';
import type { GtinFormat } from './scan-result';
import { fail, type Failure } from './scan-result';

export type Gtin = { readonly ok: true; readonly format: GtinFormat; readonly gtin14: string; readonly restricted: boolean };

/**
 * UPC-E (8 digits: number system 0 or 1, six digits, check digit) expanded to its 12-digit UPC-A, or
 * undefined when it is not a UPC-E shape. The check digit of a UPC-E is that of the UPC-A it stands for.
 */
export function expandUpcE(code: string): string | undefined {
  if (!/^[01]\d{7}$/.test(code)) return undefined;
  const ns = code[0] as string;
  const d = code.slice(1, 7);
  const check = code[7] as string;
  const last = Number(d[5]);
  let body: string;
  if (last <= 2) body = `${d.slice(0, 2)}${last}0000${d.slice(2, 5)}`;
  else if (last === 3) body = `${d.slice(0, 3)}00000${d.slice(3, 5)}`;
  else if (last === 4) body = `${d.slice(0, 4)}00000${d[4] as string}`;
  else body = `${d.slice(0, 5)}0000${last}`;
  return `${ns}${body}${check}`;
}

/** Zero-suppresses a UPC-A back to UPC-E when it can be; the inverse of `expandUpcE`. */
export function compressUpcA(upcA: string): string | undefined {
  if (!/^[01]\d{11}$/.test(upcA)) return undefined;
  const ns = upcA[0] as string;
  const m = upcA.slice(1, 6);
  const p = upcA.slice(6, 11);
  const check = upcA[11] as string;
  let six: string | undefined;
  if (/^\d\d[012]00$/.test(m) && /^00\d{3}$/.test(p)) six = `${m.slice(0, 2)}${p.slice(2)}${m[2] as string}`;
  else if (/^\d{3}00$/.test(m) && /^000\d\d$/.test(p)) six = `${m.slice(0, 3)}${p.slice(3)}3`;
  else if (/^\d{4}0$/.test(m) && /^0000\d$/.test(p)) six = `${m.slice(0, 4)}${p[4] as string}4`;
  else if (/^\d{4}[1-9]$/.test(m) && /^0000[5-9]$/.test(p)) six = `${m}${p[4] as string}`;
  return six === undefined ? undefined : `${ns}${six}${check}`;
}

/** GS1 prefixes whose GTIN-13s are for internal use: 02 and 20-29 variable measure, 04 store-internal. */
function isRestricted(gtin14: string): boolean {
  const ean13 = gtin14.slice(1);
  return /^(0[24]|2\d)/.test(ean13);
}

const FORMAT_BY_LENGTH: Readonly<Record<number, GtinFormat>> = { 8: 'ean8', 12: 'upca', 13: 'ean13', 14: 'gtin14' };

/**
 * Validates a GTIN written with 8, 12, 13 or 14 digits and normalises it to GTIN-14. `hint` is what the
 * symbology identifier said, when it said: an 8-digit code from a UPC/EAN scan without the EAN-8 identifier is
 * a UPC-E, and a 14-digit code from an ITF scan is an ITF-14.
 */
export function parseGtin(digits: string, hint: 'upce' | 'ean8' | 'itf' | undefined): Gtin | Failure {
  if (!/^\d+$/.test(digits)) return fail('bad-value', `"${digits}" is not all digits`);
  if (digits.length === 8 && hint !== 'ean8') {
    const upcA = expandUpcE(digits);
    // Without a symbology identifier an 8-digit code is read as EAN-8 first; UPC-E only if EAN-8 fails.
    if (upcA !== undefined && (hint === 'upce' || !hasValidCheckDigit(digits))) {
      if (!hasValidCheckDigit(upcA)) return fail('check-digit', `UPC-E ${digits} expands to ${upcA}, whose check digit should be ${gs1CheckDigit(upcA.slice(0, -1))}`);
      const gtin14 = upcA.padStart(14, '0');
      return { ok: true, format: 'upce', gtin14, restricted: isRestricted(gtin14) };
    }
  }
  const format = FORMAT_BY_LENGTH[digits.length];
  if (format === undefined) return fail('bad-value', `${digits.length} digits is not a GTIN length`);
  if (!hasValidCheckDigit(digits)) {
    return fail('check-digit', `${digits}: check digit should be ${gs1CheckDigit(digits.slice(0, -1))}`);
  }
  const gtin14 = digits.padStart(14, '0');
  const finalFormat: GtinFormat = format === 'gtin14' && hint === 'itf' ? 'itf14' : format;
  return { ok: true, format: finalFormat, gtin14, restricted: isRestricted(gtin14) };
}
