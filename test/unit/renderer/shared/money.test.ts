import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, minorDigits, parseAmount } from '../../../../renderer/shared/money';

describe('renderer money', () => {
  it('knows minor digits from Intl', () => {
    expect(minorDigits('NOK')).toBe(2);
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('ISK')).toBe(0);
  });

  it('formats minor units in the till locale', () => {
    expect(formatMoney(12_345, 'NOK', 'nb-NO')).toMatch(/123,45/);
    expect(formatMoney(12_345, 'NOK', 'nb-NO')).toMatch(/kr/);
    expect(formatMoney(12_345, 'EUR', 'es-ES').replace(/\s/g, ' ')).toBe('123,45 €');
    expect(formatMoney(12_345, 'NOK', 'en-GB')).toContain('123.45');
  });

  it('parses typed amounts with comma or point, refusing extra decimals and junk', () => {
    expect(parseAmount('120', 'NOK')).toBe(12_000);
    expect(parseAmount('120,5', 'NOK')).toBe(12_050);
    expect(parseAmount('1 250.05', 'NOK')).toBe(125_005);
    expect(parseAmount('1.005', 'NOK')).toBeUndefined();
    expect(parseAmount('-3', 'NOK')).toBeUndefined();
    expect(parseAmount('abc', 'NOK')).toBeUndefined();
    expect(parseAmount('250', 'ISK')).toBe(250);
  });

  it('round-trips every amount through its plain decimal text', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (n) => {
        const text = `${Math.floor(n / 100)},${String(n % 100).padStart(2, '0')}`;
        expect(parseAmount(text, 'NOK')).toBe(n);
      }),
      { seed: 20261123 },
    );
  });
});
