import { ZERO } from '../../core/money';
import type { ReceiptDocument, ReceiptStore } from '../../../native/printers';

/** The characters a misconfigured code page gets wrong first: Nordic letters, Spanish marks and the euro sign. */
export const TEST_TEXT = 'ÆØÅ æøå ñ ¿ €';

/** A receipt that proves code page, store header, QR code and cutter in one print. Prices nothing. */
export function testReceipt(store: ReceiptStore, at: Date): ReceiptDocument {
  const stamp = at.toISOString().replace(/[-:]/g, '').slice(0, 15);
  return {
    receiptId: `TEST-${stamp}`,
    copy: false,
    store,
    issuedAt: at.toISOString(),
    lines: [{ quantity: 1, name: TEST_TEXT, amount: ZERO, discounts: [] }],
    vat: [],
    total: ZERO,
    tenders: [],
    change: ZERO,
    footer: [TEST_TEXT, 'Printer test: not a receipt'],
  };
}
