import { z } from 'zod';
import type { DeliveryResult, EffectToDeliver } from '../../outbox/connector';
import {
  ClaimReleasePayloadSchema,
  DiscountClaimPayloadSchema,
  ReceiptPayloadSchema,
  WalletTransactionPayloadSchema,
} from '../payloads';
import { ALREADY_APPLIED, APPLIED, fromFailure, invalidPayload } from '../results';
import { maskCardToken } from '../../../core/sale/entry-at-rest';
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
      // The refusal may be our own earlier attempt (its answer lost): while the lookup of its ref fails for a passing
      // reason that is not known yet, so it is tried again rather than read as refused.
      if (!live.ok && live.result.type === 'transient') return { type: 'transient', reason: `claim refused (${result.failure.status}) and its ref could not be looked up: ${live.result.reason}` };
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
   *
   * Which name of the card is sent (issue 14): a card code serves one transaction by default (S1 W `POST
   * /wallets/cards/{card_id}/tokens`, `expires_after_transaction` default true), so the code (`token`) is sent
   * only for a drawdown's first try. A fund, a replay and every retry name the card by `card_id` (S1 W
   * `TransactionInput.card_id`), which needs the `write:wallets` or `admin:wallets` scope: a 403 then reaches the
   * manager saying so. A retry that has only the code and is answered 404/400 cannot tell "refused" from "our lost
   * attempt used the code" (what a repeated ref_id with a spent code answers is undocumented, vendor question
   * D5): it goes to the manager as uncertain, with the evidence, never as refused or applied.
   */
  async walletTransaction(effect: EffectToDeliver, signal?: AbortSignal): Promise<DeliveryResult> {
    const parsed = WalletTransactionPayloadSchema.safeParse(effect.payload);
    if (!parsed.success) return invalidPayload('wallet_transaction', parsed.error.issues);
    const { token, card_id: cardId, replay, ...rest } = parsed.data;
    const retry = replay === true || effect.attempt > 1;
    const byCode = token !== undefined && (cardId === undefined || (rest.type === 'drawdown' && !retry));
    const card = byCode ? { token } : { card_id: cardId };
    // The PIN belongs to the code: a call by card id carries none.
    const { pin, ...fields } = rest;
    const body = { ...fields, ...card, ...(byCode && pin !== undefined ? { pin } : {}), ref_id: effect.idempotencyKey };
    const result = await this.client.call({ method: 'POST', path: 'wallets/transactions', body, logIds: { refId: effect.idempotencyKey }, ...(signal ? { signal } : {}) });
    if (result.ok) return APPLIED;
    const failure = result.failure;
    if (failure.kind === 'permanent' && failure.status === 403 && !byCode) {
      return {
        type: 'permanent',
        reason: `wallet transaction by card id refused (403): this till's Dintero client lacks the write:wallets scope that refunds and retries to a gift card need (docs/connectors.md, "Dintero scopes"). Settle ${rest.type} of ${rest.amount} on card ${cardId ?? ''} in the Dintero back office, or grant the scope and retry`,
      };
    }
    if (failure.kind === 'permanent' && byCode && retry && (failure.status === 404 || failure.status === 400)) {
      const masked = maskCardToken(token ?? '');
      return {
        type: 'permanent',
        reason: `gift card ${masked}: the retry of ${rest.type} ${effect.idempotencyKey} was answered ${failure.status} (${failure.reason}); the card code may have been used by our own earlier attempt, whose answer was lost`,
        evidence: {
          asset: `gift card ${masked}`,
          before: null,
          amount: rest.amount,
          direction: rest.type === 'fund' ? 1 : -1,
          readings: [],
          verdict: 'undecided',
          recommendation: `Look up gift card ${masked} in the Dintero back office: if a transaction with ref_id ${effect.idempotencyKey} is there, resolve with a note that it landed; if not, the ${rest.type} did not happen: resolve saying how the money was settled.`,
        },
      };
    }
    return fromFailure(failure, 'wallet transaction');
  }
}
