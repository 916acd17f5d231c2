import { z } from 'zod';
import { lazySchema } from '../core/lazy-schema';

/**
 * The receipt on the wire: the one receipt document the printer, the preview and the screen share
 * (main/core/sale/receipt-document.ts), and a receipt laid out as the printer prints it. Re-exported by contract.ts.
 */

/** Amounts on the wire are integer minor units of the till's currency. */
const MinorSchema = lazySchema(() => z.number().int());

export const ReceiptDocumentSchema = lazySchema(() => z.object({
  kind: z.enum(['sale', 'void', 'refund']),
  receiptId: z.string(),
  saleNo: z.number().int(),
  refersTo: z.string().optional(),
  branchId: z.string(),
  posId: z.string(),
  operatorId: z.string(),
  purchaseAt: z.string(),
  currency: z.string(),
  memberId: z.string().optional(),
  lines: z.array(
    z.object({
      lineId: z.number().int(),
      description: z.string(),
      quantity: z.number(),
      unit: z.enum(['piece', 'weight']),
      unitPrice: MinorSchema,
      gross: MinorSchema,
      discounts: z.array(z.object({ text: z.string(), amount: MinorSchema })),
      net: MinorSchema,
    }),
  ),
  totals: z.object({ gross: MinorSchema, discount: MinorSchema, net: MinorSchema, vatTotal: MinorSchema }),
  vat: z.array(z.object({ rateBp: z.number().int(), gross: MinorSchema, vat: MinorSchema, net: MinorSchema })),
  /** `tendered`: cash handed over (a void or refund: paid back) where it differs from `amount`, the share of the total. */
  tenders: z.array(z.object({ kind: z.string(), amount: MinorSchema, tendered: MinorSchema.optional(), reference: z.string().optional(), offline: z.boolean() })),
  /** The cash rounding (docs/ledger.md), signed; absent when there is none. */
  rounding: z.number().int().optional(),
  change: MinorSchema,
  openDrawer: z.boolean(),
  ruleSetVersion: z.string(),
  copy: z.boolean().optional(),
  /** Made in training mode (docs/fiscal-no.md). */
  training: z.boolean().optional(),
  /** A provisional receipt, a bill before payment: no sale, titled as not valid as a receipt (docs/fiscal-no.md). */
  provisional: z.boolean().optional(),
}));

/**
 * A receipt laid out as the printer prints it (native/printers/receipt-layout.ts), for the screen: one entry per
 * printed line, already padded to `columns`; blocks (logo, QR code, barcode) carry their placeholder text.
 */
export const ReceiptLayoutInputSchema = lazySchema(() => z.strictObject({ receiptId: z.string().min(1).max(100), copy: z.boolean().optional() }));
export const ReceiptLayoutSchema = lazySchema(() => z.object({
  columns: z.number().int().positive(),
  lines: z.array(z.object({ kind: z.enum(['text', 'logo', 'qr', 'barcode']), text: z.string(), bold: z.boolean(), double: z.boolean() })),
}));
