import CodepageEncoder from '@point-of-sale/codepage-encoder';
import { describe, expect, it } from 'vitest';
import { CODE_PAGES, decodeByte, toPrintable } from '../../../../native/printers/code-pages';

describe('code pages', () => {
  it.each(CODE_PAGES)('%s: our decode table is the code page as the encoder library knows it', (page) => {
    const codepoints = CodepageEncoder.getCodepoints(page, true);
    for (let byte = 0x80; byte <= 0xff; byte++) {
      const expected = codepoints[byte];
      const ours = decodeByte(page, byte);
      if (expected === undefined || expected === 0) expect(ours, `0x${byte.toString(16)}`).toBe('\ufffd');
      else expect(ours, `0x${byte.toString(16)}`).toBe(String.fromCodePoint(expected));
    }
  });

  it.each(CODE_PAGES)('%s: Nordic and Spanish letters and the euro round-trip', (page) => {
    const text = 'ÆØÅ æøå ñ ¿ €';
    const bytes = CodepageEncoder.encode(text, page);
    expect([...bytes].map((b) => decodeByte(page, b)).join('')).toBe(text);
    expect(toPrintable(text, page)).toBe(text);
  });

  it('replaces what the page lacks with "?" and drops control characters', () => {
    expect(toPrintable('Sushi 寿司 ✓', 'cp858')).toBe('Sushi ?? ?');
    expect(toPrintable('Evil\u001b@name\u0007', 'cp858')).toBe('Evil@name');
    expect(toPrintable('\u0080x', 'windows1252')).toBe('x');
  });

  it('decodes printable ASCII as itself and unknown pages as U+FFFD', () => {
    expect(decodeByte('cp858', 0x41)).toBe('A');
    expect(decodeByte(undefined, 0x9d)).toBe('\ufffd');
  });
});
