import { toDecimal, type Minor } from '../../main/core/money';

/**
 * Formats money, quantities and times for a receipt with Intl, then folds the characters a receipt printer's
 * code page does not have into plain ones (U+2212 minus, narrow and no-break spaces), so that the printed
 * text and the on-screen preview are the same characters.
 */
export type ReceiptFormat = {
  /** A plain amount for line columns: "1 234,50". */
  amount(value: Minor): string;
  /** An amount with its currency for totals: "kr 1 234,50". */
  money(value: Minor): string;
  quantity(value: number): string;
  /** Date and time of the sale in the layout's time zone. */
  dateTime(iso: string): string;
  percent(value: number): string;
  integer(value: number): string;
};

export type ReceiptFormatOptions = {
  /** BCP 47 locale, e.g. "nb-NO", "es-ES", "en-GB". */
  readonly locale: string;
  /** ISO 4217 code, e.g. "NOK", "EUR". */
  readonly currency: string;
  /** IANA time zone of the store, e.g. "Europe/Oslo". */
  readonly timeZone: string;
};

/** Characters Intl uses that receipt code pages lack, and what to print instead. */
const FOLD: Readonly<Record<string, string>> = {
  '\u2212': '-', // minus sign
  '\u00a0': ' ', // no-break space
  '\u202f': ' ', // narrow no-break space
  '\u2009': ' ', // thin space
  '\u200e': '', // left-to-right mark
  '\u200f': '', // right-to-left mark
};

export function foldForPrinter(text: string): string {
  return text.replace(/[\u2212\u00a0\u202f\u2009\u200e\u200f]/g, (c) => FOLD[c] ?? c);
}

/** Intl formatters take about a millisecond to build; a till uses one locale, so keep the last few. */
const cache = new Map<string, ReceiptFormat>();

export function createReceiptFormat(options: ReceiptFormatOptions): ReceiptFormat {
  const key = `${options.locale}|${options.currency}|${options.timeZone}`;
  let format = cache.get(key);
  if (format === undefined) {
    if (cache.size >= 8) cache.clear();
    format = buildReceiptFormat(options);
    cache.set(key, format);
  }
  return format;
}

function buildReceiptFormat(options: ReceiptFormatOptions): ReceiptFormat {
  const currencyFormat = new Intl.NumberFormat(options.locale, { style: 'currency', currency: options.currency });
  const exponent = currencyFormat.resolvedOptions().maximumFractionDigits ?? 2;
  const amountFormat = new Intl.NumberFormat(options.locale, {
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  const quantityFormat = new Intl.NumberFormat(options.locale, { maximumFractionDigits: 3 });
  const percentFormat = new Intl.NumberFormat(options.locale, { maximumFractionDigits: 2 });
  const integerFormat = new Intl.NumberFormat(options.locale, { maximumFractionDigits: 0 });
  const dateFormat = new Intl.DateTimeFormat(options.locale, {
    timeZone: options.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  // Intl takes exact decimal strings, so minor units never pass through a float on their way to text.
  const decimal = (value: Minor): `${number}` => toDecimal(value, exponent) as `${number}`;
  return {
    amount: (value) => foldForPrinter(amountFormat.format(decimal(value))),
    money: (value) => foldForPrinter(currencyFormat.format(decimal(value))),
    quantity: (value) => foldForPrinter(quantityFormat.format(value)),
    dateTime: (iso) => foldForPrinter(dateFormat.format(new Date(iso))),
    percent: (value) => `${foldForPrinter(percentFormat.format(value))}%`,
    integer: (value) => foldForPrinter(integerFormat.format(value)),
  };
}
