import { parseGtin } from './gtin';
import { GS, parseElementString, type Gs1Options } from './gs1-element-string';
import { findLayout, parseInStore, type InStoreLayout } from './in-store';
import { scanError, type Failure, type ParsedScan, type ScanResult, type Symbology } from './scan-result';
import { isGs1Symbology, splitSymbology } from './symbology';

export type ParseScanOptions = {
  /** The store's in-store price and weight layouts (EAN-13 prefixes 20-29, or 02 for UPC-A). */
  readonly inStoreLayouts?: readonly InStoreLayout[];
  /** Decimals of the till's currency; 2 unless told. */
  readonly currencyExponent?: number;
  /** The current year, to place two-digit GS1 years in the right century; 20YY unless told. */
  readonly referenceYear?: number;
};

const GTIN_LENGTHS = new Set([8, 12, 13, 14]);

/**
 * One scan, whatever the scanner sent, to what it means: a GTIN, a GS1 element string, an in-store price or
 * weight code, or text we do not interpret. Bad codes come back as a `ScanError` (never a throw), with a
 * message for the cashier.
 */
export function parseScan(raw: string, options: ParseScanOptions = {}): ScanResult {
  // Terminators and stray whitespace from the transport are not part of the code; GS is, so only trim these.
  const cleaned = raw.replace(/^[\r\n\t ]+|[\r\n\t ]+$/g, '');
  if (cleaned.length === 0) return scanError('empty', raw, 'no characters');
  const { symbology, data } = splitSymbology(cleaned);
  const aim = symbology?.aim;
  const gs1Options: Gs1Options = { currencyExponent: options.currencyExponent ?? 2, referenceYear: options.referenceYear };
  const orError = (result: ParsedScan | Failure): ScanResult => (result.ok ? result : scanError(result.code, raw, result.detail));

  // GS in the data marks a GS1 element string only when no identifier says otherwise: a plain Data Matrix
  // (]d1) or Code 128 (]C0) may carry GS for other formats (ISO/IEC 15434), which are text to us.
  if (isGs1Symbology(aim) || (aim === undefined && data.includes(GS))) return orError(gs1(data, raw, symbology, gs1Options, false));
  if (aim === undefined && /^\(\d{2,4}\)/.test(data)) return orError(gs1(data, raw, symbology, gs1Options, true));

  if (/^\d+$/.test(data)) {
    const family = aim?.[1];
    if (GTIN_LENGTHS.has(data.length) && (family === undefined || family === 'E' || family === 'I')) {
      return orError(gtin(data, raw, symbology, options, gs1Options));
    }
    if (family === 'E') return scanError('truncated', raw, `${data.length} digits from an EAN/UPC scan`);
    // A GS1-128 whose scanner strips the identifier still starts with (00), (01) or (02) and is long.
    if (aim === undefined && data.length >= 16 && /^0[012]/.test(data)) {
      const parsed = gs1(data, raw, symbology, gs1Options, false);
      if (parsed.ok) return parsed;
    }
  }
  return { ok: true, kind: 'unknown-text', raw, symbology, text: data };
}

function gs1(data: string, raw: string, symbology: Symbology | undefined, options: Gs1Options, humanReadable: boolean): ParsedScan | Failure {
  const parsed = parseElementString(data, options, humanReadable);
  if (!parsed.ok) return parsed;
  return { ok: true, kind: 'gs1', raw, symbology, gtin14: parsed.values.gtin14, elements: parsed.elements, values: parsed.values };
}

function gtin(digits: string, raw: string, symbology: Symbology | undefined, options: ParseScanOptions, gs1Options: Gs1Options): ParsedScan | Failure {
  const aim = symbology?.aim;
  const hint = aim === ']E4' ? 'ean8' : aim?.[1] === 'E' ? 'upce' : aim?.[1] === 'I' ? 'itf' : undefined;
  const parsed = parseGtin(digits, hint);
  if (!parsed.ok) return parsed;
  const { format, gtin14, restricted } = parsed;
  if (restricted && (format === 'ean13' || format === 'upca') && options.inStoreLayouts !== undefined) {
    const ean13 = gtin14.slice(1);
    const layout = findLayout(ean13, options.inStoreLayouts);
    if (layout !== undefined) {
      const inStore = parseInStore(ean13, layout, gs1Options.currencyExponent);
      if (!inStore.ok) return inStore;
      const base = { ok: true, raw, symbology, gtin14, layout: layout.name, itemCode: inStore.itemCode, lookupGtin14: inStore.lookupGtin14 } as const;
      if (inStore.weightGrams !== undefined) return { ...base, kind: 'in-store-weight', weightGrams: inStore.weightGrams };
      if (inStore.price !== undefined) return { ...base, kind: 'in-store-price', price: inStore.price };
    }
  }
  return { ok: true, kind: 'gtin', raw, symbology, format, gtin14, restricted };
}
