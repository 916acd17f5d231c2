import type { DeliveryResult, EffectToDeliver } from '../../sync/outbox/connector';
import type { TillConnector } from '../../sync/connectors/till-connector';

/**
 * Settling a gift card or points tender at tender time, while the customer is at the till, through the outbox's
 * own connector (the same wire format, idempotency keys and payment records as a delivery from the queue).
 */
export type ValuePayment =
  | { readonly kind: 'loyalty'; readonly key: string; readonly memberId: string; readonly asset: 'points' | 'credit'; readonly amount: number }
  | { readonly kind: 'gift_card'; readonly key: string; readonly cardToken: string; readonly amount: number; readonly currency: string; readonly pin?: string };

/**
 * - `settled`: the back end drew the money (or already had, under this key);
 * - `refused`: a documented refusal (insufficient balance, blocked card): nothing was drawn;
 * - `uncertain`: the request may have been applied and the answer was lost;
 * - `not_sent`: the request provably never reached the back end (refused connection, a 503 before it was read).
 */
export type SettleOutcome =
  | { readonly status: 'settled' }
  | { readonly status: 'refused'; readonly reason: string }
  | { readonly status: 'uncertain'; readonly reason: string }
  | { readonly status: 'not_sent'; readonly reason: string };

export type ValuePayments = { pay(payment: ValuePayment, signal: AbortSignal): Promise<SettleOutcome> };

function outcomeOf(result: DeliveryResult): SettleOutcome {
  switch (result.type) {
    case 'applied':
    case 'already_applied':
      return { status: 'settled' };
    case 'permanent':
      // With evidence the answer cannot say whether the money was drawn: uncertain, never refused.
      return result.evidence ? { status: 'uncertain', reason: result.reason } : { status: 'refused', reason: result.reason };
    case 'transient':
      return result.uncertain === true ? { status: 'uncertain', reason: result.reason } : { status: 'not_sent', reason: result.reason };
    default:
      return result satisfies never;
  }
}

/** The connector's effect for one tender: `envelopeRef` is the payment key until the sale commits. */
function effect(kind: EffectToDeliver['kind'], key: string, payload: unknown): EffectToDeliver {
  return { envelopeId: 0, envelopeRef: key, seq: 0, kind, idempotencyKey: key, payload, amountAtRisk: 0, attempt: 1 };
}

export function valuePaymentsOf(connector: TillConnector): ValuePayments {
  return {
    async pay(p, signal) {
      switch (p.kind) {
        case 'loyalty': {
          // Payload as the outbox's loyalty_payment (main/core/sale/effects.ts); the sale's transaction follows
          // with /transaction once it commits (docs/connectors.md, "Points at tender time").
          const payload = { member: { id: p.memberId }, payment: { action: 'pay', amount: p.amount }, asset: p.asset };
          return outcomeOf(await connector.loyalty_payment(effect('loyalty_payment', p.key, payload), signal));
        }
        case 'gift_card': {
          // The card code's first and only use. The PIN rides in this in-memory payload only: a tender-time payment
          // is never queued (a lost answer queues a replay by card_id, without it: main/core/sale/tender-refunds.ts).
          const payload = { amount: p.amount, currency: p.currency, token: p.cardToken, type: 'drawdown', ...(p.pin === undefined ? {} : { pin: p.pin }) };
          return outcomeOf(await connector.wallet_transaction(effect('wallet_transaction', p.key, payload), signal));
        }
        default:
          return p satisfies never;
      }
    },
  };
}
