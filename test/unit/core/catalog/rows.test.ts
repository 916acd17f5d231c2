import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gtinCheckDigit, lookupKey, normalizeCode, parseCatalogCsv, parseCatalogJson, parseCsv, validateRow } from '../../../../main/core/catalog';

fc.configureGlobal({ seed: 20261123, numRuns: 200 });

describe('codes', () => {
  it('stores GTINs as 14 digits so any length of the same product matches', () => {
    expect(normalizeCode('7038010009457')).toEqual({ ok: true, code: '07038010009457' });
    expect(lookupKey('07038010009457')).toBe('07038010009457');
    expect(normalizeCode('96385074')).toEqual({ ok: true, code: '00000096385074' }); // EAN-8
    expect(normalizeCode('12345670')).toEqual({ ok: true, code: '00000012345670' });
    expect(normalizeCode('12345678')).toEqual({ ok: true, code: '12345678' }); // bad check: an in-store code
    expect(normalizeCode('7038010009458')).toMatchObject({ ok: false, reason: expect.stringMatching(/check digit/) });
    expect(normalizeCode('two words')).toMatchObject({ ok: false });
  });

  it('every GTIN body with its check digit normalises, and a changed last digit does not', () => {
    fc.assert(
      fc.property(fc.constantFrom(11, 12, 13), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 13, maxLength: 13 }), (len, digits) => {
        const body = digits.slice(0, len).join('');
        const code = `${body}${gtinCheckDigit(body)}`;
        expect(normalizeCode(code)).toEqual({ ok: true, code: code.padStart(14, '0') });
        const wrong = `${body}${(gtinCheckDigit(body) + 1) % 10}`;
        expect(normalizeCode(wrong).ok).toBe(false);
      }),
    );
  });
});

describe('csv', () => {
  it('reads quotes, doubled quotes, separators and line breaks inside quotes, CRLF, and reports start lines', () => {
    const parsed = parseCsv('a,b\r\n"x, ""y""","multi\nline"\n3,4\n');
    expect(parsed).toEqual({ ok: true, records: [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['x, "y"', 'multi\nline'] }, { line: 4, fields: ['3', '4'] }] });
    expect(parseCsv('a;b\n1;2').ok && parseCsv('a;b\n1;2')).toMatchObject({ records: [{ fields: ['a', 'b'] }, { fields: ['1', '2'] }] });
    expect(parseCsv('a\n"open')).toEqual({ ok: false, line: 2, reason: 'a quoted field is never closed' });
  });

  it('round-trips any table written with quoting', () => {
    const cell = fc.string({ maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 8 }), (rows) => {
        const text = ['h1,h2', ...rows.map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(','))].join('\n');
        const parsed = parseCsv(text, ',');
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.records.slice(1).map((r) => r.fields)).toEqual(rows);
      }),
    );
  });
});

describe('catalog rows', () => {
  it('validates a full row into an item', () => {
    expect(validateRow({ id: 'beer', codes: 'beer1 | 7310070000002', name: 'Beer', groups: 'alcohol:Alcohol|summer', unit_price: '29,90', vat_rate: '25%', unit: 'stk', age_limit: '18', eligible_for_discount: 'nei' })).toEqual({
      id: 'beer',
      codes: ['beer1', '07310070000002'],
      name: 'Beer',
      groups: [{ id: 'alcohol', name: 'Alcohol' }, { id: 'summer' }],
      unitPrice: 2990,
      vatRateBp: 2500,
      unit: 'piece',
      ageLimit: 18,
      eligibleForDiscount: false,
    });
  });

  it.each([
    [{ codes: 'x', name: 'n', unit_price: '1', vat_rate: '25' }, /id is missing/],
    [{ id: 'a', codes: 'x', name: 'n', unit_price: '1.999', vat_rate: '25' }, /more than 2 decimals/],
    [{ id: 'a', codes: 'x', name: 'n', unit_price: '-1', vat_rate: '25' }, /unit_price/],
    [{ id: 'a', codes: 'x', name: 'n', unit_price: '1', vat_rate: '125' }, /between 0 and 100/],
    [{ id: 'a', codes: 'x', name: 'n', unit_price: '1', vat_rate: '25', unit: 'litre' }, /piece or weight/],
    [{ id: 'a', codes: 'x', name: 'n', unit_price: '1', vat_rate: '25', age_limit: '18+' }, /age_limit/],
    [{ id: 'a', codes: 'x', name: 'n', unit_price: '1', vat_rate: '25', eligible_for_discount: 'maybe' }, /true or false/],
    [{ id: 'a', codes: ' ', name: 'n', unit_price: '1', vat_rate: '25' }, /codes is missing/],
    [{ id: 'a b', codes: 'x', name: 'n', unit_price: '1', vat_rate: '25' }, /without spaces/],
  ])('refuses %j', (row, reason) => {
    expect(validateRow(row)).toMatch(reason);
  });

  it('reports each bad CSV row by line, imports the rest, and the first owner of a code wins', () => {
    const csv = ['id;codes;name;unit_price;vat_rate', 'a;1001;A;10,00;25', 'b;1001;B;5;25', 'c;1002;C;oops;25', 'a;1003;A again;1;25', 'd;1004;D;2;15'].join('\n');
    const parsed = parseCatalogCsv(csv);
    expect(parsed.rows.map((r) => [r.line, r.item.id])).toEqual([[2, 'a'], [6, 'd']]);
    expect(parsed.problems).toEqual([
      { line: 3, reason: 'code 1001 already belongs to item "a" in this file' },
      { line: 4, reason: expect.stringMatching(/unit_price/) },
      { line: 5, reason: 'item id "a" is already on line 2' },
    ]);
    expect(parseCatalogCsv('id,codes,name\n').problems[0]?.reason).toMatch(/lacks the column\(s\) unit_price, vat_rate/);
    expect(parseCatalogCsv('id,codes,name,unit_price,vat_rate,colour\n').problems[0]?.reason).toMatch(/unknown column\(s\) colour/);
  });

  it('reads JSON items with arrays, booleans and integer minor units', () => {
    const parsed = parseCatalogJson(JSON.stringify({ items: [{ id: 'a', codes: ['2301'], name: 'Apples', groups: [{ id: 'fruit' }], unit_price_minor: 3490, vat_rate: 15, unit: 'weight', eligible_for_discount: true }, { id: 'b', codes: ['1'], name: 'B', unit_price: 12.5, vat_rate: 25 }] }));
    expect(parsed.rows[0]?.item).toMatchObject({ id: 'a', unitPrice: 3490, vatRateBp: 1500, unit: 'weight', groups: [{ id: 'fruit' }] });
    expect(parsed.problems).toEqual([{ line: 2, reason: expect.stringMatching(/decimal string/) }]);
    expect(parseCatalogJson('{').problems[0]?.reason).toMatch(/not valid JSON/);
  });
});
