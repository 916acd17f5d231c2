import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafeText, MAX_BACKEND_TEXT, safeText } from '../../../main/core/safe-text';
import { fuzzParams } from '../../helpers/fuzz';

describe('safeText', () => {
  it('escapes terminal controls visibly and keeps ordinary text, Norwegian letters and emoji as they are', () => {
    expect(safeText('\u001b[2Jclear')).toBe('\\x1b[2Jclear');
    expect(safeText('a\nb\tc\r')).toBe('a\\x0ab\\x09c\\x0d');
    expect(safeText('\u009b31m')).toBe('\\x9b31m');
    expect(safeText('abc\u202Eexe.txt')).toBe('abc\\u202eexe.txt');
    expect(safeText('lone \ud800 surrogate')).toBe('lone \\ud800 surrogate');
    expect(safeText('Blåbærsyltetøy 🍓 – 25 %')).toBe('Blåbærsyltetøy 🍓 – 25 %');
  });

  it('caps long text at the limit, ending in an ellipsis, without splitting a character', () => {
    expect(Array.from(safeText('🍓'.repeat(1000))).length).toBe(MAX_BACKEND_TEXT);
    expect(safeText('x'.repeat(1000), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('turns any string into safe text no longer than the limit (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constant('binary'), fc.constant('grapheme')).chain((u) => (u === 'binary' ? fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) : fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }))), maxLength: 400 }), fc.integer({ min: 1, max: 500 }), (text, max) => {
        const out = safeText(text, max);
        expect(isSafeText(out)).toBe(true);
        expect(Array.from(out).length).toBeLessThanOrEqual(max);
        if (isSafeText(text) && Array.from(text).length <= max) expect(out).toBe(text);
      }),
      fuzzParams(500),
    );
  });
});
