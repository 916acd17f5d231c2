import type { Symbology } from './scan-result';

/**
 * AIM symbology identifiers (ISO/IEC 15424) a scanner may put in front of the data: "]" + code letter +
 * modifier. Only the ones that change how the data is read are named; others keep their raw form.
 */
const NAMES: Readonly<Record<string, string>> = {
  ']E0': 'EAN/UPC',
  ']E1': 'EAN/UPC with add-on',
  ']E2': 'EAN/UPC with add-on',
  ']E3': 'EAN/UPC with add-on',
  ']E4': 'EAN-8',
  ']C0': 'Code 128',
  ']C1': 'GS1-128',
  ']d1': 'Data Matrix',
  ']d2': 'GS1 DataMatrix',
  ']Q1': 'QR Code',
  ']Q3': 'GS1 QR Code',
  ']e0': 'GS1 DataBar',
  ']I0': 'ITF',
  ']I1': 'ITF',
  ']A0': 'Code 39',
  ']X0': 'other',
};

/** Symbologies whose data is a GS1 element string. */
const GS1_AIMS = new Set([']C1', ']d2', ']Q3', ']e0']);

export function isGs1Symbology(aim: string | undefined): boolean {
  return aim !== undefined && GS1_AIMS.has(aim);
}

/** Splits a leading AIM identifier off the data, if there is one. */
export function splitSymbology(raw: string): { symbology: Symbology | undefined; data: string } {
  const m = /^\][A-Za-z][0-9A-Za-z]/.exec(raw);
  if (!m) return { symbology: undefined, data: raw };
  const aim = m[0];
  return { symbology: { aim, name: NAMES[aim] ?? `AIM ${aim}` }, data: raw.slice(3) };
}
