import { describe, expect, it } from 'vitest';
import { ERROR_REASON_CODES, ERROR_REASONS, TILL_ERROR_CODES } from '../../../../main/api/contract';
import { ApiError } from '../../../../renderer/shared/api-client';
import { errorLanguage, type ErrorLanguage, wordDetail, wordError, wordingsFor, wordReason } from '../../../../renderer/shared/i18n-errors';

const LANGUAGES: readonly ErrorLanguage[] = ['en', 'nb', 'es'];
const CTX = { nb: { locale: 'nb-NO', currency: 'NOK' }, es: { locale: 'es-ES', currency: 'EUR' }, en: { locale: 'en-GB', currency: 'GBP' } } as const;

/** Words that give English away in a Norwegian or Spanish sentence (none of them is a word in nb or es). */
const ENGLISH_WORDS = ['the', 'is', 'not', 'and', 'was', 'with', 'payment', 'member', 'basket', 'cannot', 'please', 'found', 'already', 'take', 'check', 'sold', 'weight', 'limit', 'offline'];
const englishWord = new RegExp(`\\b(${ENGLISH_WORDS.join('|')})\\b`, 'i');

function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
}

/** Parameters for a reason: every money 12 345 minor units, every number 3, every text a product name. */
function sampleParams(reason: keyof typeof ERROR_REASONS): Record<string, string | number> {
  const kinds = ERROR_REASONS[reason] as Record<string, string>;
  return Object.fromEntries(Object.entries(kinds).map(([name, kind]) => [name, kind === 'money' ? 12_345 : kind === 'number' ? 3 : kind === 'tender' ? 'gift_card' : 'Melk']));
}

describe('error wordings', () => {
  it('words every reason the agent can give in en, nb and es, with exactly the parameters the reason declares', () => {
    expect(ERROR_REASON_CODES.length).toBeGreaterThan(50);
    for (const language of LANGUAGES) {
      const w = wordingsFor(language);
      for (const reason of ERROR_REASON_CODES) {
        const template = w.reasons[reason];
        expect(template.trim(), `${language} ${reason}`).not.toBe('');
        const declared = Object.keys(ERROR_REASONS[reason]).sort();
        expect([...new Set(placeholders(template))].sort(), `${language} ${reason}`).toEqual(declared);
      }
      for (const code of TILL_ERROR_CODES) expect(w.codes[code].trim(), `${language} ${code}`).not.toBe('');
      expect(w.generic).toContain('{code}');
    }
  });

  it('has no English left in the Norwegian and Spanish wordings', () => {
    for (const language of ['nb', 'es'] as const) {
      const w = wordingsFor(language);
      const en = wordingsFor('en');
      const texts: [string, string, string][] = [
        ...ERROR_REASON_CODES.map((r): [string, string, string] => [r, w.reasons[r], en.reasons[r]]),
        ...TILL_ERROR_CODES.map((c): [string, string, string] => [c, w.codes[c], en.codes[c]]),
      ];
      for (const [key, text, english] of texts) {
        expect(text, `${language} ${key} is the English text`).not.toBe(english);
        expect(text.replace(/\{\w+\}/g, ''), `${language} ${key}`).not.toMatch(englishWord);
      }
    }
  });

  it('formats money parameters in the screen locale and currency, and names tenders in its language', () => {
    const nb = wordReason('offline.per-payment', { tender: 'points', cap: 50_000, amount: 62_550 }, CTX.nb);
    expect(nb).toMatch(/500,00/);
    expect(nb).toMatch(/625,50/);
    expect(nb).toMatch(/kr/);
    expect(nb).toContain('poeng');
    const es = wordReason('balance.too-low', { tender: 'gift_card', balance: 10_000, inBasket: 2_500, amount: 9_000, left: 7_500 }, CTX.es);
    expect(es.replace(/\s/g, ' ')).toContain('100,00 €');
    expect(es).toContain('tarjeta regalo');
    for (const reason of ERROR_REASON_CODES) {
      for (const language of LANGUAGES) expect(wordReason(reason, sampleParams(reason), CTX[language]), `${language} ${reason}`).not.toMatch(/\{\w+\}/);
    }
  });

  it('words a refused call by its reason; without one by its code; an unknown reason by the generic sentence with the code', () => {
    const refused = new ApiError(404, 'NOT_FOUND', 'No member has membership number 55555555. The sale is unchanged.', undefined, { reason: 'member.number-not-found', params: { number: '55555555' } });
    expect(wordError(refused, CTX.nb)).toBe('Ingen medlemmer har medlemsnummer 55555555. Salget er uendret.');
    expect(wordError(refused, CTX.es)).toBe('Ningún socio tiene el número de socio 55555555. La venta no ha cambiado.');
    const bare = new ApiError(409, 'CONFLICT', 'Something only English says.');
    expect(wordError(bare, CTX.nb)).toBe(wordingsFor('nb').codes.CONFLICT);
    expect(wordError(bare, CTX.en)).toBe('Something only English says.');
    const newer = new ApiError(409, 'CONFLICT', 'From a newer agent.', undefined, { reason: 'sale.brand-new', params: {} });
    expect(wordError(newer, CTX.es)).toBe('La caja no pudo hacer esto (sale.brand-new).');
    expect(wordError(new TypeError('fetch failed'), CTX.nb)).toBe(wordingsFor('nb').codes.INTERNAL);
    expect(wordError(new ApiError(undefined, 'SOMETHING_ELSE', 'x'), CTX.nb)).toBe('Kassen kunne ikke gjøre dette (SOMETHING_ELSE).');
  });

  it('shows a detail without a reason only on an English screen', () => {
    expect(wordDetail({}, 'Driver text', CTX.en)).toBe('Driver text');
    expect(wordDetail({}, 'Driver text', CTX.nb)).toBeUndefined();
    expect(wordDetail({ reason: 'device.paper-out' }, 'The printer is out of paper', CTX.es)).toBe('La impresora no tiene papel: ponga un rollo nuevo');
  });

  it('picks the language as the message catalogs do', () => {
    expect(errorLanguage('nb-NO')).toBe('nb');
    expect(errorLanguage('no')).toBe('nb');
    expect(errorLanguage('es-MX')).toBe('es');
    expect(errorLanguage('de-DE')).toBe('en');
  });
});
