/** ISO 4217 currencies without minor units that a Nordic or Spanish-speaking store may meet; the rest have two. */
const ZERO_DECIMAL = new Set(['ISK', 'JPY', 'KRW', 'CLP', 'PYG', 'VND', 'UGX', 'XAF', 'XOF']);

export function currencyExponent(currency: string): number {
  return ZERO_DECIMAL.has(currency.toUpperCase()) ? 0 : 2;
}
