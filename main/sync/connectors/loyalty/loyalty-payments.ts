import type { WritableDb } from '../../../store/db-types';
import { beginPaymentOp, finishPaymentOp, getPaymentOp, listCancelsOf, opClock, type Balances, type PaymentOp } from '../../../store/loyalty-confirmations';
import type { DeliveryResult } from '../../outbox/connector';
import type { ConnectorLogger } from '../http';
import type { MemberId } from '../payloads';
import { ALREADY_APPLIED, APPLIED, fromFailure } from '../results';
import type { LoyaltyClient } from './loyalty-client';
import { assetMovedByPay, balancesOf, newBalanceOf } from './member-balance';
import { DEFAULT_WIRE, type LoyaltyWire } from './transaction-body';

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
  /** The asset the refund gives back, when its effect says (payloads.ts); named to a manager who must do it by hand. */
  readonly asset?: string;
};

/**
 * `/payment` pay and cancel. The API has no idempotency key, so each attempt is written down with the member's
 * balance read just before it, and its confirmation code when it lands. An attempt whose answer never came is
 * decided only by the outbox's balance check (`payment-balance-check.ts`, docs/sync.md "Uncertain payments"),
 * which counts the till's own other payments for the member: met again here, it answers `uncertain` and sends
 * nothing, so no balance comparison of this class can send it twice.
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
      const settled = this.settleEarlier(existing);
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
    // No record of the pay here (another till's sale, or one that never went through Loyalty at this till):
    // neither its outcome nor its confirmation code is known, so nothing is sent and a person decides.
    if (!pay || pay.action !== 'pay') return unknownPay(req);
    // Refused or never sent: nothing to give back.
    if (pay.state === 'failed') return ALREADY_APPLIED;
    // Its outcome is unknown: the outbox's balance check decides it first (checkHeldPayment), never a guess here.
    if (pay.state !== 'done') return heldAnswer(pay);
    const earlier = getPaymentOp(this.db, req.opKey);
    if (earlier) {
      const settled = this.settleEarlier(earlier);
      if (settled) return settled;
    }
    const paid = getPaymentOp(this.db, req.paymentKey);
    if (!paid) return unknownPay(req);
    if (!paid.confirmationCode) return landedWithoutCode(req, paid);
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
   * An op row already exists for this key: done means already applied; a failed one (refused, never sent, or
   * released by the outbox's check after a manager's retry) may be attempted again (returns undefined); a
   * `sending` or `uncertain` one is the outbox's balance check's to decide, so nothing is sent.
   */
  private settleEarlier(op: PaymentOp): DeliveryResult | undefined {
    if (op.state === 'done') return ALREADY_APPLIED;
    if (op.state === 'failed') return undefined;
    return heldAnswer(op);
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
    return { type: 'transient', reason: `payment: ${failure.reason}`, uncertain: true, checkPayment: true };
  }
}

/** An attempt still `sending` or `uncertain`: unknown until the outbox's balance check decides it. */
function heldAnswer(op: PaymentOp): DeliveryResult {
  const what = op.action === 'pay' ? 'payment' : 'refund';
  return {
    type: 'transient',
    reason: `${what} ${op.opKey}: an earlier attempt's answer was lost; the till checks the member's balance before anything is sent`,
    uncertain: true,
    checkPayment: true,
  };
}

/** A refund of a pay this till has no record of: for a manager, with what the till knows (docs/sync.md, "Uncertain payments"). */
function unknownPay(req: CancelRequest): DeliveryResult {
  return {
    type: 'permanent',
    reason: `refund ${req.opKey}: this till has no record of the payment ${req.paymentKey} it gives back, so it knows neither whether it went through nor its confirmation code; nothing was sent`,
    evidence: {
      asset: 'unknown',
      before: null,
      amount: req.amount ?? 0,
      direction: 1,
      readings: [],
      verdict: 'unknown_payment',
      refundOf: req.paymentKey,
      recommendation:
        'This till has no record of the payment this refund gives back (made at another till, or not through Loyalty here). Look the member up in the Loyalty back office: if the payment is there, refund it there; then resolve this with a note saying what was given back.',
    },
  };
}

/**
 * A refund of a pay that landed (the balance check proved it) but whose answer, with its confirmation code, never
 * reached the till: `/payment` cancel needs the code (reference §3.4), so nothing is sent. Both outcomes are known
 * (the pay landed, the refund was not sent), so this is a refusal for a manager, not an unknown outcome: the reason
 * says what to give back, and to whom, in the Loyalty back office.
 */
function landedWithoutCode(req: CancelRequest, paid: PaymentOp): DeliveryResult {
  const asset = req.asset ?? assetMovedByPay(paid);
  const amount = req.amount ?? paid.amount;
  const what = asset === 'points' ? `${amount} points` : asset === 'credit' ? `${amount} in member credit (minor units)` : `${amount} (points or credit)`;
  return {
    type: 'permanent',
    reason:
      `refund ${req.opKey}: payment ${req.paymentKey} went through but its confirmation code was lost, and a refund through the API needs it; ` +
      `nothing was sent. In the Loyalty back office, cancel the member's payment of ${paid.amount} or give back ${what}, then resolve this with a note.`,
  };
}
