import { minor, type Minor } from '../../main/core/money';
import { hasValidCheckDigit } from './check-digit';
import { hasPredefinedLength, lookupAi, type AiDefinition } from './gs1-ai';
import { fail, type CalendarDate, type Failure, type Gs1Element, type Gs1Values } from './scan-result';

/** FNC1 as a scanner transmits it inside GS1-128 and GS1 DataMatrix data: ASCII 29, group separator. */
export const GS = '\u001d';

// The element type lives with the other scan result types, so the two files do not import each other.
export type { Gs1Element } from './scan-result';

export type Gs1Options = {
  /** Decimals of the till's currency (2 for NOK and EUR, 0 for JPY). */
  readonly currencyExponent: number;
  /** The year "now", to place two-digit years in a century (§7.12). Without it, years are 20YY. */
  readonly referenceYear: number | undefined;
};

export type Gs1Parsed = { readonly ok: true; readonly elements: readonly Gs1Element[]; readonly values: Gs1Values };

const CSET82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;

/**
 * Splits a GS1 element string into AIs and values. FNC1 separators arrive as GS; a leading GS (some scanners
 * send the FNC1 in first position) is skipped; a GS after a predefined-length field is tolerated.
 */
export function splitElementString(data: string): readonly Gs1Element[] | Failure {
  const elements: Gs1Element[] = [];
  let i = 0;
  while (i < data.length) {
    if (data[i] === GS) {
      i++;
      continue;
    }
    const def = lookupAi(data.slice(i, i + 4));
    if (def === undefined) {
      const shown = data.slice(i, i + 4).replaceAll(GS, '<GS>');
      return fail(/^\d{2,}/.test(shown) ? 'unknown-ai' : 'bad-value', `no known application identifier at "${shown}" (position ${i + 1})`);
    }
    i += def.ai.length;
    let value: string;
    if (hasPredefinedLength(def.ai)) {
      value = data.slice(i, i + def.maxLength);
      const gsAt = value.indexOf(GS);
      if (value.length < def.maxLength || gsAt >= 0) {
        return fail('truncated', `AI (${def.ai}) needs ${def.maxLength} characters, got ${gsAt >= 0 ? gsAt : value.length}`);
      }
    } else {
      const end = data.indexOf(GS, i);
      value = data.slice(i, end < 0 ? data.length : end);
      if (value.length > def.maxLength) {
        return fail('too-long', `AI (${def.ai}) allows at most ${def.maxLength} characters, got ${value.length} (missing separator?)`);
      }
      if (value.length < def.minLength) {
        return fail('truncated', `AI (${def.ai}) needs at least ${def.minLength} characters, got ${value.length}`);
      }
    }
    i += value.length;
    const problem = checkValue(def, value);
    if (problem !== undefined) return problem;
    elements.push({ ai: def.ai, title: def.title, value });
  }
  if (elements.length === 0) return fail('empty', 'no element string');
  return elements;
}

/**
 * Human-readable form, "(01)09506000134352(17)201225(10)ABC": what a cashier keys in from the text under the
 * barcode. Values end at the next "(" so values containing parentheses cannot be keyed this way.
 */
export function splitHumanReadable(text: string): readonly Gs1Element[] | Failure {
  const parts = /^(\(\d{2,4}\)[^(]*)+$/.test(text) ? text.match(/\(\d{2,4}\)[^(]*/g) ?? [] : [];
  if (parts.length === 0) return fail('bad-value', `"${text}" is not in (AI)value form`);
  let joined = '';
  for (const part of parts) {
    const close = part.indexOf(')');
    const ai = part.slice(1, close);
    const def = lookupAi(ai);
    if (def === undefined || def.ai !== ai) return fail('unknown-ai', `no known application identifier (${ai})`);
    joined += `${ai}${part.slice(close + 1)}${hasPredefinedLength(ai) ? '' : GS}`;
  }
  return splitElementString(joined);
}

function checkValue(def: AiDefinition, value: string): Failure | undefined {
  if (def.charset === 'N' ? !/^\d*$/.test(value) : !CSET82.test(value)) {
    return fail('bad-value', `AI (${def.ai}) value "${value}" has characters it may not contain`);
  }
  if (def.checkDigit && !hasValidCheckDigit(value)) {
    return fail('check-digit', `AI (${def.ai}) ${value}: check digit wrong`);
  }
  if (def.date && resolveDate(value, undefined) === undefined) {
    return fail('bad-date', `AI (${def.ai}) ${value} is not a YYMMDD date`);
  }
  return undefined;
}

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** YYMMDD to a calendar date; DD 00 is the last day of the month; the century by the §7.12 sliding window. */
export function resolveDate(yymmdd: string, referenceYear: number | undefined): CalendarDate | undefined {
  const m = /^(\d\d)(\d\d)(\d\d)$/.exec(yymmdd);
  if (!m) return undefined;
  const yy = Number(m[1]);
  const month = Number(m[2]);
  let day = Number(m[3]);
  let year: number;
  if (referenceYear === undefined) {
    year = 2000 + yy;
  } else {
    const century = Math.floor(referenceYear / 100) * 100;
    const diff = yy - (referenceYear % 100);
    year = century + yy + (diff >= 51 ? -100 : diff <= -50 ? 100 : 0);
  }
  if (month < 1 || month > 12) return undefined;
  const last = daysIn(year, month);
  if (day === 0) day = last;
  if (day > last) return undefined;
  return { year, month, day };
}

/** `digits` with `decimals` implied decimals, in minor units of a currency with `exponent` decimals; exact or nothing. */
export function scaleToMinor(digits: string, decimals: number, exponent: number): Minor | undefined {
  let value = BigInt(digits);
  if (decimals <= exponent) {
    value *= 10n ** BigInt(exponent - decimals);
  } else {
    const divisor = 10n ** BigInt(decimals - exponent);
    // A price finer than the currency's smallest unit cannot be charged; refuse it rather than round it here.
    if (value % divisor !== 0n) return undefined;
    value /= divisor;
  }
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return minor(Number(value));
}

/** A weight with `decimals` implied decimals in `unit`, as whole grams, half up. */
export function toGrams(digits: string, decimals: number, unit: 'kg' | 'lb'): number {
  // 1 lb = 0.45359237 kg exactly, so grams per lb = 45359237 / 10^5.
  const numerator = BigInt(digits) * (unit === 'kg' ? 1000n : 45_359_237n);
  const denominator = 10n ** BigInt(decimals + (unit === 'kg' ? 0 : 5));
  return Number((numerator * 2n + denominator) / (2n * denominator));
}

/** Pulls the values the till uses out of the elements; the first occurrence of an AI wins. */
export function extractValues(elements: readonly Gs1Element[], options: Gs1Options): Gs1Values | Failure {
  const values: { -readonly [K in keyof Gs1Values]: Gs1Values[K] } = {};
  for (const { ai, value } of elements) {
    const stem = ai.slice(0, 3);
    const decimals = Number(ai[3]);
    const date = (): CalendarDate => resolveDate(value, options.referenceYear) as CalendarDate;
    if (ai === '01' || ai === '02') values.gtin14 ??= value;
    else if (ai === '00') values.sscc ??= value;
    else if (ai === '10') values.batch ??= value;
    else if (ai === '21') values.serial ??= value;
    else if (ai === '11') values.productionDate ??= date();
    else if (ai === '15') values.bestBefore ??= date();
    else if (ai === '16') values.sellBy ??= date();
    else if (ai === '17') values.expiry ??= date();
    else if (ai === '30' || ai === '37') values.count ??= Number(value);
    else if (ai.length === 4 && (stem === '310' || stem === '320')) {
      values.netWeightGrams ??= toGrams(value, decimals, stem === '310' ? 'kg' : 'lb');
    } else if (ai.length === 4 && (stem === '390' || stem === '392')) {
      const amount = scaleToMinor(value, decimals, options.currencyExponent);
      if (amount === undefined) return fail('bad-value', `AI (${ai}) ${value} is finer than the currency allows`);
      if (stem === '392') values.price ??= amount;
      else values.amountPayable ??= amount;
    } else if (ai.length === 4 && stem === '393') {
      const amount = scaleToMinor(value.slice(3), decimals, options.currencyExponent);
      if (amount === undefined) return fail('bad-value', `AI (${ai}) ${value} is finer than the currency allows`);
      values.priceWithCurrency ??= { currencyNumeric: value.slice(0, 3), amount };
    }
  }
  return values;
}

export function parseElementString(data: string, options: Gs1Options, humanReadable: boolean): Gs1Parsed | Failure {
  const elements = humanReadable ? splitHumanReadable(data) : splitElementString(data);
  if ('ok' in elements) return elements;
  const values = extractValues(elements, options);
  if ('ok' in values) return values;
  return { ok: true, elements, values };
}
