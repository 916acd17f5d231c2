import type { BalanceView, CardPaymentView, CustomerView, ItemView, ReceiptDocumentView, SaleLine, SaleNotice, SaleView, ShiftView } from '../../api/contract';
import type { CatalogItem } from '../../core/catalog';
import type { RuleOutcome } from '../../core/discounts';
import { assertNever } from '../../core/errors';
import { sub, sum, ZERO } from '../../core/money';
import { type Basket, type SaleChecks, type SaleReceipt, stillToPay, type TillMode, totalsOf } from '../../core/sale';
import type { CustomerInfo, HeldTender, KnownBalance, SuspendedBasketSnapshot } from '../../core/sale/basket-snapshot';
import { maskId } from '../../core/sale/member-code';

/**
 * The sale as every screen sees it, built from the sale's state without any I/O: a pure function of its input,
 * so the view can be tested and reasoned about apart from the service that holds the state. It lives beside
 * the agent rather than in main/core because its output type is the API contract's (main/core imports only
 * itself).
 */

/** A kiosk card payment: `reference` is this attempt's, so only its own terminal answer can finish it. */
export type CardPayment = CardPaymentView & { readonly reference: string };

export type SaleViewInput = {
  readonly revision: number;
  readonly currency: string;
  /** The till's cash unit (`TillIdentity.cashUnit`); 1: cash is not rounded. */
  readonly cashUnit: number;
  /** Whether the till drives a card terminal; without one card tenders are confirmed from a stand-alone terminal. */
  readonly cardTerminal: 'integrated' | 'external';
  readonly mode: TillMode;
  readonly basket: Basket;
  readonly priced: { readonly receipt: SaleReceipt; readonly outcomes: readonly RuleOutcome[]; readonly ruleSetVersion: string };
  readonly tenders: readonly HeldTender[];
  readonly customer: CustomerInfo | undefined;
  readonly suspended: readonly SuspendedBasketSnapshot[];
  readonly notice: SaleNotice | null;
  readonly lastReceipt: ReceiptDocumentView | null;
  readonly shift: ShiftView;
  readonly help: { readonly requestedAt: string } | null;
  readonly checks: SaleChecks;
  readonly payment: CardPayment | null;
  readonly receiptOffer: { readonly receiptId: string } | null;
};

export function saleView(input: SaleViewInput): SaleView {
  const { priced, checks, payment } = input;
  const totals = totalsOf(priced.receipt.items);
  const paid = sum(input.tenders.map((t) => t.tender.amount));
  const lines: SaleLine[] = priced.receipt.items.map((i) => ({
    lineId: i.line_id,
    itemId: i.id,
    description: i.description,
    unit: i.unit,
    quantity: i.quantity,
    quantityMilli: i.quantity_milli,
    unitPrice: i.unit_gross_price,
    gross: i.gross_amount,
    net: i.net_amount,
    discounts: i.discount_lines.map((d) => ({ ruleId: d.discount_id ?? '', text: d.description ?? d.discount_id ?? '', amount: d.amount })),
  }));
  return {
    revision: input.revision,
    currency: input.currency,
    lines,
    customer: customerView(input.customer, input.basket),
    totals: { gross: totals.gross, discount: totals.discount, net: totals.net, vatTotal: totals.vatTotal },
    tenders: input.tenders.map(tenderView),
    paid,
    remaining: paid >= totals.net ? ZERO : sub(totals.net, paid),
    cardTerminal: input.cardTerminal,
    cashDue: stillToPay(totals.net, input.tenders.map((t) => t.tender), input.cashUnit, true),
    outcomes: priced.outcomes.map((o) => ({ ruleId: o.discount_id, name: o.name, applied: o.applied, reason: o.reason, message: o.message, ...(o.detail ? { detail: o.detail } : {}), amount: o.amount, bonus: o.bonus })),
    ruleSetVersion: priced.ruleSetVersion,
    suspended: input.suspended.map((s) => ({ id: s.id, suspendedAt: s.suspendedAt, lines: s.basket.items.length, net: sum(s.basket.items.map((i) => i.gross_amount)) })),
    notice: input.notice,
    lastReceipt: input.lastReceipt,
    shift: input.shift,
    help: input.help,
    checks: {
      mode: input.mode,
      pending: checks.pending.map((c) => ({ kind: c.kind, lineId: c.lineId, description: c.description, ...(c.kind === 'age' ? { ageLimit: c.ageLimit } : { grams: c.grams }) })),
      approvals: checks.approvals.map((a) => ({
        operatorId: a.operatorId,
        method: a.method,
        at: a.at,
        kinds: [...new Set(a.checks.map((c) => c.kind))],
        ...(a.verifiedAge !== undefined ? { verifiedAge: a.verifiedAge } : {}),
      })),
    },
    payment: payment ? { state: payment.state, amount: payment.amount, ...(payment.reason !== undefined ? { reason: payment.reason } : {}) } : null,
    receiptOffer: input.receiptOffer,
  };
}

export function itemView(item: CatalogItem): ItemView {
  return { itemId: item.id, name: item.name, codes: [...item.codes], unit: item.unit, unitPrice: item.unitPrice, vatRateBp: item.vatRateBp, eligibleForDiscount: item.eligibleForDiscount };
}

export function balanceView(b: KnownBalance): BalanceView {
  return { amount: b.amount, asOf: new Date(b.fetchedAt).toISOString(), source: b.source };
}

/** The identified customer, or the bare ids a basket carries when it was identified by id only. */
export function customerView(customer: CustomerInfo | undefined, basket: Basket): CustomerView | null {
  const c = customer ?? (basket.memberId || basket.customerId ? { memberId: basket.memberId, customerId: basket.customerId } : undefined);
  if (!c) return null;
  const id = c.memberNumber ?? c.memberId ?? c.customerId ?? '';
  return {
    ...(c.memberId ? { memberId: c.memberId } : {}),
    ...(c.customerId ? { customerId: c.customerId } : {}),
    ...(c.name ? { name: c.name } : {}),
    maskedId: maskId(id),
    ...(c.points ? { points: balanceView(c.points) } : {}),
  };
}

export function tenderView(h: HeldTender): SaleView['tenders'][number] {
  const t = h.tender;
  const balance = h.balance ? { balance: balanceView(h.balance) } : {};
  switch (t.kind) {
    case 'cash':
      return { kind: 'cash', amount: t.amount };
    case 'card':
      return t.terminal === 'external' ? { kind: 'card_external', amount: t.amount } : { kind: 'card', amount: t.amount, reference: t.terminalRef };
    case 'gift_card':
      return { kind: 'gift_card', amount: t.amount, reference: maskId(t.cardToken), offline: t.offline === true, ...balance };
    case 'loyalty':
      return { kind: 'points', amount: t.amount, offline: t.offline === true, ...balance };
    default:
      return assertNever(t);
  }
}

/** The customer as a notice names them: the name, else the masked membership number or id. */
export function customerLabel(c: CustomerInfo): string {
  return c.name ?? maskId(c.memberNumber ?? c.memberId ?? c.customerId ?? '');
}
