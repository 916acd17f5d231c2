import { because } from '../error-reasons';
import { TillError } from '../errors';
import { add, allocate, type Minor, minor, sub, sum, ZERO } from '../money';
import { type SaleChecks, lockMessage, lockReason } from './approvals';
import type { EntryTender, SaleEntry } from './entry';
import type { DiscountLine, SaleItem, SaleReceipt } from './model';
import { roundToCashUnit } from './cash-rounding';
import { settle, type Tender } from './tenders';
import { settleReceipt, totalsOf } from './totals';

/** What the ledger knows when it numbers an entry, inside the commit transaction. */
export type EntryHeader = {
  readonly receiptId: string;
  readonly saleNo: number;
  readonly branchId: string;
  readonly posId: string;
  readonly operatorId: string;
  readonly currency: string;
  readonly purchaseAt: string;
  readonly ruleSetVersion: string;
};

export type SaleParts = {
  /** The priced receipt (from `basketReceipt`, then the discount engine); its id and time are replaced. */
  readonly receipt: SaleReceipt;
  readonly tenders: readonly Tender[];
  /** Per tender index: the value taken offline at risk (from the offline limit policy); 0 when online. */
  readonly amountsAtRisk?: readonly number[];
  readonly customerId?: string;
  readonly memberId?: string;
  /** The basket's age and weight checks: a sale with one still pending is refused; approvals go on record. */
  readonly checks?: SaleChecks;
  /** The till's cash unit in minor units (`cashUnitFor`); 1 or absent: cash is not rounded. */
  readonly cashUnit?: number;
};

function withRisk(tenders: ReturnType<typeof settle>['tenders'], risks: readonly number[] | undefined): EntryTender[] {
  return tenders.map((t, i) => {
    const risk = risks?.[i] ?? 0;
    if (risk > 0 && t.kind !== 'gift_card' && t.kind !== 'loyalty') {
      throw new TillError('SCHEMA_INVALID', `Only gift card and loyalty tenders carry offline risk; tender ${i + 1} is ${t.kind}.`);
    }
    if (risk > t.applied) throw new TillError('SCHEMA_INVALID', `Tender ${i + 1}: the amount at risk (${risk}) exceeds the amount (${t.applied}).`);
    return { ...t, amountAtRisk: minor(risk) };
  });
}

export function buildSaleEntry(header: EntryHeader, parts: SaleParts): SaleEntry {
  if (parts.receipt.items.length === 0) throw new TillError('CONFLICT', 'The basket is empty: there is nothing to sell.', because('basket.empty', {}));
  if (parts.checks && parts.checks.pending.length > 0) throw new TillError('CONFLICT', lockMessage(parts.checks), lockReason(parts.checks));
  const customerId = parts.customerId ?? parts.receipt.customer_id;
  const base: SaleReceipt = { ...parts.receipt, receipt_id: header.receiptId, purchase_at: header.purchaseAt, currency: header.currency };
  const { customer_id: _drop, ...rest } = base;
  const receipt = settleReceipt(customerId ? { ...rest, customer_id: customerId } : rest);
  const totals = totalsOf(receipt.items);
  const settlement = settle(totals.net, parts.tenders, { cashUnit: parts.cashUnit ?? 1 });
  return {
    kind: 'sale',
    ...header,
    ...(customerId ? { customerId } : {}),
    ...(parts.memberId ? { memberId: parts.memberId } : {}),
    receipt,
    totals,
    tenders: withRisk(settlement.tenders, parts.amountsAtRisk),
    tendered: settlement.tendered,
    change: settlement.change,
    ...(settlement.rounding !== 0 ? { rounding: settlement.rounding } : {}),
    ...(parts.checks && parts.checks.approvals.length > 0 ? { approvals: parts.checks.approvals } : {}),
  };
}

function negateLine(item: SaleItem, quantityMilli: number, gross: Minor, discounts: readonly DiscountLine[]): SaleItem {
  return {
    ...item,
    quantity: -quantityMilli / 1000,
    quantity_milli: -quantityMilli,
    gross_amount: sub(ZERO, gross),
    net_amount: sub(ZERO, gross),
    discount_lines: discounts,
    is_return_item: true,
  };
}

/** Tenders, or how to pay back what turns out to be due (a refund's amount is known only once it is priced). */
export type PayBack = readonly Tender[] | ((due: Minor) => readonly Tender[]);

/**
 * How cash goes back: the tenders' amounts are their shares of what is paid back; the cash shares become one cash
 * tender of their sum plus the rounding (a void: the rounding its sale took, mirrored; a refund: the cash share
 * rounded to the cash unit), so the drawer pays back a payable amount.
 */
function cashPaidBack(shares: readonly Tender[], rounding: Minor | 'round', cashUnit: number): { tenders: Tender[]; rounding: Minor } {
  const cashAt = shares.findIndex((t) => t.kind === 'cash');
  if (cashAt < 0) return { tenders: [...shares], rounding: ZERO };
  const cashShare = sum(shares.filter((t) => t.kind === 'cash').map((t) => t.amount));
  const r = rounding === 'round' ? sub(roundToCashUnit(cashShare, cashUnit), cashShare) : rounding;
  const others = shares.filter((t) => t.kind !== 'cash');
  const cash: Tender = { kind: 'cash', amount: add(cashShare, r) };
  return { tenders: [...others.slice(0, cashAt), cash, ...others.slice(cashAt)], rounding: r };
}

function entryFromLines(
  kind: 'void' | 'refund',
  header: EntryHeader,
  original: SaleEntry,
  items: SaleItem[],
  payBack: PayBack,
  reason: string | undefined,
  cashUnit: number,
): SaleEntry {
  const receipt = settleReceipt({ ...original.receipt, receipt_id: header.receiptId, purchase_at: header.purchaseAt, items, discounts: [] });
  const totals = totalsOf(receipt.items);
  const due = sub(ZERO, totals.net);
  const shares = typeof payBack === 'function' ? payBack(due) : payBack;
  const paid = cashPaidBack(shares, kind === 'void' ? (original.rounding ?? ZERO) : 'round', cashUnit);
  const settlement = settle(due, paid.tenders, { allowChange: false, rounding: paid.rounding });
  return {
    kind,
    ...header,
    refersTo: original.receiptId,
    ...(original.customerId ? { customerId: original.customerId } : {}),
    ...(original.memberId ? { memberId: original.memberId } : {}),
    receipt,
    totals,
    tenders: settlement.tenders.map((t) => ({ ...t, amountAtRisk: ZERO })),
    tendered: settlement.tendered,
    change: ZERO,
    ...(settlement.rounding !== 0 ? { rounding: settlement.rounding } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** A void gives everything back the way it was paid: every line, every tender, the discounts released. */
export function buildVoidEntry(header: EntryHeader, original: SaleEntry, reason?: string): SaleEntry {
  if (original.kind !== 'sale') throw new TillError('CONFLICT', `${original.receiptId} is a ${original.kind}, not a sale; only sales can be voided.`);
  const items = original.receipt.items.map((i) => negateLine(i, i.quantity_milli, i.gross_amount, i.discount_lines));
  const tenders: Tender[] = original.tenders.map(({ applied, amountAtRisk: _risk, ...t }) => ({ ...t, amount: applied }));
  return entryFromLines('void', header, original, items, tenders, reason, 1);
}

export type RefundLine = { readonly lineId: number; /** Pieces, or grams for weight items; default: all that is left. */ readonly quantity?: number };

/**
 * The share of `total` that belongs to the first `part` of `whole`, such that consecutive partial refunds
 * add up exactly to the original amount.
 */
function cumulativeShare(total: Minor, part: number, whole: number): Minor {
  if (part >= whole) return total;
  return allocate(total, [part, whole - part])[0] ?? ZERO;
}

/**
 * A refund of some lines (or part of their quantity). Amounts are the original net prorated, discounts
 * included, so a customer gets back what was paid. `refunded` is the quantity (milli) already refunded per
 * original line id.
 */
export function buildRefundEntry(
  header: EntryHeader,
  original: SaleEntry,
  lines: readonly RefundLine[],
  tenders: PayBack,
  refunded: ReadonlyMap<number, number>,
  reason?: string,
  cashUnit = 1,
): SaleEntry {
  if (original.kind !== 'sale') throw new TillError('CONFLICT', `${original.receiptId} is a ${original.kind}; refund the original sale instead.`);
  if (lines.length === 0) throw new TillError('SCHEMA_INVALID', 'A refund needs at least one line.');
  const items = lines.map((l) => {
    const item = original.receipt.items.find((i) => i.line_id === l.lineId);
    if (!item) throw new TillError('NOT_FOUND', `${original.receiptId} has no line ${l.lineId}.`);
    const before = refunded.get(l.lineId) ?? 0;
    const left = item.quantity_milli - before;
    const q = l.quantity === undefined ? left : item.unit === 'piece' ? l.quantity * 1000 : l.quantity;
    if (!Number.isSafeInteger(q) || q <= 0) throw new TillError('SCHEMA_INVALID', `Line ${l.lineId}: the refund quantity must be positive.`);
    if (q > left) throw new TillError('CONFLICT', `Line ${l.lineId} (${item.description}): only ${item.unit === 'piece' ? left / 1000 : `${left} g`} left to refund.`);
    const share = (amount: Minor): Minor => sub(cumulativeShare(amount, before + q, item.quantity_milli), cumulativeShare(amount, before, item.quantity_milli));
    const discounts = item.discount_lines.map((d) => ({ ...d, amount: share(minor(d.amount)) }));
    return negateLine(item, q, share(item.gross_amount), discounts);
  });
  return entryFromLines('refund', header, original, items, tenders, reason, cashUnit);
}
