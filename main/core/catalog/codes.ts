/**
 * Item codes: GTINs (EAN-8, UPC-A, EAN-13, GTIN-14) and in-store codes (PLUs, the item part of an in-store
 * price or weight barcode). A GTIN is stored and looked up as 14 digits, so an EAN-13 in the catalog matches
 * the same product scanned as UPC-A, EAN-13 or ITF-14 (the barcode layer reports GTIN-14).
 */

const GTIN_LENGTHS = new Set([8, 12, 13, 14]);
const IN_STORE_CODE = /^[A-Za-z0-9._\-/]{1,40}$/;

/** The GS1 mod-10 check digit of `body` (all digits but the check digit). */
export function gtinCheckDigit(body: string): number {
  let total = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    total += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (total % 10)) % 10;
}

function isGtinShaped(code: string): boolean {
  return GTIN_LENGTHS.has(code.length) && /^\d+$/.test(code);
}

function checkDigitOk(code: string): boolean {
  return gtinCheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48;
}

export type CodeResult = { readonly ok: true; readonly code: string } | { readonly ok: false; readonly reason: string };

/**
 * Normalises a code for storage and lookup. 8-digit codes with a wrong check digit are taken as in-store
 * codes (short PLUs are common); 12 to 14 digits with a wrong check digit are refused, as they are almost
 * always a mistyped GTIN that would never match a scan.
 */
export function normalizeCode(raw: string): CodeResult {
  const code = raw.trim();
  if (code === '') return { ok: false, reason: 'empty code' };
  if (isGtinShaped(code)) {
    if (checkDigitOk(code)) return { ok: true, code: code.padStart(14, '0') };
    if (code.length >= 12) return { ok: false, reason: `"${code}" looks like a GTIN but its check digit is wrong` };
  }
  if (!IN_STORE_CODE.test(code)) {
    return { ok: false, reason: `"${code}" is not a code (letters, digits and . _ - / only, at most 40 characters)` };
  }
  return { ok: true, code };
}

/** For lookups: the normalised code, or the input as typed when it cannot be a stored code. */
export function lookupKey(raw: string): string {
  const result = normalizeCode(raw);
  return result.ok ? result.code : raw.trim();
}
