import { z } from 'zod';
import type { DeliveryResult, EffectToDeliver } from '../../outbox/connector';
import {
  ClaimReleasePayloadSchema,
  DiscountClaimPayloadSchema,
  ReceiptPayloadSchema,
  WalletTransactionPayloadSchema,
} from '../payloads';
import { ALREADY_APPLIED, APPLIED, fromFailure, invalidPayload } from '../results';
import type { DinteroClient } from './dintero-client';

const CLAIMS = 'discounts/available_for_receipt/claims';

const ClaimListSchema = z.array(z.looseObject({ id: z.string(), ref: z.string().nullish(), deleted_at: z.string().nullish() }));
const ReceiptsAnswerSchema = z.looseObject({ receipts: z.array(z.unknown()).optional(), duplicates: z.number().optional() });

/**
 * The Dintero effects of the outbox. Each uses the effect's idempotency key as Dintero's own key (claim `ref`,
 * receipt id, wallet `ref_id`), so a resend after an unknown outcome is answered as "already there".
 */
export class DinteroEffects {
  constructor(private readonly client: DinteroClient) {}

  /** Seed 002. `ref` is the claim key; a 409 on it means our earlier attempt landed. */
  async discountClaim(effect: EffectToDeliver, signal?: AbortSignal): Promise<DeliveryResult> {
    const parsed = DiscountClaimPayloadSchema.safeParse(effect.payload);
    if (!parsed.success) return invalidPayload('discount_claim', parsed.error.issues);
    const p = parsed.data;
    // Only the fields of the claim schema: the server refuses unknown ones.
    const body = {
      ref: effect.idempotencyKey,
      type: p.type ?? 'pos',
      purchase_at: p.purchase_at,
      customer_id: p.customer_id,
      discounts: p.discounts.map((d) => ({ id: d.id, refs: d.refs.map((r) => ({ id: r.id, amount: r.amount, usage: r.usage })) })),
    };
    const result = await this.client.call({ method: 'POST', path: CLAIMS, body, logIds: { claimRef: effect.idempotencyKey }, ...(signal ? { signal } : {}) });
    if (result.ok) return APPLIED;
    if (result.failure.kind === 'permanent' && result.failure.status === 409) return ALREADY_APPLIED;
    return fromFailure(result.failure, 'claim');
  }

  /**
   * A void gives its sale's claim back. The claim is found by its `ref` (the id Dintero gave it may never have
   * reached the till), then released. No live claim under that ref means there is nothing left to release.
   */
  async claimRelease(effect: EffectToDeliver, signal?: AbortSignal): Promise<DeliveryResult> {
    const parsed = ClaimReleasePayloadSchema.safeParse(effect.payload);
    if (!parsed.success) return invalidPayload('claim_release', parsed.error.issues);
    const ref = parsed.data.claimRef;
    const found = await this.client.call({ method: 'GET', path: CLAIMS, query: { ref, limit: 100 }, logIds: { claimRef: ref }, ...(signal ? { signal } : {}) });
    if (!found.ok) return fromFailure(found.failure, 'find claim');
    const list = ClaimListSchema.safeParse(Array.isArray(found.body) ? found.body : (found.body as { claims?: unknown } | undefined)?.claims);
    if (!list.success) return { type: 'transient', reason: 'claim list answer not understood' };
    const live = list.data.filter((c) => (c.ref ?? undefined) === ref && !c.deleted_at);
    if (live.length === 0) return ALREADY_APPLIED;
    for (const claim of live) {
      const released = await this.client.call({ method: 'DELETE', path: `${CLAIMS}/${encodeURIComponent(claim.id)}`, logIds: { claimRef: ref, claimId: claim.id }, ...(signal ? { signal } : {}) });
      if (!released.ok && !(released.failure.kind === 'permanent' && released.failure.status === 404)) return fromFailure(released.failure, 'release claim');
    }
    return APPLIED;
  }

  /** `POST /receipts` with one receipt; a duplicate is our earlier attempt. */
  async receipt(effect: EffectToDeliver, signal?: AbortSignal): Promise<DeliveryResult> {
    const parsed = ReceiptPayloadSchema.safeParse(effect.payload);
    if (!parsed.success) return invalidPayload('receipt', parsed.error.issues);
    const result = await this.client.call({ method: 'POST', path: 'receipts', body: [parsed.data], logIds: { receiptId: parsed.data.receipt_id }, ...(signal ? { signal } : {}) });
    if (!result.ok) {
      if (result.failure.kind === 'permanent' && result.failure.status === 409) return ALREADY_APPLIED;
      return fromFailure(result.failure, 'receipt');
    }
    const answer = ReceiptsAnswerSchema.safeParse(result.body);
    if (answer.success && (answer.data.duplicates ?? 0) > 0 && (answer.data.receipts?.length ?? 0) === 0) return ALREADY_APPLIED;
    return APPLIED;
  }

  /** A gift-card drawdown or fund with `ref_id` = the tender's key. */
  async walletTransaction(effect: EffectToDeliver, signal?: AbortSignal): Promise<DeliveryResult> {
    const parsed = WalletTransactionPayloadSchema.safeParse(effect.payload);
    if (!parsed.success) return invalidPayload('wallet_transaction', parsed.error.issues);
    const body = { ...parsed.data, ref_id: effect.idempotencyKey };
    const result = await this.client.call({ method: 'POST', path: 'wallets/transactions', body, logIds: { refId: effect.idempotencyKey }, ...(signal ? { signal } : {}) });
    if (result.ok) return (result.body as { duplicate?: unknown } | undefined)?.duplicate === true ? ALREADY_APPLIED : APPLIED;
    if (result.failure.kind === 'permanent' && result.failure.status === 409) return ALREADY_APPLIED;
    return fromFailure(result.failure, 'wallet transaction');
  }
}
