import type { SaleView } from '../../api/contract';
import { because } from '../../core/error-reasons';
import { TillError } from '../../core/errors';
import { EMPTY_BASKET, NO_CHECKS } from '../../core/sale';
import type { SuspendedBasketSnapshot } from '../../core/sale/basket-snapshot';
import type { WritableDb } from '../../store';
import { recordFiscalEvent } from '../../store/fiscal-events';
import { currentShift } from '../../store/ledger';
import { deleteBasket, putBasket } from '../../store/open-baskets';
import type { SaleSession } from './sale-session';
import { queueRefunds, settledOf } from './tender-settlement';

function operatorOf(db: WritableDb): { operatorId?: string } {
  const operatorId = currentShift(db)?.operatorId;
  return operatorId ? { operatorId } : {};
}

/**
 * Whole baskets: cancel the sale, park it (suspend) for later and take a parked one back (resume). A parked
 * basket is written in the same transaction that empties the open one, so a crash loses neither.
 */
export class WholeBaskets {
  constructor(private readonly session: SaleSession) {}

  cancel(): SaleView {
    const session = this.session;
    session.ensureReady();
    session.assertNoCardPayment();
    const s = session.state;
    const clear = (): SaleView => {
      // Gift cards and points already drawn at tender time are given back.
      queueRefunds(session, settledOf(s.tenders.map((h) => h.tender)));
      s.tenders = [];
      s.help = null;
      s.customer = undefined;
      s.receiptOffer = null;
      return session.change(() => EMPTY_BASKET);
    };
    const items = s.basket.items;
    if (items.length === 0) return clear();
    // A sale cancelled before payment is journaled and counted on the X and Z reports, with what it came to.
    const amountMinor = session.price().receipt.net_amount;
    return session.journaled('sale_cancelled', { text: `${items.length} lines`, amountMinor }, clear);
  }

  suspend(): SaleView {
    const session = this.session;
    session.ensureReady();
    const s = session.state;
    if (s.basket.items.length === 0) throw new TillError('CONFLICT', 'The basket is empty: there is nothing to suspend.', because('basket.empty', {}));
    if (s.tenders.length > 0 || s.payment) throw new TillError('CONFLICT', 'Part of this sale is paid: finish or clear the tenders before suspending it.', because('basket.suspend-paid', {}));
    const position = s.suspendSeq + 1;
    const id = `S${position}`;
    const parked: SuspendedBasketSnapshot = {
      v: 1,
      id,
      suspendedAt: session.now().toISOString(),
      basket: s.basket,
      tenders: s.tenders,
      checks: s.checks,
      ...(s.customer ? { customer: s.customer } : {}),
    };
    const db = session.db();
    const amountMinor = session.price().receipt.net_amount;
    // The parked basket, the emptied open one and the journal's suspend event (13010) are written together.
    db.transaction(() => {
      recordFiscalEvent(db, 'suspend', { ...operatorOf(db), text: id, amountMinor }, session.now());
      putBasket(db, id, position, JSON.stringify(parked), session.now());
      s.suspendSeq = position;
      s.suspended = [...s.suspended, parked];
      s.basket = EMPTY_BASKET;
      s.checks = NO_CHECKS;
      s.tenders = [];
      s.customer = undefined;
      s.notice = null;
      session.repriced();
      session.bump();
    }).immediate();
    return session.publish();
  }

  resume(id: string): SaleView {
    const session = this.session;
    session.ensureReady();
    const s = session.state;
    const found = s.suspended.find((p) => p.id === id);
    if (!found) throw new TillError('NOT_FOUND', `There is no suspended basket ${id}.`, because('basket.resume-unknown', { id }));
    if (s.basket.items.length > 0) throw new TillError('CONFLICT', 'Finish or suspend the current basket before resuming another.', because('basket.resume-busy', {}));
    const db = session.db();
    db.transaction(() => {
      recordFiscalEvent(db, 'resume', { ...operatorOf(db), text: id }, session.now());
      deleteBasket(db, id);
      s.suspended = s.suspended.filter((p) => p.id !== id);
      s.basket = found.basket;
      s.checks = found.checks;
      s.tenders = [...found.tenders];
      s.customer = found.customer;
      s.notice = null;
      session.repriced();
      session.bump();
    }).immediate();
    return session.publish();
  }
}
