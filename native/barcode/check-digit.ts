/**
 * GS1 check digits (General Specifications §7.9): the mod-10 digit of every GTIN, GLN and SSCC, and the price
 * or measure verifier digit of in-store variable-measure codes.
 */

const isDigits = (s: string): boolean => /^\d+$/.test(s);

/** The mod-10 check digit for `body` (all digits but the check digit): weights 3,1,3,... from the right. */
export function gs1CheckDigit(body: string): number {
  if (!isDigits(body)) throw new RangeError(`Not a digit string: "${body}"`);
  let total = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    total += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (total % 10)) % 10;
}

/** Whether the last digit of `code` is the GS1 check digit of the digits before it. */
export function hasValidCheckDigit(code: string): boolean {
  if (code.length < 2 || !isDigits(code)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48;
}

/** `body` followed by its check digit. */
export function withCheckDigit(body: string): string {
  return `${body}${gs1CheckDigit(body)}`;
}

// Weighted products of §7.9.3, indexed by digit: only the units digit of each product counts.
// "2-": digit x 2, minus the tens digit of the product.
const TWO_MINUS = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7] as const;
// "3": digit x 3, units digit.
const THREE = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7] as const;
// "5+": digit x 5, plus the tens digit of the product.
const FIVE_PLUS = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9] as const;
// "5-": digit x 5, minus the tens digit of the product.
const FIVE_MINUS = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1] as const;

type WeightTable = readonly number[];

function weightedSum(digits: string, tables: readonly WeightTable[]): number {
  let total = 0;
  for (let i = 0; i < tables.length; i++) {
    const digit = digits.charCodeAt(i) - 48;
    total += (tables[i] as WeightTable)[digit] as number;
  }
  return total;
}

/**
 * The price (or measure) verifier digit of a 4- or 5-digit value field (§7.9.3):
 * - 4 digits: weights 2-, 2-, 3, 5-; the sum times 3, units digit;
 * - 5 digits: weights 5+, 2-, 5-, 5+, 2-; ten minus the units digit of the sum (mod 10) is the 5- product of
 *   the verifier digit, so the verifier is the digit whose 5- product that is.
 */
export function priceVerifierDigit(value: string): number {
  if (!isDigits(value) || (value.length !== 4 && value.length !== 5)) {
    throw new RangeError(`A price verifier digit covers exactly 4 or 5 digits, got "${value}"`);
  }
  if (value.length === 4) {
    return (weightedSum(value, [TWO_MINUS, TWO_MINUS, THREE, FIVE_MINUS]) * 3) % 10;
  }
  const target = (10 - (weightedSum(value, [FIVE_PLUS, TWO_MINUS, FIVE_MINUS, FIVE_PLUS, TWO_MINUS]) % 10)) % 10;
  return FIVE_MINUS.indexOf(target as (typeof FIVE_MINUS)[number]);
}
