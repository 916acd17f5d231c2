import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderReceiptBytes } from '../../../../native/printers/render-receipt';
import { SAMPLE_OPTIONS, SAMPLE_RECEIPT } from './sample-receipt';

/**
 * Byte-for-byte golden files for a fixed 80 mm receipt. After a deliberate change to the layout or encoder,
 * regenerate them with `UPDATE_ESCPOS_GOLDEN=1 npx vitest run test/unit/native/printers/escpos-golden.test.ts`
 * and review the diff of the decoded text in the commit.
 */
const DIR = path.resolve(import.meta.dirname, '../../../fixtures/escpos');
const update = process.env.UPDATE_ESCPOS_GOLDEN === '1';

const cases = [
  { file: 'receipt-80mm.bin', bytes: () => renderReceiptBytes(SAMPLE_RECEIPT, SAMPLE_OPTIONS, { openDrawer: true }) },
  { file: 'receipt-80mm-copy.bin', bytes: () => renderReceiptBytes({ ...SAMPLE_RECEIPT, copy: true }, SAMPLE_OPTIONS) },
];

describe('golden ESC/POS files', () => {
  it.each(cases)('$file matches byte for byte', ({ file, bytes }) => {
    const actual = Buffer.from(bytes());
    const target = path.join(DIR, file);
    if (update) fs.writeFileSync(target, actual);
    const expected = fs.readFileSync(target);
    expect(actual.equals(expected), `${file} differs; regenerate with UPDATE_ESCPOS_GOLDEN=1 if the change is intended`).toBe(true);
  });
});
