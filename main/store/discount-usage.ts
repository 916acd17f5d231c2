import type { CustomerState, RefState } from '../core/discounts';
import type { ReadableDb } from './db-types';
import { prepared } from './statements';

/**
 * The discount uses this till has committed for a customer: per rule and ref, the `usage` of the refs in the
 * customer's sales (each sale's ledger document, the same refs its claim sends), except sales that were voided
 * (a void releases the claim). Pricing adds this to what the engine knows, so a rule with
 * `discount_repeat_usage` is not granted again at this till after the customer used it up here, online or
 * offline, before the back end has even seen the claim. A claim the back end later refused still counts: the
 * till errs towards the list price rather than a claim that will be refused. Uses at other tills are the back
 * end's to count (docs/discounts.md).
 */
export function localDiscountUsage(db: ReadableDb, customerId: string): CustomerState {
  const rows = prepared(
    db,
    `SELECT json_extract(d.value, '$.id') AS discount_id, json_extract(r.value, '$.id') AS ref_id, SUM(json_extract(r.value, '$.usage')) AS usage
       FROM sales s, json_each(s.document_json, '$.receipt.discounts') d, json_each(d.value, '$.refs') r
      WHERE s.customer_id = ? AND s.kind = 'sale'
        AND NOT EXISTS (SELECT 1 FROM sales v WHERE v.refers_to_sale_id = s.id AND v.kind = 'void')
        AND json_extract(r.value, '$.usage') > 0
      GROUP BY 1, 2`,
  ).all(customerId) as { discount_id: string | null; ref_id: string | null; usage: number }[];
  const refs: RefState[] = [];
  for (const r of rows) if (r.discount_id && r.ref_id) refs.push({ discount_id: r.discount_id, ref_id: r.ref_id, usage: r.usage });
  return { customer_id: customerId, refs };
}

/** Changes whenever a sale, void or refund is committed (by this agent or a CLI command on the same file). */
export function ledgerVersion(db: ReadableDb): number {
  return (prepared(db, 'SELECT COALESCE(MAX(id), 0) AS n FROM sales').get() as { n: number }).n;
}
