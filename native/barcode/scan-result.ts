import type { Minor } from '../../main/core/money';

/** How the code was printed, as far as the digits and the symbology identifier tell. */
export type GtinFormat = 'ean13' | 'ean8' | 'upca' | 'upce' | 'itf14' | 'gtin14';

/** Where the scanner said the code came from (AIM symbology identifier), when it said. */
export type Symbology = {
  /** The three characters as sent, e.g. `]E0`, `]C1`, `]d2`. */
  readonly aim: string;
  readonly name: string;
};

export type CalendarDate = { readonly year: number; readonly month: number; readonly day: number };

/** Values pulled out of a GS1 element string, in the units the till works in. */
/** One GS1 element string field: its application identifier, the AI's title and the raw value. */
export type Gs1Element = { readonly ai: string; readonly title: string; readonly value: string };

export type Gs1Values = {
  readonly gtin14?: string;
  readonly sscc?: string;
  readonly batch?: string;
  readonly serial?: string;
  readonly productionDate?: CalendarDate;
  readonly bestBefore?: CalendarDate;
  readonly sellBy?: CalendarDate;
  readonly expiry?: CalendarDate;
  /** AI 310n (kg) or 320n (lb), converted to whole grams (half up). */
  readonly netWeightGrams?: number;
  /** AI 392n, in minor units of the till's currency. */
  readonly price?: Minor;
  /** AI 393n: a price with its ISO 4217 numeric currency; minor units assume the till's currency exponent. */
  readonly priceWithCurrency?: { readonly currencyNumeric: string; readonly amount: Minor };
  /** AI 390n, the amount payable (coupons, vouchers). */
  readonly amountPayable?: Minor;
  readonly count?: number;
};

type ScanBase = { readonly ok: true; readonly raw: string; readonly symbology: Symbology | undefined };

export type GtinScan = ScanBase & {
  readonly kind: 'gtin';
  readonly format: GtinFormat;
  /** The code as the catalog stores it: GTIN-14, left-padded with zeros. */
  readonly gtin14: string;
  /** EAN-13 prefixes 02, 04 and 20-29: restricted circulation, meaningful only inside the company. */
  readonly restricted: boolean;
};

export type Gs1Scan = ScanBase & {
  readonly kind: 'gs1';
  readonly gtin14: string | undefined;
  readonly elements: readonly Gs1Element[];
  readonly values: Gs1Values;
};

type InStoreBase = ScanBase & {
  /** The whole code as GTIN-14 (with the embedded value). */
  readonly gtin14: string;
  /** Name of the store layout that matched. */
  readonly layout: string;
  /** The item reference digits, as the layout places them. */
  readonly itemCode: string;
  /** The code with the value and verifier digits set to zero and the check digit recomputed: the catalog key. */
  readonly lookupGtin14: string;
};

export type InStorePriceScan = InStoreBase & { readonly kind: 'in-store-price'; readonly price: Minor };
export type InStoreWeightScan = InStoreBase & { readonly kind: 'in-store-weight'; readonly weightGrams: number };

/** Anything that is not a product code we understand: loyalty cards, coupons, QR text. The caller decides. */
export type TextScan = ScanBase & { readonly kind: 'unknown-text'; readonly text: string };

export type ParsedScan = GtinScan | Gs1Scan | InStorePriceScan | InStoreWeightScan | TextScan;

export const SCAN_ERROR_CODES = [
  'empty',
  'check-digit',
  'price-check',
  'unknown-ai',
  'truncated',
  'too-long',
  'bad-value',
  'bad-date',
] as const;
export type ScanErrorCode = (typeof SCAN_ERROR_CODES)[number];

export type ScanError = {
  readonly ok: false;
  readonly code: ScanErrorCode;
  /** For the cashier: what went wrong and what to do. */
  readonly message: string;
  /** For support: which part of the code was wrong. */
  readonly detail: string;
  readonly raw: string;
};

export type ScanResult = ParsedScan | ScanError;

const CASHIER_MESSAGES: Readonly<Record<ScanErrorCode, string>> = {
  empty: 'Nothing was read: scan again',
  'check-digit': 'Check digit wrong: scan again or key in the code',
  'price-check': 'Price on the label does not check out: scan again or key in the price',
  'unknown-ai': 'This label has data the till does not know: scan the product barcode instead',
  truncated: 'The code was cut short: scan again',
  'too-long': 'The code is longer than allowed: scan again or key in the code',
  'bad-value': 'The code has an impossible value: scan again or key in the code',
  'bad-date': 'The date in the code is not a real date: scan again or key in the code',
};

export function scanError(code: ScanErrorCode, raw: string, detail: string): ScanError {
  return { ok: false, code, message: CASHIER_MESSAGES[code], detail, raw };
}

/** Internal failure carrier for the parsers; `parseScan` turns it into a `ScanError` with the raw text. */
export type Failure = { readonly ok: false; readonly code: ScanErrorCode; readonly detail: string };
export const fail = (code: ScanErrorCode, detail: string): Failure => ({ ok: false, code, detail });
