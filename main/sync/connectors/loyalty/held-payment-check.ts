import { assertNever } from '../../../core/errors';
import type { WritableDb } from '../../../store/db-types';
import { getLoyaltyTransactionByEffect, getPaymentOp, listSalePaymentOps, type PaymentOp } from '../../../store/loyalty-confirmations';
import { getEffectByKey } from '../../../store/outbox';
import type { EffectToDeliver, PaymentCheck, PaymentCheckRequest } from '../../outbox/connector';
import type { ConnectorLogger } from '../http';
import { LoyaltyPaymentPayloadSchema, LoyaltyTransactionPayloadSchema } from '../payloads';
import type { LoyaltyClient } from './loyalty-client';
import { assetMovedByPay } from './member-balance';
import { checkLoyaltyPayment } from './payment-balance-check';

/**
 * Which `/payment` attempt an effect whose outcome is unknown waits on, for the outbox's balance check
 * (docs/sync.md, "Uncertain payments"): only that check decides an attempt whose answer was lost.
 *
 * - A pay, or a refund with an attempt of its own that is not `failed`: that attempt (its key is the effect's).
 * - A refund whose pay is still `sending` or `uncertain` (a tender-time payment whose answer was lost): the pay.
 * - A cancelled sale's `/transaction` cancel: the first of the sale's pays and refunds (`<pay>:cancel`) that is
 *   still `sending` or `uncertain`. Its asset comes from the pay's own outbox effect, or from the pay's answer
 *   (`assetOfPay`); when neither says, its check goes to a manager (`undecided`).
 */
type Target = { readonly op: PaymentOp; readonly asset: string | undefined; readonly refundOf?: string };

/** An attempt whose outcome is not known yet (in flight, or its answer was lost): only the balance check decides it. */
export const isHeldOp = (op: PaymentOp | undefined): op is PaymentOp => op !== undefined && (op.state === 'sending' || op.state === 'uncertain');

/**
 * The asset a pay drew on: its outbox effect's `asset` (payloads.ts); for a pay made at tender time (no effect
 * here), the one balance its own answer's `newBalance` (reference §2.6) shows moved by exactly its amount from the
 * balance read just before it. Anything less clear is undefined, and the check then leaves it to a manager.
 */
function assetOfPay(db: WritableDb, pay: PaymentOp | undefined, paymentKey: string): string | undefined {
  const parsed = LoyaltyPaymentPayloadSchema.safeParse(getEffectByKey(db, paymentKey)?.payload);
  if (parsed.success && parsed.data.asset !== undefined) return parsed.data.asset;
  if (!pay || pay.state !== 'done') return undefined;
  return assetMovedByPay(pay);
}

/** The attempt another effect waits on, or undefined when the effect's own attempt (by its key) is the one. */
function targetOf(db: WritableDb, effect: EffectToDeliver): Target | undefined {
  if (effect.kind === 'loyalty_payment') {
    const p = LoyaltyPaymentPayloadSchema.safeParse(effect.payload);
    if (!p.success || p.data.payment.action !== 'cancel' || p.data.reverses === undefined) return undefined;
    const own = getPaymentOp(db, effect.idempotencyKey);
    if (own && own.state !== 'failed') return undefined;
    const pay = getPaymentOp(db, p.data.reverses);
    return isHeldOp(pay) && pay.action === 'pay' ? { op: pay, asset: p.data.asset, refundOf: pay.paymentKey } : undefined;
  }
  if (effect.kind === 'loyalty_transaction') {
    const p = LoyaltyTransactionPayloadSchema.safeParse(effect.payload);
    if (!p.success || p.data.action !== 'cancel') return undefined;
    const sale = p.data.reverses !== undefined ? getLoyaltyTransactionByEffect(db, p.data.reverses)?.transactionId : p.data.transactionId;
    if (sale === undefined) return undefined;
    const op = listSalePaymentOps(db, sale).find(isHeldOp);
    if (!op) return undefined;
    const pay = op.action === 'pay' ? op : getPaymentOp(db, op.paymentKey);
    return { op, asset: assetOfPay(db, pay, op.paymentKey), ...(op.action === 'pay' ? { refundOf: op.paymentKey } : {}) };
  }
  return undefined;
}

/**
 * One step of the balance check for `effect`: its own attempt's, or the attempt it waits on (`targetOf`). A
 * verdict about the attempt waited on never settles the effect itself: "landed" (or a pay refused, released after
 * a manager's retry) lets the effect be delivered again, where the connector acts on the now-known attempt.
 */
export async function checkHeldPayment(
  deps: { readonly client: LoyaltyClient; readonly db: WritableDb; readonly now: () => number; readonly logger: ConnectorLogger },
  effect: EffectToDeliver,
  request: PaymentCheckRequest,
  signal?: AbortSignal,
): Promise<PaymentCheck> {
  const target = targetOf(deps.db, effect);
  if (!target) {
    const parsed = LoyaltyPaymentPayloadSchema.safeParse(effect.payload);
    return checkLoyaltyPayment(deps, effect.idempotencyKey, parsed.success ? parsed.data.asset : undefined, request, signal);
  }
  const which = `${target.op.action === 'pay' ? 'payment' : 'refund'} ${target.op.opKey}`;
  const check = await checkLoyaltyPayment(deps, target.op.opKey, target.asset, request, signal);
  const refundOf = target.refundOf === undefined ? {} : { refundOf: target.refundOf };
  switch (check.type) {
    case 'not_sent':
    case 'landed':
      return { type: 'not_sent', detail: `the ${which} it waits for is settled (${check.detail}); it goes on` };
    case 'not_landed':
      return { ...check, detail: `the ${which} it waits for: ${check.detail}`, evidence: { ...check.evidence, ...refundOf } };
    case 'undecided':
      return { ...check, detail: `the ${which} it waits for: ${check.detail}`, evidence: { ...check.evidence, ...refundOf } };
    case 'read':
      return { ...check, evidence: { ...check.evidence, ...refundOf } };
    case 'unreachable':
      return check;
    default:
      return assertNever(check);
  }
}
