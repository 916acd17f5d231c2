import { z } from 'zod';

/**
 * The payloads the connectors accept, one per effect kind. The ledger writes them into the outbox; the
 * connector parses them here, so a malformed payload becomes a permanent failure with a clear reason instead
 * of a request the server would refuse. Wire-shaped objects (the Dintero receipt and claim, the Loyalty
 * transaction) are kept loose: fields this module does not know pass through to the server unchanged.
 *
 * Idempotency keys are NOT in the payloads: the outbox's `idempotencyKey` of the effect is the claim `ref`, the
 * wallet `ref_id`, the Loyalty `transactionId` and the payment key. See docs/connectors.md.
 */

const Id = z.string().trim().min(1).max(255);
const Int = z.number().int();

/** A Loyalty API member identifier: at least one field (reference §3.1). */
export const MemberIdSchema = z
  .object({
    membershipKey: z.string().min(1).optional(),
    externalId: z.string().min(1).optional(),
    phoneNumber: z.string().min(1).optional(),
    email: z.string().min(1).optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), { message: 'a member needs at least one identifier' });
export type MemberId = z.infer<typeof MemberIdSchema>;

/**
 * How the ledger names a member: `{ id }` (the till's member id, which is the Loyalty API's `membershipKey`),
 * or directly with the API's identifier fields. Normalised to the API's shape before sending.
 */
export const MemberRefSchema = z.union([
  z.object({ id: z.string().min(1) }).transform((m): MemberId => ({ membershipKey: m.id })),
  MemberIdSchema,
]);

/** `discount_claim`: the body of seed 002, as `claimBody()` of the discount engine builds it. */
export const DiscountClaimPayloadSchema = z.looseObject({
  ref: z.string().optional(),
  type: z.string().optional(),
  purchase_at: z.string().min(1),
  customer_id: Id,
  discounts: z
    .array(z.object({ id: Id, refs: z.array(z.object({ id: Id, amount: Int, usage: Int.min(0) })).min(1) }))
    .min(1),
});
export type DiscountClaimPayload = z.infer<typeof DiscountClaimPayloadSchema>;

/**
 * `claim_release`: names the claim a void gives back by its `ref` (the original sale's claim key), as
 * `claim_ref`, `claimRef` or `reverses` (the key of the claim effect, which is the same string).
 */
export const ClaimReleasePayloadSchema = z
  .object({ claim_ref: Id.optional(), claimRef: Id.optional(), reverses: Id.optional() })
  .transform((p) => ({ claimRef: p.claim_ref ?? p.claimRef ?? p.reverses }))
  .refine((p): p is { claimRef: string } => p.claimRef !== undefined, { message: 'claim_ref is required' });
export type ClaimReleasePayload = z.infer<typeof ClaimReleasePayloadSchema>;

/** `receipt`: the sale as a Dintero receipt (main/core/sale `SaleReceipt`). */
export const ReceiptPayloadSchema = z.looseObject({
  receipt_id: Id,
  purchase_at: z.string().min(1),
  store: z.looseObject({ id: Id }),
});
export type ReceiptPayload = z.infer<typeof ReceiptPayloadSchema>;

/**
 * `wallet_transaction`: a gift-card drawdown (tender) or fund (refund back to the card). The card is named by its
 * code (`token`), its id (`card_id`), or both: the connector sends exactly one (the code only for a drawdown's first
 * try). `replay`: the drawdown is a resend of one whose answer was lost, so its code may already be spent. `pin` is
 * only ever in a tender-time payload in memory; it is never written to the outbox (effect-payload-at-rest.ts).
 */
export const WalletTransactionPayloadSchema = z
  .object({
    token: z.string().min(1).optional(),
    card_id: z.string().min(1).optional(),
    amount: Int.positive(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    type: z.enum(['drawdown', 'fund']).default('drawdown'),
    pin: z.string().optional(),
    replay: z.boolean().optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((w) => w.token !== undefined || w.card_id !== undefined, { message: 'token or card_id is required' });
export type WalletTransactionPayload = z.infer<typeof WalletTransactionPayloadSchema>;

/**
 * `loyalty_transaction`. Submit (no `action`, or `submit`): `/transaction` with `transactionId` = the sale's
 * receipt id (the effect's key when the transaction carries none). Cancel: names the original by `reverses`
 * (the key of the original's transaction effect) or else by `transactionId`; the connector cancels the original
 * by its stored confirmation code and also every loyalty payment of that sale not yet refunded, because
 * cancelling a transaction does not refund its payment (reference §2.5).
 */
export const LoyaltyTransactionPayloadSchema = z.union([
  z.object({
    action: z.literal('cancel'),
    reverses: Id.optional(),
    transactionId: Id.optional(),
    member: MemberRefSchema.optional(),
  }),
  z.object({
    action: z.literal('submit').optional(),
    member: MemberRefSchema.optional(),
    transaction: z.looseObject({ transactionId: z.string().min(1).optional() }),
    usedAssets: z.array(z.unknown()).optional(),
    appliedDeals: z.array(z.unknown()).optional(),
  }),
]);
export type LoyaltyTransactionPayload = z.infer<typeof LoyaltyTransactionPayloadSchema>;

/**
 * `loyalty_payment`, in the API's own shape. `pay`: the effect's key is the payment key; `transaction.transactionId`
 * names the sale (else the envelope's ref). `cancel`: refunds the pay named by `reverses` (its payment key) by
 * its confirmation code, for `payment.amount` (default: all of it).
 */
export const LoyaltyPaymentPayloadSchema = z.object({
  member: MemberRefSchema,
  payment: z.object({
    action: z.enum(['pay', 'cancel']),
    amount: Int.optional(),
    confirmationCode: z.string().min(1).optional(),
  }),
  transaction: z.looseObject({ transactionId: z.string().min(1).optional() }).optional(),
  /** Points or credit, as the ledger recorded it; the server decides by its configuration and is not told. */
  asset: z.string().optional(),
  reverses: Id.optional(),
});
export type LoyaltyPaymentPayload = z.infer<typeof LoyaltyPaymentPayloadSchema>;

/** `member_register`: the profile fields of reference §2.1, sent flat. */
export const MemberRegisterPayloadSchema = z.looseObject({
  phoneNumber: z.string().min(1).optional(),
  email: z.string().min(1).optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  allowedSMS: z.boolean().optional(),
  allowedEmail: z.boolean().optional(),
  termsOfUse: z.boolean().optional(),
  gdpr: z.boolean().optional(),
  birthday: z.string().optional(),
});
export type MemberRegisterPayload = z.infer<typeof MemberRegisterPayloadSchema>;

export const MemberUpdatePayloadSchema = z.object({ member: MemberRefSchema, newMemberData: z.looseObject({}) });
export type MemberUpdatePayload = z.infer<typeof MemberUpdatePayloadSchema>;

export const LoyaltyEventPayloadSchema = z.object({
  member: MemberRefSchema.optional(),
  event: z.object({
    type: z.string().min(1),
    subType: z.string().optional(),
    dateTime: z.string().min(1),
    payload: z.record(z.string(), z.unknown()).optional(),
    tags: z.array(z.string()).optional(),
  }),
});
export type LoyaltyEventPayload = z.infer<typeof LoyaltyEventPayloadSchema>;
