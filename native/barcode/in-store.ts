import { priceVerifierDigit, withCheckDigit } from './check-digit';
import { scaleToMinor } from './gs1-element-string';
import { fail, type Failure } from './scan-result';
import type { Minor } from '../../main/core/money';

/** A run of digits inside the 13-digit code; `offset` counts from 0 at the leftmost digit. */
export type DigitField = { readonly offset: number; readonly length: number };

/**
 * How one store (or country) lays out a restricted-circulation EAN-13 that carries a price or a weight. GS1
 * leaves the layout to the member organisation or the retailer, so it is configuration, not code.
 */
export type InStoreLayout = {
  readonly name: string;
  /** Leading digits that select this layout, e.g. "23" or "2". The longest matching prefix wins. */
  readonly prefix: string;
  readonly kind: 'price' | 'weight';
  readonly itemCode: DigitField;
  readonly value: DigitField;
  /** Implied decimals of the value: of the currency unit for prices, of kilograms for weights. */
  readonly decimals: number;
  /** Offset of the price/measure verifier digit, computed over `value`, which must then be 4 or 5 digits long. */
  readonly verifierOffset?: number;
};

export type InStoreParsed = {
  readonly ok: true;
  readonly layout: InStoreLayout;
  readonly itemCode: string;
  readonly lookupGtin14: string;
  readonly price?: Minor;
  readonly weightGrams?: number;
};

/**
 * Layouts in common use, as examples to pick from in configuration: none is applied unless configured,
 * because the same prefix means different things in different countries.
 */
export const EXAMPLE_LAYOUTS = {
  /** 2P IIII V PPPP C-style price label with a verifier: prefix 2 + 1, item 5, verifier, price 4 (2 decimals). */
  priceWithVerifier: {
    name: 'price-4-verified', prefix: '20', kind: 'price',
    itemCode: { offset: 2, length: 5 }, verifierOffset: 7, value: { offset: 8, length: 4 }, decimals: 2,
  },
  /** Nordic style: prefix 23, item 5, weight in grams (kg with 3 decimals) 5 digits. */
  weightGrams: {
    name: 'weight-5-grams', prefix: '23', kind: 'weight',
    itemCode: { offset: 2, length: 5 }, value: { offset: 7, length: 5 }, decimals: 3,
  },
  /** Prefix 22, item 5, price with 2 decimals in 5 digits, no verifier. */
  price5: {
    name: 'price-5', prefix: '22', kind: 'price',
    itemCode: { offset: 2, length: 5 }, value: { offset: 7, length: 5 }, decimals: 2,
  },
} as const satisfies Record<string, InStoreLayout>;

/** Checks a layout fits in 13 digits and its fields do not overlap; returns what is wrong, or undefined. */
export function layoutProblem(layout: InStoreLayout): string | undefined {
  if (!/^\d{1,3}$/.test(layout.prefix)) return `prefix "${layout.prefix}" must be 1 to 3 digits`;
  const used = new Array<boolean>(13).fill(false);
  for (let i = 0; i < layout.prefix.length; i++) used[i] = true;
  used[12] = true;
  const claim = (name: string, f: DigitField): string | undefined => {
    if (!Number.isInteger(f.offset) || !Number.isInteger(f.length) || f.length < 1 || f.offset < 0 || f.offset + f.length > 12) {
      return `${name} must lie within digits 0-11`;
    }
    for (let i = f.offset; i < f.offset + f.length; i++) {
      if (used[i]) return `${name} overlaps another field at digit ${i}`;
      used[i] = true;
    }
    return undefined;
  };
  const itemProblem = claim('itemCode', layout.itemCode) ?? claim('value', layout.value);
  if (itemProblem !== undefined) return itemProblem;
  if (layout.verifierOffset !== undefined) {
    if (layout.value.length !== 4 && layout.value.length !== 5) return 'a verifier digit needs a 4- or 5-digit value';
    const verifierProblem = claim('verifier', { offset: layout.verifierOffset, length: 1 });
    if (verifierProblem !== undefined) return verifierProblem;
  }
  if (!Number.isInteger(layout.decimals) || layout.decimals < 0 || layout.decimals > 6) return 'decimals must be 0 to 6';
  return undefined;
}

/** The configured layout for a 13-digit code, by longest prefix. */
export function findLayout(ean13: string, layouts: readonly InStoreLayout[]): InStoreLayout | undefined {
  let best: InStoreLayout | undefined;
  for (const layout of layouts) {
    if (ean13.startsWith(layout.prefix) && (best === undefined || layout.prefix.length > best.prefix.length)) best = layout;
  }
  return best;
}

const field = (code: string, f: DigitField): string => code.slice(f.offset, f.offset + f.length);

/** Reads a valid (check-digit-checked) EAN-13 through a layout. */
export function parseInStore(ean13: string, layout: InStoreLayout, currencyExponent: number): InStoreParsed | Failure {
  const value = field(ean13, layout.value);
  if (layout.verifierOffset !== undefined) {
    const expected = priceVerifierDigit(value);
    if (Number(ean13[layout.verifierOffset]) !== expected) {
      return fail('price-check', `${ean13}: verifier digit for ${value} should be ${expected}`);
    }
  }
  const blanked = [...ean13.slice(0, 12)];
  for (let i = layout.value.offset; i < layout.value.offset + layout.value.length; i++) blanked[i] = '0';
  if (layout.verifierOffset !== undefined) blanked[layout.verifierOffset] = '0';
  const lookupGtin14 = withCheckDigit(blanked.join('')).padStart(14, '0');
  const itemCode = field(ean13, layout.itemCode);
  if (layout.kind === 'weight') {
    // Weight fields are in kilograms with `decimals` implied decimals; integer grams, half up.
    const scaled = BigInt(value) * 1000n;
    const divisor = 10n ** BigInt(layout.decimals);
    const weightGrams = Number((scaled * 2n + divisor) / (2n * divisor));
    return { ok: true, layout, itemCode, lookupGtin14, weightGrams };
  }
  const price = scaleToMinor(value, layout.decimals, currencyExponent);
  if (price === undefined) return fail('bad-value', `${ean13}: price ${value} is finer than the currency allows`);
  return { ok: true, layout, itemCode, lookupGtin14, price };
}
