import { TillError } from '../errors';
import { type Minor, minor } from '../money';

/**
 * Cash rounding (docs/ledger.md, "Cash rounding"): where coins below a unit are out of use, the part of a sale
 * paid in cash is rounded to the cash unit; the rounding is its own signed amount, never folded into line
 * totals or VAT.
 *
 * The default unit per currency, in minor units: Norway and Sweden have no coins below one krone/krona (100),
 * Denmark none below 50 øre, Switzerland none below 5 rappen. Any other currency: 1 (no rounding). A store sets
 * its own with `cashUnit` (docs/configuration.md).
 */
const DEFAULT_CASH_UNITS: Readonly<Record<string, number>> = { NOK: 100, SEK: 100, DKK: 50, CHF: 5 };

export function defaultCashUnit(currency: string): number {
  return DEFAULT_CASH_UNITS[currency.toUpperCase()] ?? 1;
}

/** The configured unit, or the currency's default; 1 means no rounding. */
export function cashUnitFor(currency: string, configured: number | undefined): number {
  const unit = configured ?? defaultCashUnit(currency);
  if (!Number.isSafeInteger(unit) || unit < 1) throw new TillError('SCHEMA_INVALID', `The cash unit must be a whole number of minor units, 1 or more; got ${String(unit)}.`);
  return unit;
}

/**
 * `amount` rounded to the nearest multiple of `unit`, halves away from zero (NOK 19.50 -> 20.00, -19.50 -> -20.00).
 * Integer arithmetic only.
 */
export function roundToCashUnit(amount: Minor, unit: number): Minor {
  if (unit === 1) return amount;
  const magnitude = Math.abs(amount);
  const rest = magnitude % unit;
  const down = magnitude - rest;
  const rounded = rest * 2 >= unit ? down + unit : down;
  return minor(amount < 0 ? -rounded : rounded);
}
