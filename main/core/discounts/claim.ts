/**
 * The body of `POST /discounts/available_for_receipt/claims` (seed 002) for an evaluated receipt.
 */
import type { EvaluationResult } from './evaluate';

export type ClaimBody = {
  readonly ref: string;
  readonly type: 'pos';
  readonly purchase_at: string;
  readonly customer_id: string;
  readonly discounts: readonly { readonly id: string; readonly refs: readonly { readonly id: string; readonly amount: number; readonly usage: number }[] }[];
};

/**
 * `ref` is the claim's idempotency key (the sync layer derives it from till and sale). Returns undefined when
 * there is nothing to claim: no customer on the receipt (Dintero requires `customer_id`), or no ref was used.
 * Stamp-only refs (usage 0) are not claimed; the receipt posted afterwards records them. A bonus ref claims its
 * bonus as the amount.
 */
export function claimBody(result: EvaluationResult, ref: string): ClaimBody | undefined {
  const customerId = result.receipt.customer_id;
  if (customerId === undefined) return undefined;
  const discounts = result.discounts
    .map((d) => ({
      id: d.id,
      refs: d.refs.filter((r) => r.usage > 0).map((r) => ({ id: r.id, amount: r.amount + (r.bonus ?? 0), usage: r.usage })),
    }))
    .filter((d) => d.refs.length > 0);
  if (discounts.length === 0) return undefined;
  return { ref, type: 'pos', purchase_at: result.receipt.purchase_at, customer_id: customerId, discounts };
}
