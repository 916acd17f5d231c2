import type { WritableDb } from '../../../store/db-types';
import { beginPaymentOp, finishPaymentOp, getPaymentOp, listCancelsOf, opClock, type Balances, type PaymentOp } from '../../../store/loyalty-confirmations';
import type { DeliveryResult } from '../../outbox/connector';
import type { ConnectorLogger } from '../http';
import type { MemberId } from '../payloads';
import { ALREADY_APPLIED, APPLIED, fromFailure } from '../results';
import type { LoyaltyClient } from './loyalty-client';
import { balancesOf, compareBalances, newBalanceOf } from './member-balance';
import { DEFAULT_WIRE, type LoyaltyWire } from './transaction-body';

/**
 * What reconciling an attempt with an unknown outcome decided:
 * - `resend`: the balance did not move, the attempt did not land; it may be sent again.
 * - `already_applied`: the balance moved by exactly the amount (or a confirmation code is held).
 * - `manager`: the balance moved some other way; a person decides.
 * - `unreachable`: the member's balance could not be read now; try later.
 */
export type ReconcileDecision =
  | { readonly decision: 'resend' }
  | { readonly decision: 'already_applied'; readonly confirmationCode: string | null }
  | { readonly decision: 'manager'; readonly reason: string }
  | { readonly decision: 'unreachable'; readonly reason: string };

export type PayRequest = {
  readonly paymentKey: string;
  readonly saleKey: string;
  readonly member: MemberId;
  readonly amount: number;
  /** The sale's full Transaction, already in the API's shape ("Both transaction and payment objects must be provided", payment flow page). */
  readonly transaction?: Record<string, unknown>;
};

export type CancelRequest = {
  /** The cancel effect's key; `<payment key>:cancel` when a cancelled sale refunds its payments. */
  readonly opKey: string;
  /** The pay to refund. */
  readonly paymentKey: string;
  /** Minor units (or points) to refund; default all that is left. */
  readonly amount?: number;
  readonly member?: MemberId;
};

/**
 * `/payment` pay and cancel. The API has no idempotency key, so each attempt is written down with the member's
 * balance read just before it, and its confirmation code when it lands. An attempt whose answer never came is
 * not sent again until `reconcile` has read the balance and found it unmoved.
 */
export class LoyaltyPayments {
  constructor(
    private readonly client: LoyaltyClient,
    private readonly db: WritableDb,
    private readonly now: () => number,
    private readonly logger: ConnectorLogger,
    private readonly wire: LoyaltyWire = DEFAULT_WIRE,
  ) {}

  async pay(req: PayRequest, signal?: AbortSignal): Promise<DeliveryResult> {
    const existing = getPaymentOp(this.db, req.paymentKey);
    if (existing) {
      const settled = await this.settleEarlier(existing, signal);
      if (settled) return settled;
    }
    const beforeReadSeq = opClock(this.db);
    const before = await this.readBalances(req.member, req.paymentKey, signal);
    if (!before.ok) return before.result;
    beginPaymentOp(
      this.db,
      { opKey: req.paymentKey, paymentKey: req.paymentKey, saleKey: req.saleKey, action: 'pay', amount: req.amount, memberJson: JSON.stringify(req.member), before: before.balances, beforeReadSeq },
      this.now(),
    );
    const body = { member: req.member, payment: { action: 'pay', amount: req.amount }, ...(req.transaction ? { transaction: req.transaction } : {}) };
    return this.send(req.paymentKey, body, signal);
  }

  /**
   * Refunds an earlier pay (`paymentKey`) by its confirmation code, as the op `opKey` (the cancel effect's key).
   * Refunds never exceed what the pay took, counting every other refund of it that landed or may have landed,
   * so an explicit refund and a cancelled sale's safety net cannot refund twice. Nothing to refund when the pay
   * never landed.
   */
  async cancel(req: CancelRequest, signal?: AbortSignal): Promise<DeliveryResult> {
    const pay = getPaymentOp(this.db, req.paymentKey);
    if (!pay || pay.action !== 'pay' || pay.state === 'failed') return ALREADY_APPLIED;
    if (pay.state !== 'done') {
      const settled = await this.settleEarlier(pay, signal);
      if (settled === undefined) {
        // The pay did not land: nothing to give back. It must not be sent later either.
        finishPaymentOp(this.db, pay.opKey, { state: 'failed', reason: 'not applied; its sale was cancelled' }, this.now());
        return ALREADY_APPLIED;
      }
      if (settled.type !== 'already_applied' && settled.type !== 'applied') return settled;
    }
    const earlier = getPaymentOp(this.db, req.opKey);
    if (earlier) {
      const settled = await this.settleEarlier(earlier, signal);
      if (settled) return settled;
    }
    const paid = getPaymentOp(this.db, req.paymentKey);
    if (!paid?.confirmationCode) {
      return { type: 'permanent', reason: `payment ${req.paymentKey} landed without a confirmation code; it cannot be cancelled automatically` };
    }
    const refunded = listCancelsOf(this.db, req.paymentKey)
      .filter((c) => c.opKey !== req.opKey && c.state !== 'failed')
      .reduce((total, c) => total + c.amount, 0);
    const remaining = paid.amount - refunded;
    const amount = Math.min(req.amount ?? remaining, remaining);
    if (amount <= 0) return ALREADY_APPLIED;
    const member = req.member ?? (JSON.parse(paid.memberJson) as MemberId);
    const beforeReadSeq = opClock(this.db);
    const before = await this.readBalances(member, req.opKey, signal);
    if (!before.ok) return before.result;
    beginPaymentOp(
      this.db,
      { opKey: req.opKey, paymentKey: req.paymentKey, saleKey: paid.saleKey, action: 'cancel', amount, memberJson: JSON.stringify(member), before: before.balances, beforeReadSeq },
      this.now(),
    );
    const body = { member, payment: this.refundPayment(paid.confirmationCode, amount, amount === paid.amount && refunded === 0) };
    return this.send(req.opKey, body, signal);
  }

  /**
   * The `payment` object of a refund (reference §3.4, /references/payment: `amount` "positive for pay, negative
   * for cancel"; `confirmationCode` "required only for cancel"). A whole refund is a cancel, with the negative
   * amount unless `wire.cancelAmount` is `omit` (the flow page's example). A part is a cancel with the negative
   * part, or a negative `pay` when `wire.partialRefund` says so; a part cannot leave its amount out.
   */
  private refundPayment(confirmationCode: string, amount: number, whole: boolean): Record<string, unknown> {
    if (!whole && this.wire.partialRefund === 'negative_pay') return { action: 'pay', amount: -amount };
    const withAmount = !whole || this.wire.cancelAmount === 'negative';
    return { action: 'cancel', confirmationCode, ...(withAmount ? { amount: -amount } : {}) };
  }

  /**
   * Decides an attempt whose outcome is unknown by the confirmation codes held and the member's balance now.
   * An op already done (its code is held) is `already_applied`; otherwise the balance decides.
   */
  async reconcile(opKey: string, signal?: AbortSignal): Promise<ReconcileDecision> {
    const op = getPaymentOp(this.db, opKey);
    if (!op) return { decision: 'resend' };
    if (op.state === 'done') return { decision: 'already_applied', confirmationCode: op.confirmationCode };
    if (op.state === 'failed') return { decision: 'resend' };
    const member = JSON.parse(op.memberJson) as MemberId;
    const read = await this.client.post('member/details', { member }, { logIds: { paymentKey: op.paymentKey }, ...(signal ? { signal } : {}) });
    if (!read.ok) return { decision: 'unreachable', reason: read.failure.reason };
    const now = balancesOf(read.data);
    const verdict = compareBalances(op.before, now, op.amount, op.action === 'pay' ? -1 : 1);
    const at = this.now();
    switch (verdict.verdict) {
      case 'unchanged':
        finishPaymentOp(this.db, op.opKey, { state: 'failed', after: now, reason: 'reconciled: balance unchanged, not applied' }, at);
        this.logger.info({ paymentKey: op.paymentKey, action: op.action }, 'loyalty payment reconciled: not applied');
        return { decision: 'resend' };
      case 'moved_by_amount':
        finishPaymentOp(this.db, op.opKey, { state: 'done', after: now, reason: `reconciled: ${verdict.on} moved by the amount` }, at);
        this.logger.info({ paymentKey: op.paymentKey, action: op.action, on: verdict.on }, 'loyalty payment reconciled: applied');
        return { decision: 'already_applied', confirmationCode: op.confirmationCode };
      case 'other':
        finishPaymentOp(this.db, op.opKey, { state: 'uncertain', after: now, reason: verdict.detail }, at);
        return { decision: 'manager', reason: `payment ${op.paymentKey} (${op.action}): ${verdict.detail}` };
      default:
        return verdict satisfies never;
    }
  }

  /**
   * An op row already exists for this key: done means already applied; a failed one may be attempted again
   * (returns undefined); a sending/uncertain one is reconciled first.
   */
  private async settleEarlier(op: PaymentOp, signal?: AbortSignal): Promise<DeliveryResult | undefined> {
    if (op.state === 'done') return ALREADY_APPLIED;
    if (op.state === 'failed') return undefined;
    const decision = await this.reconcile(op.opKey, signal);
    switch (decision.decision) {
      case 'resend':
        return undefined;
      case 'already_applied':
        return ALREADY_APPLIED;
      case 'manager':
        return { type: 'transient', reason: decision.reason, uncertain: true };
      case 'unreachable':
        // Still unknown: the outbox keeps it in front of a person rather than sending blind.
        return { type: 'transient', reason: `reconcile: ${decision.reason}`, uncertain: true };
      default:
        return decision satisfies never;
    }
  }

  private async readBalances(member: MemberId, key: string, signal?: AbortSignal): Promise<{ ok: true; balances: Balances } | { ok: false; result: DeliveryResult }> {
    const read = await this.client.post('member/details', { member }, { logIds: { paymentKey: key }, ...(signal ? { signal } : {}) });
    if (!read.ok) {
      // Nothing was paid yet, so even an unknown outcome of this read is safe to retry.
      const result = fromFailure(read.failure, 'member balance before payment');
      return { ok: false, result: result.type === 'transient' ? { type: 'transient', reason: result.reason, ...(result.retryAt === undefined ? {} : { retryAt: result.retryAt }) } : result };
    }
    return { ok: true, balances: balancesOf(read.data) };
  }

  private async send(opKey: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<DeliveryResult> {
    const result = await this.client.post('payment', body, { logIds: { paymentKey: opKey }, ...(signal ? { signal } : {}) });
    const at = this.now();
    if (result.ok) {
      // Seed 004 puts the code at the top level, the /payment page inside `data`: the client reads both.
      const code = result.confirmationCode;
      const after = newBalanceOf(result.data);
      finishPaymentOp(this.db, opKey, { state: 'done', ...(code ? { confirmationCode: code } : {}), ...(after ? { after } : {}) }, at);
      this.logger.info({ paymentKey: opKey, confirmationCode: code }, 'loyalty payment confirmed');
      return APPLIED;
    }
    const failure = result.failure;
    // Only a documented refusal is permanent (loyalty-answer.ts); anything else may have been applied.
    if (failure.kind === 'permanent' || failure.delivery === 'not_sent') {
      finishPaymentOp(this.db, opKey, { state: 'failed', reason: failure.reason }, at);
      return fromFailure(failure, 'payment');
    }
    finishPaymentOp(this.db, opKey, { state: 'uncertain', reason: failure.reason }, at);
    this.logger.warn({ paymentKey: opKey }, 'loyalty payment outcome unknown; reconcile before sending again');
    return { type: 'transient', reason: `payment: ${failure.reason}`, uncertain: true };
  }
}
