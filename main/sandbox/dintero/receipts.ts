/**
 * `POST receipts`: an array in, `{receipts, duplicates}` out. A receipt id seen before is a duplicate, not an
 * error, so a till that retries a batch after a lost answer loses nothing and doubles nothing. Stamps the
 * receipt's discount refs carry are added to the customer's stamp card here (Dintero's `receipt_add`).
 */
import { z } from 'zod';
import type { SandboxContext } from '../context';
import { iso } from '../context';
import type { ServerKit } from '../http';
import { authorize, DateTime, ok, parseBody, Trimmed, WRITE_RECEIPTS } from './common';

const ReceiptSchema = z.looseObject({
  receipt_id: z.string().min(1).max(255),
  purchase_at: DateTime,
  store: z.looseObject({ id: z.string().min(1) }),
  customer_id: Trimmed.optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  items: z.array(z.looseObject({ line_id: z.number().int().optional(), gross_amount: z.number().int().optional() })).optional(),
  discounts: z
    .array(
      z.looseObject({
        id: z.string().min(1),
        refs: z.array(z.looseObject({ id: z.string().optional(), stamp: z.number().int().min(0).optional() })).optional(),
      }),
    )
    .optional(),
});

const ReceiptsSchema = z.array(ReceiptSchema).min(1).max(100);

export function registerReceiptRoutes(kit: ServerKit, ctx: SandboxContext): void {
  kit.route('POST', '/v1/accounts/:aid/receipts', 'dintero.receipts.create', (req) => {
    const auth = authorize(ctx, req, WRITE_RECEIPTS);
    if (!auth.ok) return auth.answer;
    const parsed = parseBody(ReceiptsSchema, req.body);
    if (!parsed.ok) return parsed.answer;
    const db = ctx.db;
    return db.transaction(() => {
      const at = iso(ctx.now());
      const created: Record<string, string>[] = [];
      let duplicates = 0;
      const exists = db.prepare<[string], { id: string }>('SELECT id FROM receipts WHERE receipt_id = ?');
      const insert = db.prepare('INSERT INTO receipts (receipt_id, id, customer_id, body, created_at) VALUES (?, ?, ?, ?, ?)');
      const stamp = db.prepare(
        `INSERT INTO ref_stats (customer_id, discount_id, ref_id, stamp, first_stamp_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(customer_id, discount_id, ref_id) DO UPDATE SET stamp = stamp + excluded.stamp,
           first_stamp_at = MIN(COALESCE(first_stamp_at, excluded.first_stamp_at), excluded.first_stamp_at)`,
      );
      for (const receipt of parsed.value) {
        if (exists.get(receipt.receipt_id)) {
          duplicates++;
          continue;
        }
        const id = ctx.newId();
        insert.run(receipt.receipt_id, id, receipt.customer_id ?? null, JSON.stringify(receipt), at);
        created.push({ id, receipt_id: receipt.receipt_id, created_at: at, created_by: auth.claims.sub });
        if (receipt.customer_id === undefined) continue;
        for (const discount of receipt.discounts ?? []) {
          for (const ref of discount.refs ?? []) {
            if (ref.id !== undefined && (ref.stamp ?? 0) > 0) {
              stamp.run(receipt.customer_id, discount.id, ref.id, ref.stamp ?? 0, new Date(receipt.purchase_at).toISOString());
            }
          }
        }
      }
      return ok({ receipts: created, duplicates });
    }).immediate();
  });
}
