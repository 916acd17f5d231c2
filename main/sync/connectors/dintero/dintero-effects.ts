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
 * receipt id, wallet `ref_id`). Only documented answers are read (S1 = RobertoSnap/dintero-api-customers-ts
 * src/api/*.d.ts): no status or flag the published API does not list is taken to mean "already applied".
 */
export class DinteroEffects {
  constructor(private readonly client: DinteroClient) {}

  /**
   * Seed 002; S1 dintero-discounts-api.d.ts `aid_discounts_available_for_receipt_post_claim` (`definitions.Claim`).
   * `ref` is the claim key. The API documents only 200/400/401/403/500 here; its prose says a reused ref "will
   * result in conflict" without a status. So a refusal is never read as "our earlier attempt landed" on its status:
   * the claim is looked up by its ref (`GET .../claims?ref=`, documented filter), and only a live claim under our
   * ref counts as applied. ASSUMPTION (docs/connectors.md, vendor question D1): the claims list answers claims whose
   * `ref` equals the filter, and a released claim carries `deleted_at`.
   */
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
    if (result.failure.kind === 'permanent' && result.failure.status !== 401 && result.failure.status !== 403) {
      const live = await this.liveClaims(effect.idempotencyKey, signal);
      if (live.ok && live.claims.length > 0) return ALREADY_APPLIED;
    }
    return fromFailure(result.failure, 'claim');
  }

  /** The live claims under a `ref` (S1 `aid_discounts_available_for_receipt_get_claims`, query `ref`). */
  private async liveClaims(ref: string, signal: AbortSignal | undefined): Promise<{ ok: true; claims: { id: string }[] } | { ok: false; result: DeliveryResult }> {
    const found = await this.client.call({ method: 'GET', path: CLAIMS, query: { ref, limit: 100 }, logIds: { claimRef: ref }, ...(signal ? { signal } : {}) });
    if (!found.ok) return { ok: false, result: fromFailure(found.failure, 'find claim') };
    // S1 answers `Claim[]`; an object with `claims` is accepted as well (not documented; harmless to read).
    const list = ClaimListSchema.safeParse(Array.isArray(found.body) ? found.body : (found.body as { claims?: unknown } | undefined)?.claims);
    if (!list.success) return { ok: false, result: { type: 'transient', reason: 'claim list answer not understood' } };
    return { ok: true, claims: list.data.filter((c) => (c.ref ?? undefined) === ref && !c.deleted_at) };
  }

  /**
   * A void gives its sale's claim back. The claim is found by its `ref` (the id Dintero gave it may never have
   * reached the till), then released. No live claim under that ref means there is nothing left to release.
   */
  async claimRelease(effect: EffectToDeliver, signal?: AbortSignal): Promise<DeliveryResult> {
    const parsed = ClaimReleasePayloadSchema.safeParse(effect.payload);
    if (!parsed.success) return invalidPayload('claim_release', parsed.error.issues);
    const ref = parsed.data.claimRef;
    const found = await this.liveClaims(ref, signal);
    if (!found.ok) return found.result;
    const live = found.claims;
    if (live.length === 0) return ALREADY_APPLIED;
    for (const claim of live) {
      const released = await this.client.call({ method: 'DELETE', path: `${CLAIMS}/${encodeURIComponent(claim.id)}`, logIds: { claimRef: ref, claimId: claim.id }, ...(signal ? { signal } : {}) });
      if (!released.ok && !(released.failure.kind === 'permanent' && released.failure.status === 404)) return fromFailure(released.failure, 'release claim');
    }
    return APPLIED;
  }

  /**
   * `POST /receipts` with one receipt (S1 dintero-receipts-api.d.ts `aid_receipts_post`). The documented answer is
   * `{receipts?: Entity[], duplicates?: number}`: a receipt not created because it exists (`duplicates`) is our
   * earlier attempt. No other status is read as "already there" (409 is not in the published list).
   */
  async receipt(effect: EffectToDeliver, signal?: AbortSignal): Promise<DeliveryResult> {
    const parsed = ReceiptPayloadSchema.safeParse(effect.payload);
    if (!parsed.success) return invalidPayload('receipt', parsed.error.issues);
    const result = await this.client.call({ method: 'POST', path: 'receipts', body: [parsed.data], logIds: { receiptId: parsed.data.receipt_id }, ...(signal ? { signal } : {}) });
    if (!result.ok) return fromFailure(result.failure, 'receipt');
    const answer = ReceiptsAnswerSchema.safeParse(result.body);
    if (answer.success && (answer.data.duplicates ?? 0) > 0 && (answer.data.receipts?.length ?? 0) === 0) return ALREADY_APPLIED;
    return APPLIED;
  }

  /**
   * A gift-card drawdown or fund with `ref_id` = the tender's key (S1 dintero-wallets-api.d.ts `ref_id`: "Unique ref
   * ID provided by the client to support safely retrying requests without accidentally performing the same
   * operation twice"). A 200 is the transaction, first or repeated alike: applied. Neither a 409 nor a `duplicate`
   * flag is documented, so neither is read; a refusal is a refusal.
   */
  async walletTransaction(effect: EffectToDeliver, signal?: AbortSignal): Promise<DeliveryResult> {
    const parsed = WalletTransactionPayloadSchema.safeParse(effect.payload);
    if (!parsed.success) return invalidPayload('wallet_transaction', parsed.error.issues);
    const body = { ...parsed.data, ref_id: effect.idempotencyKey };
    const result = await this.client.call({ method: 'POST', path: 'wallets/transactions', body, logIds: { refId: effect.idempotencyKey }, ...(signal ? { signal } : {}) });
    if (result.ok) return APPLIED;
    return fromFailure(result.failure, 'wallet transaction');
  }
}
