import { assertNever } from '../errors';
import { sub, sum, ZERO } from '../money';
import type { SaleEntry } from './entry';

/**
 * What a ledger entry owes the back ends, as outbox effects. Every idempotency key derives from the entry's
 * receipt id (branch, till and sale number), so a crash and a retry reproduce the same keys. Effects run in
 * this order: claims first (Dintero refuses a used-up discount before money moves), then value payments,
 * then the receipt, then the Loyalty transaction ("after all external payments have been approved").
 * Voids and refunds name the effect they undo by its key (`reverses`); the connector looks up what the
 * server answered for it (claim id, confirmation code). Semantics: docs/ledger.md.
 */
export type PlannedEffectKind = 'discount_claim' | 'claim_release' | 'receipt' | 'wallet_transaction' | 'loyalty_transaction' | 'loyalty_payment';
export type PlannedEffect = { readonly kind: PlannedEffectKind; readonly idempotencyKey: string; readonly payload: unknown; readonly amountAtRisk?: number };
export type PlannedEnvelope = { readonly kind: 'sale' | 'void' | 'refund'; readonly ref: string; readonly orderingKey: string; readonly effects: readonly PlannedEffect[] };

export const effectKey = {
  claim: (receiptId: string): string => `${receiptId}:claim`,
  claimRelease: (receiptId: string): string => `${receiptId}:claim-release`,
  receipt: (receiptId: string): string => `${receiptId}:receipt`,
  transaction: (receiptId: string): string => `${receiptId}:tx`,
  payment: (receiptId: string, tenderIndex: number): string => `${receiptId}:pay:${tenderIndex}`,
};

/**
 * Deliveries are ordered per key (docs/sync.md, "Order"). One lane per person: an entry with a member is keyed
 * by the member even when the cashier also identified a Dintero customer, because a member's payments and their
 * balance checks must never run in two lanes at once; a customer without a member is keyed by the customer
 * (their discount usage depends on order). An anonymous sale shares a key only with its own voids and refunds:
 * one anonymous receipt the server refuses holds back nothing else. The key is derived once, when the entry is
 * committed, and recorded on its envelope.
 */
export function orderingKeyOf(entry: Pick<SaleEntry, 'customerId' | 'memberId' | 'receiptId' | 'refersTo'>): string {
  if (entry.memberId) return `member:${entry.memberId}`;
  if (entry.customerId) return entry.customerId;
  return `receipt:${entry.refersTo ?? entry.receiptId}`;
}

function claimPayload(entry: SaleEntry): unknown {
  const customerId = entry.receipt.customer_id;
  if (customerId === undefined) return undefined;
  const discounts = entry.receipt.discounts
    .map((d) => ({
      id: d.id ?? '',
      refs: (d.refs ?? [])
        .filter((r) => r.id !== undefined && (r.usage ?? 0) > 0)
        .map((r) => ({ id: r.id ?? '', amount: (r.amount ?? 0) + ((r as { bonus?: number }).bonus ?? 0), usage: r.usage ?? 1 })),
    }))
    .filter((d) => d.id !== '' && d.refs.length > 0);
  if (discounts.length === 0) return undefined;
  return { ref: effectKey.claim(entry.receiptId), type: 'pos', purchase_at: entry.purchaseAt, customer_id: customerId, discounts };
}

/** The receipt for the Dintero Receipts API: the priced receipt plus payments and status. */
function receiptPayload(entry: SaleEntry): unknown {
  return {
    ...entry.receipt,
    entry_status: entry.kind === 'void' ? 'Voided' : 'Concluded',
    transaction_id: entry.receiptId,
    amount_due: entry.totals.net,
    payments: entry.tenders.map((t, i) => ({
      line_id: i + 1,
      amount: entry.kind === 'sale' ? t.applied : sub(ZERO, t.applied),
      type_id: t.kind,
      // A stand-alone terminal's card has no reference to send (docs/ledger.md, "External card terminal").
      ...(t.kind === 'card' && t.terminal !== 'external' ? { reference_id: t.terminalRef } : {}),
    })),
    tax_lines: entry.totals.vat.map((v) => ({ percentage: v.rateBp / 100, amount: v.vat, tax_basis: v.net, included_in_price: true })),
    ...(entry.refersTo ? { extra_info: [{ key: 'till.refers_to', value: entry.refersTo, value_type: 'string' }] } : {}),
  };
}

/**
 * The sale as the Loyalty API's Transaction, from the ledger's own figures (reference §3.2, §3.3): each line's
 * gross before discounts and net after all of them; `totalGeneralDiscount` is what the lines' nets do not
 * account for of the amount paid (0 today: every discount the engine gives sits on a line). The connector maps
 * names the vendor's pages disagree on (`payments`/`meansOfPayment`) by its settings.
 */
function loyaltyTransaction(entry: SaleEntry): Record<string, unknown> {
  return {
    transactionId: entry.receiptId,
    openTime: entry.purchaseAt,
    dateTime: entry.purchaseAt,
    totalAmount: entry.totals.gross,
    totalTaxAmount: entry.totals.vatTotal,
    totalGeneralDiscount: sub(sum(entry.receipt.items.map((i) => i.net_amount)), entry.totals.net),
    items: entry.receipt.items.map((i) => ({ lineId: String(i.line_id), code: i.id, name: i.description, quantity: i.quantity, grossAmount: i.gross_amount, netAmount: i.net_amount })),
    payments: entry.tenders.map((t) => ({ type: t.kind === 'loyalty' ? t.asset.toUpperCase() : t.kind.toUpperCase(), amount: t.applied })),
    ...(entry.refersTo ? { refersTo: entry.refersTo } : {}),
  };
}

function loyaltyTransactionPayload(entry: SaleEntry): unknown {
  if (entry.kind === 'void' && entry.refersTo) {
    return { action: 'cancel', reverses: effectKey.transaction(entry.refersTo), transactionId: entry.receiptId };
  }
  return { ...(entry.memberId ? { member: { id: entry.memberId } } : {}), transaction: loyaltyTransaction(entry) };
}

function tenderEffects(entry: SaleEntry, original: SaleEntry | undefined): PlannedEffect[] {
  const effects: PlannedEffect[] = [];
  entry.tenders.forEach((t, i) => {
    const key = effectKey.payment(entry.receiptId, i);
    switch (t.kind) {
      case 'cash':
      case 'card':
        return;
      case 'gift_card': {
        // Drawn at tender time, while the customer was at the till: the outbox must not draw it again.
        if (entry.kind === 'sale' && t.settledKey !== undefined) return;
        const fund = entry.kind !== 'sale';
        // Both names of the card travel: the code for a drawdown's first try, the card's id (when the till read it)
        // for a fund and for any retry, because a card code serves one transaction (main/sync/connectors/dintero).
        const card = { token: t.cardToken, ...(t.cardId === undefined ? {} : { card_id: t.cardId }) };
        const payload = { ref_id: key, amount: t.applied, currency: entry.currency, ...card, type: fund ? 'fund' : 'drawdown' };
        effects.push({ kind: 'wallet_transaction', idempotencyKey: key, payload, ...(t.amountAtRisk > 0 ? { amountAtRisk: t.amountAtRisk } : {}) });
        return;
      }
      case 'loyalty': {
        if (entry.kind === 'sale' && t.settledKey !== undefined) return;
        if (entry.kind === 'sale') {
          // The vendor's payment flow sends the whole sale with the payment, not only its id.
          const payload = { member: { id: t.memberId }, payment: { action: 'pay', amount: t.applied }, asset: t.asset, transaction: loyaltyTransaction(entry) };
          effects.push({ kind: 'loyalty_payment', idempotencyKey: key, payload, ...(t.amountAtRisk > 0 ? { amountAtRisk: t.amountAtRisk } : {}) });
        } else {
          // A loyalty payment is undone by cancelling it with the confirmation code of the original payment.
          const originalIndex = original?.tenders.findIndex((o) => o.kind === 'loyalty' && o.memberId === t.memberId && o.asset === t.asset) ?? -1;
          // A payment made at tender time is known by the key it was made under, not by the sale's tender index.
          const originalTender = original?.tenders[originalIndex];
          const settledKey = originalTender?.kind === 'loyalty' ? originalTender.settledKey : undefined;
          const reverses = original && originalIndex >= 0 ? (settledKey ?? effectKey.payment(original.receiptId, originalIndex)) : undefined;
          const payload = { member: { id: t.memberId }, payment: { action: 'cancel', amount: t.applied }, asset: t.asset, ...(reverses ? { reverses } : {}) };
          effects.push({ kind: 'loyalty_payment', idempotencyKey: key, payload });
        }
        return;
      }
      default:
        assertNever(t);
    }
  });
  return effects;
}

export function planEnvelope(entry: SaleEntry, original?: SaleEntry): PlannedEnvelope {
  const effects: PlannedEffect[] = [];
  if (entry.kind === 'sale') {
    const claim = claimPayload(entry);
    if (claim !== undefined) effects.push({ kind: 'discount_claim', idempotencyKey: effectKey.claim(entry.receiptId), payload: claim });
  } else if (entry.kind === 'void' && original && claimPayload(original) !== undefined) {
    effects.push({ kind: 'claim_release', idempotencyKey: effectKey.claimRelease(entry.receiptId), payload: { reverses: effectKey.claim(original.receiptId), claim_ref: effectKey.claim(original.receiptId) } });
  }
  effects.push(...tenderEffects(entry, original));
  effects.push({ kind: 'receipt', idempotencyKey: effectKey.receipt(entry.receiptId), payload: receiptPayload(entry) });
  effects.push({ kind: 'loyalty_transaction', idempotencyKey: effectKey.transaction(entry.receiptId), payload: loyaltyTransactionPayload(entry) });
  return { kind: entry.kind, ref: entry.receiptId, orderingKey: orderingKeyOf(entry), effects };
}
