import { renderReceiptBytes } from '../../native/printers/render-receipt';
import { longReceipt, SAMPLE_OPTIONS } from '../unit/native/printers/sample-receipt';
import type { BenchEntry } from './bench-types';

const RECEIPT_80_LINES = longReceipt(80);

/** `receipt.encode.80`: lay out and encode an 80-item receipt at 80 mm with logo and QR code. */
const entries: BenchEntry[] = [
  {
    name: 'receipt.encode.80',
    target: 'p99 <= 5 ms (layout + ESC/POS for 80 lines)',
    samples: 500,
    run: () => {
      const bytes = renderReceiptBytes(RECEIPT_80_LINES, SAMPLE_OPTIONS, { openDrawer: true });
      if (bytes.length < 4_000) throw new Error(`receipt too short: ${bytes.length} bytes`);
      return bytes.length;
    },
  },
];

export default entries;
