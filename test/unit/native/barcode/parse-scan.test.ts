import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScan } from '../../../../native/barcode/parse-scan';
import { fuzzParams } from '../../../helpers/fuzz';
import { hasValidCheckDigit, priceVerifierDigit, withCheckDigit } from '../../../../native/barcode/check-digit';
import { compressUpcA, expandUpcE } from '../../../../native/barcode/gtin';
import { EXAMPLE_LAYOUTS, layoutProblem, type InStoreLayout } from '../../../../native/barcode/in-store';
import { SCAN_ERROR_CODES, type ScanResult } from '../../../../native/barcode/scan-result';

const SEED = fuzzParams(100);
const GS = '\u001d';

function ok<K extends string>(result: ScanResult, kind: K): Extract<ScanResult, { kind: K }> {
  if (!result.ok) throw new Error(`expected ${kind}, got error ${result.code}: ${result.detail}`);
  expect(result.kind).toBe(kind);
  return result as Extract<ScanResult, { kind: K }>;
}

function err(result: ScanResult) {
  if (result.ok) throw new Error(`expected an error, got ${result.kind}`);
  return result;
}

describe('GTINs', () => {
  it.each([
    ['4006381333931', 'ean13', '04006381333931'],
    ['96385074', 'ean8', '00000096385074'],
    ['036000291452', 'upca', '00036000291452'],
    ['09506000134352', 'gtin14', '09506000134352'],
    [']E04006381333931', 'ean13', '04006381333931'],
    [']E496385074', 'ean8', '00000096385074'],
    [']I115400141288763', 'itf14', '15400141288763'],
  ])('%s is %s %s', (raw, format, gtin14) => {
    const scan = ok(parseScan(raw), 'gtin');
    expect(scan.format).toBe(format);
    expect(scan.gtin14).toBe(gtin14);
  });

  it('strips transport terminators', () => {
    expect(ok(parseScan('4006381333931\r\n'), 'gtin').gtin14).toBe('04006381333931');
  });

  it('expands UPC-E to UPC-A for every zero-suppression rule', () => {
    expect(expandUpcE('01234565')).toBe('012345000065'); // last digit 5-9
    expect(expandUpcE('04252614')).toBe('042100005264'); // last digit 0-2
    expect(expandUpcE('01234531')).toBe('012300000451'); // last digit 3
    expect(expandUpcE('01234541')).toBe('012340000051'); // last digit 4
    expect(expandUpcE('21234565')).toBeUndefined(); // number system 2 has no UPC-E
  });

  it('reads a UPC-E with its symbology identifier, and without one when it is not a valid EAN-8', () => {
    const withAim = ok(parseScan(']E001234565'), 'gtin');
    expect(withAim.format).toBe('upce');
    expect(withAim.gtin14).toBe('00012345000065');
    expect(ok(parseScan('04252614'), 'gtin').gtin14).toBe('00042100005264');
  });

  it('UPC-E compression inverts expansion (some UPC-As have two UPC-E forms; both expand alike)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[01]\d{6}$/), (body) => {
        const upcA = withCheckDigit((expandUpcE(`${body}0`) as string).slice(0, -1));
        const upcE = `${body}${upcA.slice(-1)}`;
        const compressed = compressUpcA(upcA);
        return expandUpcE(upcE) === upcA && compressed !== undefined && expandUpcE(compressed) === upcA;
      }),
      SEED,
    );
    expect(compressUpcA('012345000065')).toBe('01234565');
    expect(compressUpcA('012345600005')).toBeUndefined();
  });

  it('marks restricted-circulation prefixes', () => {
    expect(ok(parseScan(withCheckDigit('200000000001')), 'gtin').restricted).toBe(true);
    expect(ok(parseScan('4006381333931'), 'gtin').restricted).toBe(false);
  });

  it('says the check digit is wrong in words a cashier understands', () => {
    const e = err(parseScan('4006381333932'));
    expect(e.code).toBe('check-digit');
    expect(e.message).toBe('Check digit wrong: scan again or key in the code');
    expect(e.detail).toContain('should be 1');
  });

  it('every valid GTIN round-trips to its GTIN-14', () => {
    fc.assert(
      fc.property(fc.constantFrom(11, 12, 13), fc.nat(), (bodyLength, n) => {
        const body = String(n).padStart(bodyLength, '0').slice(-bodyLength);
        const code = withCheckDigit(body);
        const scan = parseScan(code);
        return scan.ok && scan.kind === 'gtin' && scan.gtin14 === code.padStart(14, '0');
      }),
      SEED,
    );
    fc.assert(
      fc.property(fc.stringMatching(/^\d{7}$/), (body) => {
        const code = withCheckDigit(body);
        const scan = parseScan(`]E4${code}`);
        return scan.ok && scan.kind === 'gtin' && scan.format === 'ean8' && scan.gtin14 === code.padStart(14, '0');
      }),
      SEED,
    );
  });

  it('a single changed digit is always caught', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.stringMatching(/^\d{11}$/), fc.stringMatching(/^\d{12}$/), fc.stringMatching(/^\d{13}$/)),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (body, at, delta) => {
          const code = withCheckDigit(body);
          const i = at % code.length;
          const changed = `${code.slice(0, i)}${(Number(code[i]) + delta) % 10}${code.slice(i + 1)}`;
          const scan = parseScan(changed);
          return !scan.ok && scan.code === 'check-digit';
        },
      ),
      SEED,
    );
    fc.assert(
      fc.property(fc.stringMatching(/^\d{7}$/), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
        const code = withCheckDigit(body);
        const i = at % code.length;
        const changed = `${code.slice(0, i)}${(Number(code[i]) + delta) % 10}${code.slice(i + 1)}`;
        const scan = parseScan(`]E4${changed}`);
        return !scan.ok && scan.code === 'check-digit';
      }),
      SEED,
    );
  });

  it('treats other digit strings and text as unknown text for the caller to resolve', () => {
    expect(ok(parseScan('12345'), 'unknown-text').text).toBe('12345');
    expect(ok(parseScan(']Q1https://example.test/coupon/9'), 'unknown-text').text).toBe('https://example.test/coupon/9');
    expect(err(parseScan(' \r\n')).code).toBe('empty');
    expect(err(parseScan(']E012345')).code).toBe('truncated');
  });
});

describe('GS1 element strings', () => {
  it('parses GS1-128 with FNC1 separators (]C1)', () => {
    const scan = ok(parseScan(`]C10109506000134352${GS}17201225${GS}10ABC123${GS}21SER-9`), 'gs1');
    expect(scan.gtin14).toBe('09506000134352');
    expect(scan.values.expiry).toEqual({ year: 2020, month: 12, day: 25 });
    expect(scan.values.batch).toBe('ABC123');
    expect(scan.values.serial).toBe('SER-9');
    expect(scan.elements.map((e) => e.ai)).toEqual(['01', '17', '10', '21']);
  });

  it('reads the GS1 DataMatrix guideline example (01)09501101530003(17)140704(10)AB-123', () => {
    const scan = ok(parseScan(']d2010950110153000317140704' + '10AB-123'), 'gs1');
    expect(scan.values).toMatchObject({ gtin14: '09501101530003', expiry: { year: 2014, month: 7, day: 4 }, batch: 'AB-123' });
  });

  it('leaves GS inside a non-GS1 symbology to the caller as text', () => {
    expect(ok(parseScan(`]d1[)>\u001e06${GS}P12345`), 'unknown-text').text).toBe(`[)>\u001e06${GS}P12345`);
  });

  it('needs no separator after predefined-length fields', () => {
    const scan = ok(parseScan(']d2010950600013435217201225' + '10ABC123'), 'gs1');
    expect(scan.values.expiry).toEqual({ year: 2020, month: 12, day: 25 });
    expect(scan.values.batch).toBe('ABC123');
    expect(scan.symbology?.name).toBe('GS1 DataMatrix');
  });

  it('skips a leading FNC1 and tolerates one after a fixed field', () => {
    const scan = ok(parseScan(`]Q3${GS}0109506000134352${GS}10LOT1`), 'gs1');
    expect(scan.values.batch).toBe('LOT1');
  });

  it('reads the specification example (01)95012345678903(3103)000123 as 123 g', () => {
    const scan = ok(parseScan(']C1019501234567890331030001 23'.replace(' ', '')), 'gs1');
    expect(scan.values.netWeightGrams).toBe(123);
  });

  it('converts 310n and 320n weights to whole grams', () => {
    const kg = (ai: string, v: string) => ok(parseScan(`]C10109506000134352${ai}${v}`), 'gs1').values.netWeightGrams;
    expect(kg('3100', '000002')).toBe(2000);
    expect(kg('3102', '000150')).toBe(1500);
    expect(kg('3105', '001235')).toBe(12); // 0.01235 kg = 12.35 g, half up
    expect(kg('3201', '000010')).toBe(454); // 1.0 lb = 453.59237 g
  });

  it('reads prices from 392n and 393n in minor units', () => {
    const values = (s: string) => ok(parseScan(s), 'gs1').values;
    expect(values(`]C10109506000134352${'3922'}2499`).price).toBe(2499);
    expect(values(`]C10109506000134352${'3921'}249`).price).toBe(2490);
    expect(values(`]C10109506000134352${'3920'}25`).price).toBe(2500);
    expect(values(`]C10109506000134352${'3932'}9781250`).priceWithCurrency).toEqual({ currencyNumeric: '978', amount: 1250 });
    expect(parseScan(`]C10109506000134352${'3922'}2499`, { currencyExponent: 0 })).toMatchObject({ ok: false, code: 'bad-value' });
    expect(values(`]C10109506000134352${'3922'}2400${GS}`)).toMatchObject({ price: 2400 });
  });

  it('accepts the human-readable (AI) form keyed in by hand', () => {
    const scan = ok(parseScan('(01)09506000134352(17)201225(10)ABC123'), 'gs1');
    expect(scan.values).toMatchObject({ gtin14: '09506000134352', batch: 'ABC123' });
  });

  it('finds element strings sent without identifier or separator', () => {
    expect(ok(parseScan('0109506000134352'), 'gs1').gtin14).toBe('09506000134352');
    expect(ok(parseScan('00106141411234567897'), 'gs1').values.sscc).toBe('106141411234567897');
  });

  it('places two-digit years with the sliding window', () => {
    const expiry = (ref: number) => ok(parseScan(`]C10109506000134352179912${'31'}`, { referenceYear: ref }), 'gs1').values.expiry;
    expect(expiry(2026)).toEqual({ year: 1999, month: 12, day: 31 });
    expect(expiry(2060)).toEqual({ year: 2099, month: 12, day: 31 });
    const endOfMonth = ok(parseScan(']C10109506000134352172402' + '00', { referenceYear: 2026 }), 'gs1').values.expiry;
    expect(endOfMonth).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it.each([
    [`]C10109506000134353`, 'check-digit'],
    [`]C1010950600013435`, 'truncated'],
    [`]C10109506000134352${GS}1712`, 'truncated'],
    [`]C1019506000134352${GS}17201225`, 'truncated'],
    [`]C10109506000134352` + '10' + 'A'.repeat(21), 'too-long'],
    [`]C10109506000134352` + '99' + 'X'.repeat(91), 'too-long'],
    [`]C10109506000134352` + '0312345678901231', 'unknown-ai'],
    [`]C10109506000134352` + '17201345', 'bad-date'],
    [`]C10109506000134352` + '10AB\u00e9', 'bad-value'],
    [`]C101095060001343523103ABCDEF`, 'bad-value'],
    [`]C1`, 'empty'],
    [`(01)09506000134352(89)X`, 'unknown-ai'],
  ])('%j fails with %s', (raw, code) => {
    const e = err(parseScan(raw));
    expect(e.code).toBe(code);
    expect(e.message.length).toBeGreaterThan(10);
  });
});

describe('in-store price and weight codes', () => {
  const layouts: readonly InStoreLayout[] = [EXAMPLE_LAYOUTS.priceWithVerifier, EXAMPLE_LAYOUTS.weightGrams, EXAMPLE_LAYOUTS.price5];

  it('example layouts are well formed', () => {
    for (const layout of layouts) expect(layoutProblem(layout)).toBeUndefined();
    expect(layoutProblem({ ...EXAMPLE_LAYOUTS.price5, value: { offset: 5, length: 5 } })).toMatch(/overlaps/);
    expect(layoutProblem({ ...EXAMPLE_LAYOUTS.price5, verifierOffset: 11 })).toMatch(/overlaps|4- or 5-digit/);
  });

  it('reads a price with its verifier digit', () => {
    const scan = ok(parseScan('2012345928756', { inStoreLayouts: layouts }), 'in-store-price');
    expect(scan.price).toBe(2875);
    expect(scan.itemCode).toBe('12345');
    expect(scan.layout).toBe('price-4-verified');
    expect(scan.lookupGtin14).toBe(withCheckDigit('201234500000').padStart(14, '0'));
  });

  it('refuses a price whose verifier digit is wrong', () => {
    const code = withCheckDigit('201234582875'); // verifier 8 instead of 9, EAN check digit recomputed
    const e = err(parseScan(code, { inStoreLayouts: layouts }));
    expect(e.code).toBe('price-check');
    expect(e.message).toContain('key in the price');
  });

  it('reads a weight in grams', () => {
    const scan = ok(parseScan('2312345012340', { inStoreLayouts: layouts }), 'in-store-weight');
    expect(scan.weightGrams).toBe(1234);
    expect(scan.lookupGtin14).toBe('02312345000002');
  });

  it('reads a 5-digit price without verifier, and a UPC-A number system 2 code when configured', () => {
    expect(ok(parseScan(withCheckDigit('221234501999'), { inStoreLayouts: layouts }), 'in-store-price').price).toBe(1999);
    const upc: InStoreLayout = { name: 'us-price', prefix: '02', kind: 'price', itemCode: { offset: 2, length: 5 }, verifierOffset: 7, value: { offset: 8, length: 4 }, decimals: 2 };
    const upcA = withCheckDigit('21234592875'); // UPC-A, number system 2: item 12345, verifier 9, price 28.75
    expect(upcA).toHaveLength(12);
    expect(ok(parseScan(upcA, { inStoreLayouts: [upc] }), 'in-store-price').itemCode).toBe('12345');
  });

  it('uses the longest matching prefix and leaves unconfigured prefixes as restricted GTINs', () => {
    const special: InStoreLayout = { ...EXAMPLE_LAYOUTS.weightGrams, name: 'special', prefix: '231', itemCode: { offset: 3, length: 4 } };
    expect(ok(parseScan('2312345012340', { inStoreLayouts: [...layouts, special] }), 'in-store-weight').layout).toBe('special');
    expect(ok(parseScan(withCheckDigit('251234501999'), { inStoreLayouts: layouts }), 'gtin').restricted).toBe(true);
  });

  it('a changed price digit is caught by the EAN check digit or the verifier', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{5}$/), fc.stringMatching(/^\d{4}$/), fc.nat(3), fc.integer({ min: 1, max: 9 }), (item, price, at, delta) => {
        const verifier = String(priceVerifierDigit(price));
        const code = withCheckDigit(`20${item}${verifier}${price}`);
        const changedPrice = `${price.slice(0, at)}${(Number(price[at]) + delta) % 10}${price.slice(at + 1)}`;
        // Recompute the EAN check digit as a misprint or a forger would; only the verifier can catch it now.
        const forged = withCheckDigit(`20${item}${verifier}${changedPrice}`);
        const goodScan = parseScan(code, { inStoreLayouts: layouts });
        const badScan = parseScan(forged, { inStoreLayouts: layouts });
        return goodScan.ok && goodScan.kind === 'in-store-price' && !badScan.ok && badScan.code === 'price-check';
      }),
      SEED,
    );
  });
});

describe('fuzz: whatever a scanner sends', () => {
  const layouts: readonly InStoreLayout[] = [EXAMPLE_LAYOUTS.priceWithVerifier, EXAMPLE_LAYOUTS.weightGrams, EXAMPLE_LAYOUTS.price5];
  const KINDS = ['gtin', 'gs1', 'in-store-price', 'in-store-weight', 'unknown-text'];
  const VALID = ['4006381333931', '96385074', '036000291452', ']E001234565', ']I115400141288763', `]C10109506000134352${GS}17201225${GS}10ABC123`, ']d2010950110153000317140704' + '10AB-123', '(01)09506000134352(17)201225(10)ABC123', '2012345928756', '2312345012340', '00106141411234567897', `]C10109506000134352${'3932'}9781250`];
  const alphabet = fc.constantFrom(...'0123456789', GS, ']', '(', ')', 'A', 'd', 'C', 'E', 'Q', '\r', '\n', ' ', '\u00e9', '\u0000', '\uffff');

  /** One edit a bad print, a dirty window or a noisy serial line could make. */
  const mutate = (code: string, op: number, at: number, ch: string): string => {
    const i = code.length === 0 ? 0 : at % code.length;
    if (op === 0) return `${code.slice(0, i)}${ch}${code.slice(i + 1)}`;
    if (op === 1) return `${code.slice(0, i)}${ch}${code.slice(i)}`;
    if (op === 2) return `${code.slice(0, i)}${code.slice(i + 1)}`;
    return code.slice(0, i);
  };
  const mutated = fc.tuple(fc.constantFrom(...VALID), fc.array(fc.tuple(fc.nat(3), fc.nat(), fc.oneof(alphabet, fc.string({ maxLength: 1 }))), { minLength: 0, maxLength: 4 })).map(([code, edits]) => edits.reduce((c, [op, at, ch]) => mutate(c, op, at, ch), code));
  const scanned = fc.oneof(mutated, fc.string({ unit: alphabet, maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 120 }), fc.stringMatching(/^(\]..)?\d{1,48}$/));
  const options = fc.record({ inStoreLayouts: fc.constantFrom(undefined, layouts), currencyExponent: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }), referenceYear: fc.option(fc.integer({ min: 1900, max: 2200 }), { nil: undefined }) }, { requiredKeys: [] });

  it('never throws: either a typed scan or a typed refusal with a message for the cashier', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(scanned, options, (raw, opts) => {
        const scan = parseScan(raw, opts);
        seen.add(scan.ok ? scan.kind : scan.code);
        expect(scan.raw).toBe(raw);
        if (scan.ok) {
          expect(KINDS).toContain(scan.kind);
          if ('gtin14' in scan && scan.gtin14 !== undefined) expect(hasValidCheckDigit(scan.gtin14)).toBe(true);
          if (scan.kind === 'in-store-price') expect(Number.isSafeInteger(scan.price) && scan.price >= 0).toBe(true);
        } else {
          expect(SCAN_ERROR_CODES).toContain(scan.code);
          expect(scan.message).toMatch(/\S/);
        }
      }),
      fuzzParams(2000),
    );
    // The mutations reach every kind of answer, not just "unknown text".
    expect([...seen]).toEqual(expect.arrayContaining(['gtin', 'gs1', 'in-store-price', 'in-store-weight', 'unknown-text', 'check-digit', 'truncated', 'bad-value']));
  });
});
