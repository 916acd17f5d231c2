import { ReceiptDocumentSchema, type ReceiptDocumentView } from '../../api/contract';
import { because } from '../../core/error-reasons';
import { TillError } from '../../core/errors';
import { EMPTY_BASKET, NO_CHECKS, receiptDocument } from '../../core/sale';
import type { HeldTender } from '../../core/sale/basket-snapshot';
import { markCodeUsed } from '../../store/gift-card-codes';
import { commitSale } from '../../store/ledger';
import { lookupHasher } from '../../store/lookup-hash';
import { attachPaymentOpsToSale } from '../../store/loyalty-confirmations';
import { deleteBasket, OPEN_SLOT } from '../../store/open-baskets';
import { balanceKeysFor } from '../balance-keys';
import type { TenderOutcome } from './sale-options';
import type { SaleSession } from './sale-session';

/**
 * Commits the sale with these tenders: one SQLite transaction writes the sale (with its print job, journal
 * entry and outbox envelope) and removes the stored open basket, so after a crash there is either the sale or
 * the basket. Then the till is ready for the next customer.
 */
export function commitTheSale(session: SaleSession, held: readonly HeldTender[]): TenderOutcome {
  const db = session.db();
  session.ensureReady();
  const { options, state, mode } = session;
  const now = session.now();
  const tenders = held.map((h) => h.tender);
  // Re-priced at the moment of sale: the rule set may have been refreshed since the last scan.
  session.repriced();
  const priced = session.price(now);
  const basket = state.basket;
  const result = db
    .transaction(() => {
      const committed = commitSale(
        db,
        {
          till: options.till,
          receipt: priced.receipt,
          tenders,
          checks: state.checks,
          // A kiosk customer chooses after paying whether to print; a cashier's receipt prints at once.
          printReceipt: mode !== 'kiosk',
          ruleSetVersion: priced.ruleSetVersion,
          ...(options.offlineLimits ? { offlineLimits: options.offlineLimits, balanceKeyOf: balanceKeysFor(db) } : {}),
          ...(basket.customerId ? { customerId: basket.customerId } : {}),
          ...(basket.memberId ? { memberId: basket.memberId } : {}),
        },
        now,
      );
      deleteBasket(db, OPEN_SLOT);
      // Points paid at tender time become this sale's, so a void of it refunds them with its /transaction cancel.
      const paidAtTender = tenders.flatMap((t) => (t.kind === 'loyalty' && t.settledKey !== undefined ? [t.settledKey] : []));
      attachPaymentOpsToSale(db, paidAtTender, committed.entry.receiptId);
      // A gift-card code taken offline is drawn on later by the outbox, by that code: from now on it is used, and the
      // offline limits take it again only once wallets/info shows it survives a transaction (docs/ledger.md).
      // Keyed by the code's keyed hash, never the code (the key is made if this install has none yet).
      for (const t of tenders) if (t.kind === 'gift_card' && t.offline === true) markCodeUsed(db, lookupHasher(db).hash('gift_card', t.cardToken), now.getTime());
      return committed;
    })
    .immediate();
  // Parsed with the contract: the same document the spool prints, as the screen will receive it.
  const receipt = ReceiptDocumentSchema.parse(receiptDocument(result.entry));
  session.logger().info({ receiptId: result.entry.receiptId, netMinor: result.entry.totals.net, lines: result.entry.receipt.items.length, ruleSetVersion: priced.ruleSetVersion }, 'sale committed');
  state.lastReceipt = receipt;
  state.receiptOffer = mode === 'kiosk' ? { receiptId: receipt.receiptId } : null;
  state.help = null;
  state.basket = EMPTY_BASKET;
  state.customer = undefined;
  state.checks = NO_CHECKS;
  state.payment = null;
  state.tenders = [];
  state.notice = null;
  session.repriced();
  session.bump();
  options.onDidCommit?.();
  return { committed: true, receipt, sale: session.publish() };
}

/** The last committed sale's receipt again, marked as a copy. */
export function reprintLast(session: SaleSession): ReceiptDocumentView {
  const last = session.state.lastReceipt;
  if (!last) throw new TillError('NOT_FOUND', 'No sale has been committed at this till since the agent started.', because('sale.no-receipt', {}));
  return { ...last, copy: true };
}
