import { describe, expect, it } from 'vitest';
import { layoutLineText, layoutReceipt, NORWEGIAN_LABELS } from '../../../../native/printers/receipt-layout';
import { SAMPLE_OPTIONS, SAMPLE_RECEIPT } from './sample-receipt';

/** The Norwegian receipt marks of docs/fiscal-no.md: title, "MVA" after the organisation number, the till's id, training. */
describe('Norwegian receipt titles and marks', () => {
  const lay = (doc: typeof SAMPLE_RECEIPT): string[] =>
    layoutReceipt(doc, { ...SAMPLE_OPTIONS, columns: 48, labels: NORWEGIAN_LABELS }).map((l) => layoutLineText(l).trim());

  it('titles a sale, a return and a void, and prints the organisation number with MVA and the till id', () => {
    const store = { ...SAMPLE_RECEIPT.store, orgNumber: '999 999 999', vatRegistered: true, registerId: 'till-1' };
    const sale = lay({ ...SAMPLE_RECEIPT, store, title: 'sale' });
    expect(sale).toContain('Salgskvittering');
    expect(sale).toContain('Org.nr. 999 999 999 MVA');
    expect(sale).toContain('Kasse till-1');
    expect(lay({ ...SAMPLE_RECEIPT, store, title: 'return' })).toContain('Returkvittering');
    expect(lay({ ...SAMPLE_RECEIPT, store: { ...store, vatRegistered: false }, title: 'sale' })).toContain('Org.nr. 999 999 999');
    expect(lay({ ...SAMPLE_RECEIPT, store: { ...store, vatRegistered: false }, title: 'sale' })).not.toContain('Org.nr. 999 999 999 MVA');
  });

  it('marks a training receipt at the top and the bottom, and a provisional one as not valid', () => {
    const training = lay({ ...SAMPLE_RECEIPT, title: 'sale', training: true });
    const marks = training.flatMap((l, i) => (l.startsWith('TRENINGSKVITTERING') ? [i] : []));
    expect(marks.length).toBeGreaterThanOrEqual(2);
    expect(marks[0]).toBeLessThan(training.indexOf('Salgskvittering') + 3);
    expect(marks.at(-1)).toBeGreaterThan(training.length - 4);
    expect(lay({ ...SAMPLE_RECEIPT, title: 'provisional' }).join('\n')).toContain('Foreløpig kvittering');
  });
});
