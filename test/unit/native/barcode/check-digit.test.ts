import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { gs1CheckDigit, hasValidCheckDigit, priceVerifierDigit } from '../../../../native/barcode/check-digit';
import { fuzzParams } from '../../../helpers/fuzz';

const SEED = fuzzParams(100);

describe('GS1 mod-10 check digit', () => {
  it.each([
    ['400638133393', 1], // EAN-13 4006381333931
    ['590123412345', 7], // GS1 example EAN-13 5901234123457
    ['03600029145', 2], // UPC-A 036000291452
    ['9638507', 4], // EAN-8 96385074
    ['1540014128876', 3], // ITF-14 example 15400141288763
    ['10614141123456789', 7], // SSCC example 106141411234567897
  ])('%s -> %i', (body, digit) => {
    expect(gs1CheckDigit(body)).toBe(digit);
    expect(hasValidCheckDigit(`${body}${digit}`)).toBe(true);
    expect(hasValidCheckDigit(`${body}${(digit + 1) % 10}`)).toBe(false);
  });

  it('refuses non-digits', () => {
    expect(() => gs1CheckDigit('12a')).toThrow(RangeError);
    expect(hasValidCheckDigit('12a4')).toBe(false);
    expect(hasValidCheckDigit('')).toBe(false);
  });
});

describe('price verifier digit (GS1 General Specifications 7.9.3)', () => {
  it('computes the specification examples', () => {
    expect(priceVerifierDigit('2875')).toBe(9); // 4-digit example
    expect(priceVerifierDigit('14685')).toBe(6); // 5-digit example
  });

  it('is zero for an all-zero price', () => {
    expect(priceVerifierDigit('0000')).toBe(0);
    expect(priceVerifierDigit('00000')).toBe(0);
  });

  it('refuses other lengths', () => {
    expect(() => priceVerifierDigit('123')).toThrow(RangeError);
    expect(() => priceVerifierDigit('123456')).toThrow(RangeError);
  });

  it('catches every single-digit change of a 4- or 5-digit price', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.stringMatching(/^\d{4}$/), fc.stringMatching(/^\d{5}$/)),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (price, at, delta) => {
          const i = at % price.length;
          const changed = `${price.slice(0, i)}${(Number(price[i]) + delta) % 10}${price.slice(i + 1)}`;
          return priceVerifierDigit(changed) !== priceVerifierDigit(price);
        },
      ),
      SEED,
    );
  });
});
