import type { WritableDb } from '../../../store/db-types';
import {
  getLoyaltyTransaction,
  getLoyaltyTransactionByEffect,
  listSalePaymentOps,
  recordTransactionCancelled,
  recordTransactionSubmitted,
} from '../../../store/loyalty-confirmations';
import type { DeliveryResult, EffectToDeliver, PaymentCheck, PaymentCheckRequest } from '../../outbox/connector';
import type { ConnectorLogger } from '../http';
import {
  LoyaltyEventPayloadSchema,
  LoyaltyPaymentPayloadSchema,
  LoyaltyTransactionPayloadSchema,
  MemberRegisterPayloadSchema,
  MemberUpdatePayloadSchema,
  type MemberId,
} from '../payloads';
import { ALREADY_APPLIED, APPLIED, fromFailure, invalidPayload } from '../results';
import type { LoyaltyClient } from './loyalty-client';
import { LoyaltyPayments } from './loyalty-payments';
import { checkHeldPayment, isHeldOp } from './held-payment-check';
import { apiTransaction, DEFAULT_WIRE, isFullTransaction, type LoyaltyWire } from './transaction-body';

/** The Loyalty POS API effects of the outbox. */
export class LoyaltyEffects {
  readonly payments: LoyaltyPayments;

  constructor(
    private readonly client: LoyaltyClient,
    private readonly db: WritableDb,
    private readonly now: () => number,
    private readonly logger: ConnectorLogger,
    private readonly wire: LoyaltyWire = DEFAULT_WIRE,
  ) {
    this.payments = new LoyaltyPayments(client, db, now, logger, wire);
  }

  /**
   * `submit`: `/transaction` with `transactionId` = the sale's key; the server answers a replay with its first
   * answer, and a code already held means our earlier attempt landed. `cancel`: cancels the transaction by its
   * confirmation code and every loyalty payment of the sale, because cancelling the one does not refund the other.
   */
  async transaction(effect: EffectToDeliver, signal?: AbortSignal): Promise<DeliveryResult> {
    const parsed = LoyaltyTransactionPayloadSchema.safeParse(effect.payload);
    if (!parsed.success) return invalidPayload('loyalty_transaction', parsed.error.issues);
    const p = parsed.data;
    if (p.action === 'cancel') return this.cancelTransaction(p.reverses, p.transactionId, p.member, signal);
    const transactionId = p.transaction.transactionId ?? effect.idempotencyKey;
    const held = getLoyaltyTransaction(this.db, transactionId);
    if (held?.confirmationCode) return ALREADY_APPLIED;
    const body = {
      ...(p.member ? { member: p.member } : {}),
      transaction: apiTransaction(p.transaction, transactionId, this.wire),
      ...(p.usedAssets ? { usedAssets: p.usedAssets } : {}),
      ...(p.appliedDeals ? { appliedDeals: p.appliedDeals } : {}),
    };
    const result = await this.client.post('transaction', body, { logIds: { transactionId }, ...(signal ? { signal } : {}) });
    if (!result.ok) return fromFailure(result.failure, 'transaction');
    // The success fields sit at the top level (seed 004) or in `data` (/payment page); the client reads both.
    const code = result.confirmationCode;
    recordTransactionSubmitted(this.db, transactionId, effect.idempotencyKey, code, this.now());
    this.logger.info({ transactionId, confirmationCode: code }, 'loyalty transaction confirmed');
    return APPLIED;
  }

  private async cancelTransaction(reverses: string | undefined, transactionId: string | undefined, member: MemberId | undefined, signal?: AbortSignal): Promise<DeliveryResult> {
    const held = reverses !== undefined ? getLoyaltyTransactionByEffect(this.db, reverses) : transactionId !== undefined ? getLoyaltyTransaction(this.db, transactionId) : undefined;
    const saleKey = held?.transactionId ?? (reverses === undefined ? transactionId : undefined);
    // Payments first: a payment left paid after its sale is cancelled is money the member lost.
    if (saleKey !== undefined) {
      for (const op of listSalePaymentOps(this.db, saleKey)) {
        if (op.action !== 'pay' || op.state === 'failed') continue;
        const cancelled = await this.payments.cancel({ opKey: `${op.paymentKey}:cancel`, paymentKey: op.paymentKey }, signal);
        // A pay or refund whose answer was lost comes back with `checkPayment`: the outbox checks it, then retries this.
        if (cancelled.type !== 'applied' && cancelled.type !== 'already_applied') return cancelled;
      }
      // A refund of the sale's payments by another effect (the void's own refund) whose answer was lost is decided
      // by the member's balance; cancelling the transaction now would move that balance too (earned points taken
      // back) and leave the check undecidable. Held until the check settles it (checkHeldPayment finds it).
      const unsettled = listSalePaymentOps(this.db, saleKey).find(isHeldOp);
      if (unsettled) {
        return {
          type: 'transient',
          reason: `cancel of transaction ${saleKey}: waits until the till's balance check settles ${unsettled.action === 'pay' ? 'payment' : 'refund'} ${unsettled.opKey}`,
          uncertain: true,
          checkPayment: true,
        };
      }
    }
    // Never submitted (or only refused): nothing to cancel on the server.
    if (!held || held.state === 'cancelled') return ALREADY_APPLIED;
    if (!held.confirmationCode) {
      return { type: 'permanent', reason: `transaction ${held.transactionId} was accepted without a confirmation code; it cannot be cancelled automatically` };
    }
    const body = { ...(member ? { member } : {}), transaction: { action: 'cancel', transactionId: held.transactionId, confirmationCode: held.confirmationCode } };
    const result = await this.client.post('transaction', body, { logIds: { transactionId: held.transactionId, confirmationCode: held.confirmationCode }, ...(signal ? { signal } : {}) });
    if (!result.ok) return fromFailure(result.failure, 'cancel transaction');
    recordTransactionCancelled(this.db, held.transactionId, result.confirmationCode, this.now());
    this.logger.info({ transactionId: held.transactionId, confirmationCode: held.confirmationCode }, 'loyalty transaction cancelled');
    return APPLIED;
  }

  async payment(effect: EffectToDeliver, signal?: AbortSignal): Promise<DeliveryResult> {
    const parsed = LoyaltyPaymentPayloadSchema.safeParse(effect.payload);
    if (!parsed.success) return invalidPayload('loyalty_payment', parsed.error.issues);
    const p = parsed.data;
    if (p.payment.action === 'cancel') {
      if (p.reverses === undefined) return { type: 'permanent', reason: 'a loyalty refund must name the payment it reverses' };
      const amount = p.payment.amount === undefined ? undefined : Math.abs(p.payment.amount);
      return this.payments.cancel({ opKey: effect.idempotencyKey, paymentKey: p.reverses, member: p.member, ...(amount === undefined ? {} : { amount }), ...(p.asset === undefined ? {} : { asset: p.asset }) }, signal);
    }
    if (p.payment.amount === undefined || p.payment.amount <= 0) return { type: 'permanent', reason: 'a loyalty pay needs a positive amount' };
    const saleKey = p.transaction?.transactionId ?? effect.envelopeRef;
    // The vendor's flow sends the sale's full transaction with the payment; a stub (older envelopes) is left
    // out rather than sent without its required fields, since the /payment table marks `transaction` optional.
    const transaction = isFullTransaction(p.transaction) ? apiTransaction(p.transaction, saleKey, this.wire) : undefined;
    return this.payments.pay({ paymentKey: effect.idempotencyKey, saleKey, member: p.member, amount: p.payment.amount, ...(transaction ? { transaction } : {}) }, signal);
  }

  /**
   * The till's own check of a payment whose answer was lost, or of the one a refund or a cancelled sale waits on
   * (`held-payment-check.ts`, `payment-balance-check.ts`).
   */
  async checkPayment(effect: EffectToDeliver, request: PaymentCheckRequest, signal?: AbortSignal): Promise<PaymentCheck> {
    return checkHeldPayment({ client: this.client, db: this.db, now: this.now, logger: this.logger }, effect, request, signal);
  }

  async memberRegister(effect: EffectToDeliver, signal?: AbortSignal): Promise<DeliveryResult> {
    const parsed = MemberRegisterPayloadSchema.safeParse(effect.payload);
    if (!parsed.success) return invalidPayload('member_register', parsed.error.issues);
    const result = await this.client.post('member/register', parsed.data, { logIds: { registrationKey: effect.idempotencyKey }, ...(signal ? { signal } : {}) });
    return result.ok ? APPLIED : fromFailure(result.failure, 'register member');
  }

  async memberUpdate(effect: EffectToDeliver, signal?: AbortSignal): Promise<DeliveryResult> {
    const parsed = MemberUpdatePayloadSchema.safeParse(effect.payload);
    if (!parsed.success) return invalidPayload('member_update', parsed.error.issues);
    const result = await this.client.post('member/update', parsed.data, { logIds: { updateKey: effect.idempotencyKey }, ...(signal ? { signal } : {}) });
    return result.ok ? APPLIED : fromFailure(result.failure, 'update member');
  }

  async event(effect: EffectToDeliver, signal?: AbortSignal): Promise<DeliveryResult> {
    const parsed = LoyaltyEventPayloadSchema.safeParse(effect.payload);
    if (!parsed.success) return invalidPayload('loyalty_event', parsed.error.issues);
    const result = await this.client.post('event', parsed.data, { logIds: { eventKey: effect.idempotencyKey, eventType: parsed.data.event.type }, ...(signal ? { signal } : {}) });
    return result.ok ? APPLIED : fromFailure(result.failure, 'event');
  }
}
