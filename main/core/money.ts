/**
 * Money is an integer number of minor units (øre, cents) with its currency, everywhere. All arithmetic and all
 * rounding go through this module; floats appear only when parsing or formatting at the edges.
 */
declare const minorBrand: unique symbol;
export type Minor = number & { readonly [minorBrand]: true };

export type CurrencyCode = string;

export type Money = { readonly amount: Minor; readonly currency: CurrencyCode };

export class MoneyError extends Error {
  override readonly name = 'MoneyError';
}

/** Brands an integer as minor units; refuses fractions, NaN and values beyond exact double precision. */
export function minor(value: number): Minor {
  if (!Number.isSafeInteger(value)) {
    throw new MoneyError(`Money must be a whole number of minor units, got ${String(value)}`);
  }
  return value as Minor;
}

export const ZERO = 0 as Minor;

export function add(a: Minor, b: Minor): Minor {
  return minor(a + b);
}

export function sub(a: Minor, b: Minor): Minor {
  return minor(a - b);
}

export function sum(values: Iterable<Minor>): Minor {
  let total = 0;
  for (const v of values) total += v;
  return minor(total);
}

export function times(a: Minor, quantity: number): Minor {
  if (!Number.isInteger(quantity)) throw new MoneyError(`Quantity must be whole here, got ${quantity}`);
  return minor(a * quantity);
}

export function minOf(a: Minor, b: Minor): Minor {
  return (a < b ? a : b);
}

export function maxOf(a: Minor, b: Minor): Minor {
  return (a > b ? a : b);
}

export function clampZero(a: Minor): Minor {
  return a < 0 ? ZERO : a;
}

/**
 * `amount * percent / 100`, rounded half up (away from zero for negatives), computed on integers so that
 * 10.5 % of 1999 is exact: percent is scaled to ten-thousandths first.
 */
export function percentOf(amount: Minor, percent: number): Minor {
  // Percent with four decimals, as an integer, so that 10.5 % of 1999 is computed exactly.
  return ratioOf(amount, Math.round(percent * 10_000), 100 * 10_000);
}

/** `amount * numerator / denominator` on integers, rounded half up (away from zero for negatives). */
export function ratioOf(amount: Minor, numerator: number, denominator: number): Minor {
  if (!Number.isInteger(numerator) || !Number.isInteger(denominator) || denominator <= 0) {
    throw new MoneyError(`ratioOf needs whole numbers and a positive denominator, got ${numerator}/${denominator}`);
  }
  const product = amount * numerator;
  const sign = product < 0 ? -1 : 1;
  return minor(sign * Math.floor((Math.abs(product) * 2 + denominator) / (2 * denominator)));
}

/**
 * Splits `total` over `weights` pro rata, so that the parts always add up to `total` exactly. Each part is
 * floored; the remainder goes one unit at a time to the largest weights first (ties to the earlier index).
 */
export function allocate(total: Minor, weights: readonly number[]): Minor[] {
  return allocateGroups(total, weights);
}

/**
 * `allocate` over groups of equal parts without listing them one by one: group `i` stands for `counts[i]`
 * consecutive parts of weight `weights[i]` (1 when `counts` is left out), and its entry in the result is the sum of
 * those parts, exactly what summing `allocate`'s parts of the expanded list gives. The cost depends on the number
 * of groups, not on the counts (a line of 10,000,000 units is two groups).
 */
export function allocateGroups(total: Minor, weights: readonly number[], counts?: readonly number[]): Minor[] {
  const countOf = (i: number): number => (counts === undefined ? 1 : (counts[i] ?? 0));
  let weightSum = 0;
  weights.forEach((w, i) => (weightSum += w * countOf(i)));
  if (weights.length === 0) return [];
  if (weightSum <= 0) {
    const parts = weights.map(() => ZERO);
    parts[0] = total;
    return parts;
  }
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  const parts = weights.map((w, i) => Math.floor((abs * w) / weightSum) * countOf(i));
  let remainder = abs - parts.reduce((a, p) => a + p, 0);
  if (remainder > 0) {
    const order = weights.map((_, i) => i).sort((a, b) => (weights[b] as number) - (weights[a] as number) || a - b);
    // The remainder is smaller than the number of parts, so one pass in this order hands it out.
    for (let k = 0; remainder > 0; k = (k + 1) % order.length) {
      const idx = order[k] as number;
      const give = Math.min(remainder, countOf(idx));
      parts[idx] = (parts[idx] as number) + give;
      remainder -= give;
    }
  }
  for (let i = 0; i < parts.length; i++) parts[i] = minor(sign * (parts[i] as number));
  return parts as Minor[];
}

/** `a * b` split into `[a * b div d, a * b mod d]` exactly, also when the product passes 2^53 (then in BigInt). */
function divMod(a: number, b: number, d: number): [number, number] {
  const product = a * b;
  if (Number.isSafeInteger(product)) {
    // Correct the float quotient by one either way: the product and the divisor are exact, the division is not.
    let q = Math.floor(product / d);
    let r = product - q * d;
    if (r < 0) [q, r] = [q - 1, r + d];
    else if (r >= d) [q, r] = [q + 1, r - d];
    return [q, r];
  }
  const big = BigInt(a) * BigInt(b);
  return [Number(big / BigInt(d)), Number(big % BigInt(d))];
}

/**
 * Splits a non-negative `total` over `weights` by largest remainder (Hamilton's method): each part is its exact
 * share rounded down, and the units still missing go one each to the parts with the largest cut-off fraction
 * (ties to the earlier index). The parts add up to `total` exactly and no part is a whole unit away from its
 * exact share. Weights must be non-negative whole numbers with a positive sum.
 */
export function allocateLargestRemainder(total: Minor, weights: readonly number[]): Minor[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new MoneyError(`Can only split a non-negative whole amount, got ${String(total)}`);
  let weightSum = 0;
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new MoneyError(`Weights must be non-negative whole numbers, got ${String(w)}`);
    weightSum += w;
  }
  if (weights.length === 0 || weightSum <= 0 || !Number.isSafeInteger(weightSum)) {
    if (total === 0) return weights.map(() => ZERO);
    throw new MoneyError(`Cannot split ${total} over weights that add up to ${weightSum}`);
  }
  const parts = new Array<number>(weights.length);
  const rests = new Array<number>(weights.length);
  let given = 0;
  weights.forEach((w, i) => {
    const [q, r] = divMod(total, w, weightSum);
    parts[i] = q;
    rests[i] = r;
    given += q;
  });
  const missing = total - given;
  if (missing > 0) {
    const order = weights.map((_, i) => i).sort((a, b) => (rests[b] as number) - (rests[a] as number) || a - b);
    for (let k = 0; k < missing; k++) parts[order[k] as number] = (parts[order[k] as number] as number) + 1;
  }
  return parts.map(minor);
}

/**
 * `allocateLargestRemainder` where no part may pass its cap: parts that would are set to their cap and the rest
 * of the total is split again over the others, until every part fits. The parts add up to `total`, or to the sum
 * of the caps when that is smaller. Lines with no weight left share only what the weighted ones cannot hold.
 */
export function allocateCapped(total: Minor, weights: readonly number[], caps: readonly number[]): Minor[] {
  const parts = weights.map(() => 0);
  let active = weights.map((_, i) => i).filter((i) => (caps[i] ?? 0) > 0);
  let left = Math.min(total, active.reduce((s, i) => s + (caps[i] as number), 0));
  while (left > 0 && active.length > 0) {
    const weighted = active.some((i) => (weights[i] ?? 0) > 0);
    // Every line still in play has room for its share (left never exceeds their caps), so this ends.
    const shares = allocateLargestRemainder(
      minor(left),
      active.map((i) => (weighted ? (weights[i] as number) : (caps[i] as number))),
    );
    const over = active.filter((i, k) => (shares[k] as number) > (caps[i] as number));
    if (over.length === 0) {
      active.forEach((i, k) => (parts[i] = shares[k] as number));
      break;
    }
    for (const i of over) {
      parts[i] = caps[i] as number;
      left -= caps[i] as number;
    }
    active = active.filter((i) => !over.includes(i));
  }
  return parts.map(minor);
}

/** Parses a decimal string such as "27840.10" into minor units for a currency with `exponent` decimals. */
export function parseDecimal(text: string, exponent = 2): Minor {
  const match = /^(-)?(\d+)(?:[.,](\d+))?$/.exec(text.trim());
  if (!match) throw new MoneyError(`Not an amount: "${text}"`);
  const [, neg, whole = '0', frac = ''] = match;
  if (frac.length > exponent) throw new MoneyError(`"${text}" has more than ${exponent} decimals`);
  const units = Number(whole) * 10 ** exponent + Number(frac.padEnd(exponent, '0') || '0');
  return minor(neg ? -units : units);
}

/** Formats minor units as a plain decimal string ("123.45"); locale formatting belongs to the renderer. */
export function toDecimal(amount: Minor, exponent = 2): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  if (exponent === 0) return `${sign}${abs}`;
  const base = 10 ** exponent;
  return `${sign}${Math.floor(abs / base)}.${String(abs % base).padStart(exponent, '0')}`;
}
