import { randomBytes } from 'node:crypto';
import { because } from '../../core/error-reasons';
import { TillError } from '../../core/errors';
import type { Tender } from '../../core/sale';
import type { KnownBalance } from '../../core/sale/basket-snapshot';
import { maskId } from '../../core/sale/member-code';
import { planTenderRefund, type RefundReason } from '../../core/sale/tender-refunds';
import { putBalance } from '../../store/balance-cache';
import { enqueueEnvelope } from '../../store/outbox';
import { balanceKeysFor } from '../balance-keys';
import type { SaleSession } from './sale-session';

type ValueTender = Extract<Tender, { kind: 'gift_card' | 'loyalty' }>;

/** How long the customer waits for the back end to take the money before the answer counts as lost. */
const SETTLE_TIMEOUT_MS = 15_000;

/**
 * The key a value tender is paid under at tender time: unique per attempt (a retry after a lost answer is a new
 * attempt, with a new key), and tied to the till so two tills never share one.
 */
function paymentKey(session: SaleSession): string {
  const till = session.options.till;
  return `${till.branchId}-${till.posId}:tender:${session.now().getTime()}-${randomBytes(4).toString('hex')}`;
}

/** The tender a screen names in a refusal: the gift card, or the member's points or credit. */
function assetOf(t: ValueTender): string {
  return t.kind === 'gift_card' ? 'gift_card' : t.asset;
}

function whose(t: ValueTender): string {
  return t.kind === 'gift_card' ? `gift card ${maskId(t.cardToken)}` : `member's ${t.asset}`;
}

/** Queues the refund of value tenders paid (or maybe paid) at tender time, in one transaction, and wakes the sync. */
export function queueRefunds(session: SaleSession, refunds: readonly { readonly tender: ValueTender; readonly key: string; readonly reason: RefundReason }[]): void {
  if (refunds.length === 0) return;
  const db = session.db();
  const now = session.now();
  db.transaction(() => {
    for (const r of refunds) enqueueEnvelope(db, planTenderRefund(r.tender, r.key, r.reason, session.options.till.currency), now);
  }).immediate();
  session.logger().info({ refunds: refunds.map((r) => ({ key: r.key, reason: r.reason, kind: r.tender.kind })) }, 'value tenders paid at tender time queued for refund');
  session.options.wakeSync?.();
}

/** The tenders of `tenders` the back end already drew at tender time, for `queueRefunds` when they are dropped. */
export function settledOf(tenders: readonly Tender[]): { tender: ValueTender; key: string; reason: 'removed' }[] {
  return tenders.flatMap((t) => ((t.kind === 'gift_card' || t.kind === 'loyalty') && t.settledKey !== undefined ? [{ tender: t, key: t.settledKey, reason: 'removed' as const }] : []));
}

/**
 * A points payment made online lowers the cached balance at once, so an offline lookup a moment later does not
 * show points just spent. `balance` was read from the back end just before the payment. A gift card's cache is the
 * connector's business (main/sync/connectors/dintero/gift-card-code-follow-up.ts): it lowers the balance and marks
 * the code used for every drawdown that lands, at tender time or from the outbox.
 */
function lowerCachedPoints(session: SaleSession, tender: ValueTender, balance: KnownBalance | undefined): void {
  if (tender.kind !== 'loyalty' || !balance || balance.source !== 'online') return;
  const db = session.db();
  const after = Math.max(0, balance.amount - tender.amount);
  putBalance(db, tender.asset === 'points' ? 'loyalty_points' : 'loyalty_credit', balanceKeysFor(db)(tender.asset, tender.memberId), after, session.now().getTime());
}

/**
 * Takes the money of an online value tender now, while the customer is at the till. Returns the tender marked
 * `settledKey` (unchanged when the till has no connector), or undefined when the request never reached the back end (the caller takes it offline, within
 * the offline limits). A refusal or a lost answer throws, in the cashier's words, and nothing is taken: a lost
 * answer is treated as unpaid, and queued so the outbox checks it and gives back whatever landed.
 */
export async function settleAtTender(session: SaleSession, tender: ValueTender, balance: KnownBalance | undefined, pin?: string): Promise<ValueTender | undefined> {
  const payments = session.options.valuePayments;
  // A till built without the connector (tests, tools) leaves the payment to the outbox, as before issue 15.
  if (!payments) return tender;
  const key = paymentKey(session);
  const signal = AbortSignal.timeout(SETTLE_TIMEOUT_MS);
  const outcome =
    tender.kind === 'gift_card'
      ? await payments.pay({ kind: 'gift_card', key, cardToken: tender.cardToken, amount: tender.amount, currency: session.options.till.currency, ...(pin === undefined ? {} : { pin }) }, signal)
      : await payments.pay({ kind: 'loyalty', key, memberId: tender.memberId, asset: tender.asset, amount: tender.amount }, signal);
  const log = session.logger();
  switch (outcome.status) {
    case 'settled':
      lowerCachedPoints(session, tender, balance);
      log.info({ paymentKey: key, kind: tender.kind, amount: tender.amount }, 'value tender settled at tender time');
      return { ...tender, settledKey: key };
    case 'refused':
      log.info({ paymentKey: key, kind: tender.kind }, 'value tender refused by the back end');
      throw new TillError('TENDER_REFUSED', `The ${whose(tender)} payment was refused: ${outcome.reason}. Nothing was taken; take another payment method.`, because('tender.refused', { tender: assetOf(tender) }));
    case 'uncertain':
      queueRefunds(session, [{ tender, key, reason: 'uncertain' }]);
      throw new TillError(
        'PAYMENT_UNCERTAIN',
        `The ${whose(tender)} payment got no answer, so it is not taken. Take it again or another payment method; if the first attempt went through after all, the till gives it back by itself.`,
        because('tender.uncertain', { tender: assetOf(tender) }),
      );
    case 'not_sent':
      log.info({ paymentKey: key, kind: tender.kind, reason: outcome.reason }, 'value tender did not reach the back end; taken offline within the limits');
      return undefined;
    default:
      return outcome satisfies never;
  }
}
