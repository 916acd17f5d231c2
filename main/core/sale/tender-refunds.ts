import { assertNever } from '../errors';
import type { PlannedEnvelope } from './effects';
import type { Tender } from './tenders';

type ValueTender = Extract<Tender, { kind: 'gift_card' | 'loyalty' }>;

/**
 * Why money drawn at tender time goes back (docs/sync.md, "Value tenders"):
 * - `removed`: the back end drew it, and the tender was then cleared or the sale cancelled before it committed;
 * - `uncertain`: the back end's answer was lost, so the till treated it as unpaid and the customer paid another
 *   way; if it landed after all, it is given back.
 */
export type RefundReason = 'removed' | 'uncertain';

export const refundKey = (paymentKey: string): string => `${paymentKey}:refund`;

/**
 * The outbox envelope that gives back a value tender paid (or maybe paid) at tender time under `paymentKey`.
 * Loyalty: a `/payment` cancel naming the pay it reverses; the connector first settles an uncertain pay from the
 * member's balance and gives back only what landed. Gift card: a `fund` of the amount that waits (`reverses`) for
 * the drawdown; an uncertain drawdown is first sent again under its own `ref_id` (by `card_id`: the code is spent if
 * it landed), which Dintero applies at most once, so the fund gives back exactly what was taken.
 */
export function planTenderRefund(tender: ValueTender, paymentKey: string, reason: RefundReason, currency: string): PlannedEnvelope {
  switch (tender.kind) {
    case 'loyalty': {
      const payload = { member: { id: tender.memberId }, payment: { action: 'cancel', amount: tender.amount }, asset: tender.asset, reverses: paymentKey };
      return { kind: 'void', ref: paymentKey, orderingKey: `member:${tender.memberId}`, effects: [{ kind: 'loyalty_payment', idempotencyKey: refundKey(paymentKey), payload }] };
    }
    case 'gift_card': {
      // The code served (or may have served) the drawdown, and a card code serves one transaction: both the replay
      // and the fund name the card by its id. Without an id (never for a tender settled online, which read it with
      // wallets/info) the code is all there is, and a spent code then goes to the manager as uncertain.
      const name = tender.cardId === undefined ? { token: tender.cardToken } : { card_id: tender.cardId };
      const card = { amount: tender.amount, currency, ...name };
      const fund = { kind: 'wallet_transaction' as const, idempotencyKey: refundKey(paymentKey), payload: { ...card, type: 'fund', reverses: paymentKey } };
      const replay = { kind: 'wallet_transaction' as const, idempotencyKey: paymentKey, payload: { ...card, type: 'drawdown', replay: true } };
      return { kind: 'void', ref: paymentKey, orderingKey: `receipt:${paymentKey}`, effects: reason === 'uncertain' ? [replay, fund] : [fund] };
    }
    default:
      return assertNever(tender);
  }
}
