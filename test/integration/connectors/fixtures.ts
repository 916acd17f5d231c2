import type { DemoData } from '../../../main/sandbox';
import type { NewEnvelope } from '../../../main/store/outbox';

/** One member who is also a Dintero customer, one gift card and one rule granted to that customer. */
export const MEMBER = { customerId: 'cust-1', membershipKey: 'mk-1', phoneNumber: '+4799887766', email: 'kari.nordmann@example.com' } as const;
export const CARD = { card_id: 'card-1', token: 'gift-token-0001', amount: 1_000_000 } as const;
export const RULE_ID = 'rule-10pct';
/** The ref the back end issued for the member's instance of the rule (seeded, as if exported from Dintero). */
export const REF_ID = '5b0c6a4e-2f1d-4c3b-9a8e-7d6f5e4c3b2a';
export const START_CREDIT = 100_000;
export const PAY = { gift: 500, credit: 300, cash: 100 } as const;

export const SANDBOX_DATA: DemoData = {
  members: [
    {
      customerId: MEMBER.customerId,
      membershipKey: MEMBER.membershipKey,
      firstName: 'Kari',
      lastName: 'Nordmann',
      phoneNumber: MEMBER.phoneNumber,
      email: MEMBER.email,
      birthday: '1990-01-01',
      allowedSMS: true,
      allowedEmail: true,
      termsOfUse: true,
      gdpr: true,
      points: 0,
      credit: START_CREDIT,
    },
  ],
  // A physical card's reusable code: several sales pay with it (docs/sandbox.md, single-use card codes).
  giftCards: [{ card_id: CARD.card_id, token: CARD.token, amount: CARD.amount, currency: 'NOK', expires_after_transaction: false }],
  rules: [
    {
      id: RULE_ID,
      name: '10 %',
      requirement: { purchase_from: '2020-01-01T00:00:00Z', purchase_to: '2035-01-01T00:00:00Z' },
      reward: { type: 'discount_percent', value: 10 },
      customers: [{ customer_id: MEMBER.customerId, ref_id: REF_ID }],
    },
  ],
};

const PURCHASE_AT = '2026-11-23T10:00:00.000Z';

/** A sale's envelope, with the effects and payload shapes main/core/sale/effects.ts plans. */
export function saleEnvelope(receiptId: string, opts: { giftCard?: boolean } = {}): NewEnvelope {
  const gift = opts.giftCard !== false;
  const tenders = [...(gift ? [{ type: 'GIFT_CARD', amount: PAY.gift }] : []), { type: 'CREDIT', amount: PAY.credit }, { type: 'CASH', amount: PAY.cash }];
  const total = tenders.reduce((a, t) => a + t.amount, 0);
  // As main/core/sale/effects.ts plans it: one Transaction, sent with the payment and on its own.
  const transaction = {
    transactionId: receiptId,
    openTime: PURCHASE_AT,
    dateTime: PURCHASE_AT,
    totalAmount: total + 100,
    totalTaxAmount: 180,
    totalGeneralDiscount: 0,
    items: [{ lineId: '1', code: '7038010009457', name: 'Milk', quantity: 1, grossAmount: total + 100, netAmount: total }],
    payments: tenders,
  };
  return {
    kind: 'sale',
    ref: receiptId,
    orderingKey: MEMBER.customerId,
    effects: [
      {
        kind: 'discount_claim',
        idempotencyKey: `${receiptId}:claim`,
        payload: { ref: `${receiptId}:claim`, type: 'pos', purchase_at: PURCHASE_AT, customer_id: MEMBER.customerId, discounts: [{ id: RULE_ID, refs: [{ id: REF_ID, amount: 100, usage: 1 }] }] },
      },
      ...(gift
        ? [
            {
              kind: 'wallet_transaction' as const,
              idempotencyKey: `${receiptId}:pay:0`,
              payload: { ref_id: `${receiptId}:pay:0`, amount: PAY.gift, currency: 'NOK', token: CARD.token, type: 'drawdown' },
            },
          ]
        : []),
      {
        kind: 'loyalty_payment',
        idempotencyKey: `${receiptId}:pay:1`,
        payload: { member: { id: MEMBER.membershipKey }, payment: { action: 'pay', amount: PAY.credit }, asset: 'credit', transaction },
        amountAtRisk: PAY.credit,
      },
      {
        kind: 'receipt',
        idempotencyKey: `${receiptId}:receipt`,
        payload: {
          receipt_id: receiptId,
          purchase_at: PURCHASE_AT,
          store: { id: 'oslo-1' },
          currency: 'NOK',
          customer_id: MEMBER.customerId,
          items: [{ line_id: 1, id: '7038010009457', description: 'Milk', quantity: 1, gross_amount: total + 100, net_amount: total, eligible_for_discount: true, discount_lines: [{ amount: 100, discount_id: RULE_ID, line_id: 1 }] }],
          discounts: [{ id: RULE_ID, refs: [{ id: REF_ID, amount: 100, usage: 1 }] }],
          gross_amount: total + 100,
          net_amount: total,
          total_discount: 100,
          entry_status: 'Concluded',
        },
      },
      {
        kind: 'loyalty_transaction',
        idempotencyKey: `${receiptId}:tx`,
        payload: { member: { id: MEMBER.membershipKey }, transaction },
      },
    ],
  };
}

/** The void of a sale without a gift card: release the claim, refund the credit, cancel the transaction. */
export function voidEnvelope(voidId: string, originalId: string): NewEnvelope {
  return {
    kind: 'void',
    ref: voidId,
    orderingKey: MEMBER.customerId,
    effects: [
      { kind: 'claim_release', idempotencyKey: `${voidId}:claim-release`, payload: { reverses: `${originalId}:claim`, claim_ref: `${originalId}:claim` } },
      {
        kind: 'loyalty_payment',
        idempotencyKey: `${voidId}:pay:1`,
        payload: { member: { id: MEMBER.membershipKey }, payment: { action: 'cancel', amount: PAY.credit }, asset: 'credit', reverses: `${originalId}:pay:1` },
      },
      {
        kind: 'receipt',
        idempotencyKey: `${voidId}:receipt`,
        payload: { receipt_id: voidId, purchase_at: PURCHASE_AT, store: { id: 'oslo-1' }, currency: 'NOK', customer_id: MEMBER.customerId, items: [], discounts: [], entry_status: 'Voided' },
      },
      { kind: 'loyalty_transaction', idempotencyKey: `${voidId}:tx`, payload: { action: 'cancel', reverses: `${originalId}:tx`, transactionId: voidId } },
    ],
  };
}

/** A refund of part of a sale's loyalty credit (the ledger's refund: a cancel naming the pay it reverses). */
export function refundEnvelope(refundId: string, originalId: string, amount: number): NewEnvelope {
  return {
    kind: 'refund',
    ref: refundId,
    orderingKey: MEMBER.customerId,
    effects: [
      {
        kind: 'loyalty_payment',
        idempotencyKey: `${refundId}:pay:0`,
        payload: { member: { id: MEMBER.membershipKey }, payment: { action: 'cancel', amount: -amount }, asset: 'credit', reverses: `${originalId}:pay:1` },
      },
    ],
  };
}
