/**
 * Money on screen: amounts arrive as integer minor units; Intl formats them for the till's locale and currency
 * and tells how many minor digits the currency has. Parsing a typed amount is done on the digits as text, so
 * no float ever becomes an amount.
 */

// Building an Intl.NumberFormat costs far more than using one, and a basket repaints every amount on every
// scan: formatters and digit counts are made once per locale and currency.
const formatters = new Map<string, Intl.NumberFormat>();
const digitsByCurrency = new Map<string, number>();

function cached(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

function formatter(locale: string, currency: string): Intl.NumberFormat {
  return cached(`money|${locale}|${currency}`, () => new Intl.NumberFormat(locale, { style: 'currency', currency }));
}

/** Minor digits of a currency as Intl knows them (2 for NOK and EUR, 0 for ISK and JPY). */
export function minorDigits(currency: string): number {
  let d = digitsByCurrency.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, d);
  }
  return d;
}

export function formatMoney(minorUnits: number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  // Formatting is the one place a float is fine: it is shown, never added up.
  return formatter(locale, currency).format(minorUnits / 10 ** digits);
}

/**
 * A typed amount ("120", "120,5", "120.50", "1 250,00") in minor units, or undefined when it is not one.
 * Both comma and point are taken as the decimal mark; spaces and apostrophes group thousands.
 */
export function parseAmount(text: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const cleaned = text.trim().replace(/[\s\u00a0\u202f']/g, '');
  const m = /^(\d+)(?:[.,](\d*))?$/.exec(cleaned);
  if (!m) return undefined;
  const whole = m[1] ?? '0';
  const frac = m[2] ?? '';
  if (frac.length > digits) return undefined;
  const units = Number(whole) * 10 ** digits + Number(frac.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(units) ? units : undefined;
}

export function formatQuantity(quantity: number, unit: 'piece' | 'weight', locale: string): string {
  return unit === 'weight'
    ? `${cached(`kg|${locale}`, () => new Intl.NumberFormat(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 })).format(quantity)} kg`
    : cached(`qty|${locale}`, () => new Intl.NumberFormat(locale)).format(quantity);
}
