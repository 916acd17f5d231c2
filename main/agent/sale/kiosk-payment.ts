import type { SaleView } from '../../api/contract';
import { because } from '../../core/error-reasons';
import { TillError } from '../../core/errors';
import { minor } from '../../core/money';
import { approveChecks, assertUnlocked, methodFor } from '../../core/sale';
import type { CardPaymentResult } from '../../devices/terminal/card-terminal';
import { cardTenderCommitted, openCardPayments, recordCardPaymentAsked, setCardPaymentState } from '../../store/card-payments';
import { printReceiptOf } from '../../store/ledger';
import { commitTheSale } from './sale-commit';
import type { SaleSession } from './sale-session';

type TerminalAnswer = CardPaymentResult | { outcome: 'error'; reason: string };

/**
 * The self-service kiosk: the customer pays on the external card terminal, chooses whether to print the
 * receipt, and calls staff (who approve the age and weight checks a kiosk basket locks on).
 */
export class KioskPayment {
  private paymentSeq = 0;

  constructor(private readonly session: SaleSession) {
    session.onDidRestore(() => this.recoverCardPayment());
  }

  /** The kiosk's help button: every screen of the till sees the flag until staff clear it or the sale ends. */
  requestHelp(): SaleView {
    const session = this.session;
    session.ensureReady();
    const s = session.state;
    s.help ??= { requestedAt: session.now().toISOString() };
    session.logger().info({ requestedAt: s.help.requestedAt }, 'kiosk: a customer asked for staff');
    session.bump();
    return session.publish();
  }

  clearHelp(): SaleView {
    const session = this.session;
    session.ensureReady();
    session.state.help = null;
    session.bump();
    return session.publish();
  }

  /**
   * Staff (at a kiosk) or the cashier (an ID check at their till) approve every pending check; the approval is
   * kept with the sale. At a kiosk the attendant has come, so the help flag the lock raised is cleared too.
   */
  approve(operatorId: string): SaleView {
    const session = this.session;
    const s = session.state;
    s.checks = approveChecks(s.checks, { operatorId, method: methodFor(session.mode), at: session.now().toISOString() });
    const approval = s.checks.approvals.at(-1);
    session.logger().info({ operatorId: approval?.operatorId, method: approval?.method, checks: approval?.checks.map((c) => ({ kind: c.kind, lineId: c.lineId, itemId: c.itemId })) }, 'sale: checks approved');
    if (session.mode === 'kiosk') s.help = null;
    session.bump();
    return session.publish();
  }

  /**
   * Asks the card terminal for what is due. The answer arrives later (the customer is at the terminal), as a
   * published view: approved, the sale is committed with the terminal's reference; declined, the basket stays.
   * While the terminal is busy nothing may change the basket or cancel it, so an idle timeout cannot lose a
   * sale the card already paid.
   */
  payByCard(): SaleView {
    const session = this.session;
    const { options, state: s } = session;
    const terminal = options.cardTerminal;
    if (!terminal) throw new TillError('CONFLICT', 'This till has no card terminal: the customer pays at staff.', because('card.no-terminal', {}));
    if (s.basket.items.length === 0) throw new TillError('CONFLICT', 'The basket is empty: there is nothing to pay for.', because('basket.empty', {}));
    session.assertNoCardPayment();
    assertUnlocked(s.checks, session.mode);
    const view = session.view();
    if (view.remaining <= 0) throw new TillError('CONFLICT', 'Nothing is left to pay.', because('sale.nothing-due', {}));
    const amount = minor(view.remaining);
    this.paymentSeq += 1;
    const reference = `${options.till.posId}-${session.now().getTime()}-${this.paymentSeq}`;
    // On disk before the terminal is asked: a restart mid-payment finds it and never asks a second time blind.
    recordCardPaymentAsked(session.db(), { reference, amountMinor: amount, currency: options.till.currency, terminalId: terminal.id }, session.now());
    s.payment = { state: 'waiting', amount, reference };
    session.logger().info({ reference, amountMinor: amount, terminal: terminal.id }, 'kiosk: card payment started');
    terminal
      .pay({ amount, currency: options.till.currency, reference })
      .then(
        (result) => this.finishCardPayment(reference, result),
        (err: unknown) => this.finishCardPayment(reference, { outcome: 'error', reason: err instanceof Error ? err.message : String(err) }),
      )
      // Nobody awaits the terminal's answer: a failure to record or publish it (the database gone, a full
      // disk) is logged with the payment's reference; a committed sale is already safe in its transaction.
      .catch((err: unknown) => session.logger().error({ err, reference }, 'kiosk: the card terminal answer could not be recorded; staff must check the terminal'));
    session.bump();
    return session.publish();
  }

  /** The kiosk customer's answer to "receipt?": print it through the spool, or not. */
  chooseReceipt(print: boolean): SaleView {
    const session = this.session;
    const offer = session.state.receiptOffer;
    if (!offer) throw new TillError('CONFLICT', 'No receipt is waiting for a choice.', because('sale.no-receipt-offer', {}));
    if (print) {
      const { created } = printReceiptOf(session.db(), offer.receiptId, session.now());
      if (created) session.options.onDidQueuePrint?.();
    }
    session.logger().info({ receiptId: offer.receiptId, print }, 'kiosk: receipt choice');
    session.state.receiptOffer = null;
    session.bump();
    return session.publish();
  }

  private finishCardPayment(reference: string, result: TerminalAnswer): void {
    const session = this.session;
    const s = session.state;
    const payment = s.payment;
    const log = session.logger();
    if (payment?.reference !== reference || payment.state !== 'waiting') {
      log.warn({ reference, outcome: result.outcome }, 'kiosk: an answer from the card terminal for no waiting payment was ignored');
      return;
    }
    const db = session.db();
    if (result.outcome === 'declined') {
      setCardPaymentState(db, reference, 'declined', session.now(), { reason: result.reason });
      log.info({ reference }, 'kiosk: card payment declined');
      s.payment = { ...payment, state: 'declined', reason: result.reason };
    } else if (result.outcome === 'error') {
      // The terminal failed to answer: the card may or may not be charged, so staff must look before anything else.
      setCardPaymentState(db, reference, 'staff', session.now(), { reason: result.reason });
      log.error({ reference, reason: result.reason }, 'kiosk: the card terminal failed');
      s.payment = { ...payment, state: 'error', reason: `The card terminal did not answer (${result.reason}). Staff must check the terminal.` };
      s.help ??= { requestedAt: session.now().toISOString() };
    } else {
      // Charged: keep the tender before committing, so a refused commit leaves the payment on record.
      setCardPaymentState(db, reference, 'approved', session.now(), { terminalRef: result.terminalRef });
      s.tenders = [...s.tenders, { tender: { kind: 'card', amount: minor(payment.amount), terminalRef: result.terminalRef } }];
      s.payment = null;
      try {
        commitTheSale(session, s.tenders);
        setCardPaymentState(db, reference, 'committed', session.now());
        return;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        log.error({ err, reference, terminalRef: result.terminalRef }, 'kiosk: the card was charged but the sale could not be committed');
        s.payment = { ...payment, state: 'error', reason: `The card was charged (${result.terminalRef}) but the sale was not saved: ${message} Staff must finish it.` };
        s.help ??= { requestedAt: session.now().toISOString() };
      }
    }
    session.bump();
    session.publish();
  }

  /**
   * After a restart: a card payment the previous run was waiting on is found by its reference. Charged and
   * committed: nothing to do. Charged, not committed: the sale is committed with it. Still open: the basket
   * stays locked while the terminal is asked how it ended; a terminal that cannot say hands it to staff with the
   * reference. The customer is never asked to pay a second time while the first payment's end is unknown.
   */
  private recoverCardPayment(): void {
    const session = this.session;
    const db = session.db();
    const open = openCardPayments(db).at(-1);
    if (!open) return;
    const log = session.logger();
    const s = session.state;
    const payment = { state: 'waiting' as const, amount: minor(open.amountMinor), reference: open.reference };
    if (open.state === 'approved' && open.terminalRef !== null) {
      if (cardTenderCommitted(db, open.terminalRef)) {
        setCardPaymentState(db, open.reference, 'committed', session.now());
        return;
      }
      if (s.tenders.some((h) => h.tender.kind === 'card' && h.tender.terminalRef === open.terminalRef)) {
        // Already held with the basket and refused by the commit before the restart: staff finish it, as then.
        s.payment = { ...payment, state: 'error', reason: `The card was charged (${open.terminalRef}) but the sale was not saved. Staff must finish it.` };
        return;
      }
      log.warn({ reference: open.reference }, 'kiosk: a charged card payment was not yet saved with its sale; saving it now');
      s.payment = payment;
      this.finishCardPayment(open.reference, { outcome: 'approved', terminalRef: open.terminalRef });
      return;
    }
    if (open.state === 'staff') {
      s.payment = { ...payment, state: 'error', reason: this.staffReason(open.reference, open.reason ?? 'its outcome is unknown') };
      return;
    }
    s.payment = payment;
    log.warn({ reference: open.reference }, 'kiosk: a card payment was in progress when the agent stopped; asking the terminal how it ended');
    const terminal = session.options.cardTerminal;
    const ask = terminal?.outcomeOf ? terminal.outcomeOf(open.reference) : Promise.resolve({ outcome: 'unknown' as const, reason: 'this terminal cannot be asked about an earlier payment' });
    ask
      .then(
        (outcome) => (outcome.outcome === 'unknown' ? this.handToStaff(open.reference, outcome.reason) : this.finishCardPayment(open.reference, outcome)),
        (err: unknown) => this.handToStaff(open.reference, err instanceof Error ? err.message : String(err)),
      )
      .catch((err: unknown) => log.error({ err, reference: open.reference }, 'kiosk: the recovered card payment could not be recorded; staff must check the terminal'));
  }

  private staffReason(reference: string, why: string): string {
    return `A card payment (reference ${reference}) was in progress when the till restarted, and the terminal could not say how it ended (${why}). Staff: look the reference up on the terminal; if it was charged, take it as a card tender with its reference, then clear this.`;
  }

  private handToStaff(reference: string, why: string): void {
    const session = this.session;
    const s = session.state;
    if (s.payment?.reference !== reference || s.payment.state !== 'waiting') return;
    setCardPaymentState(session.db(), reference, 'staff', session.now(), { reason: why });
    session.logger().error({ reference }, 'kiosk: a card payment of the previous run is handed to staff');
    s.payment = { ...s.payment, state: 'error', reason: this.staffReason(reference, why) };
    s.help ??= { requestedAt: session.now().toISOString() };
    session.bump();
    session.publish();
  }
}
