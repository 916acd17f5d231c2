import { ZERO } from '../money';
import type { SaleEntry } from './entry';
import type { SaleReceipt } from './model';
import { totalsOf } from './totals';
import { maskCardToken } from './entry-at-rest';

/**
 * What the printer prints and the screen previews: plain data, no layout. Amounts are minor units; the
 * renderer formats them. `copy` is set by the print spool on reprints, never here.
 */
export type ReceiptDocument = {
  readonly kind: SaleEntry['kind'];
  readonly receiptId: string;
  readonly saleNo: number;
  readonly refersTo?: string;
  readonly branchId: string;
  readonly posId: string;
  readonly operatorId: string;
  readonly purchaseAt: string;
  readonly currency: string;
  readonly memberId?: string;
  readonly lines: readonly {
    readonly lineId: number;
    readonly description: string;
    readonly quantity: number;
    readonly unit: 'piece' | 'weight';
    readonly unitPrice: number;
    readonly gross: number;
    readonly discounts: readonly { readonly text: string; readonly amount: number }[];
    readonly net: number;
  }[];
  readonly totals: { readonly gross: number; readonly discount: number; readonly net: number; readonly vatTotal: number };
  readonly vat: readonly { readonly rateBp: number; readonly gross: number; readonly vat: number; readonly net: number }[];
  /**
   * `amount`: what the tender pays of the total; `tendered`: cash handed over (or, on a void or refund, paid back)
   * where it differs from that. Kinds as reports name them, and `card_external` for a card on a stand-alone terminal.
   */
  readonly tenders: readonly { readonly kind: string; readonly amount: number; readonly tendered?: number; readonly reference?: string; readonly offline: boolean }[];
  /** The cash rounding (docs/ledger.md), signed; absent when there is none. Printed as its own line after the total. */
  readonly rounding?: number;
  readonly change: number;
  /** Opens the cash drawer: cash was taken or paid out. */
  readonly openDrawer: boolean;
  readonly ruleSetVersion: string;
  /** Made in training mode: every receipt says so (docs/fiscal-no.md). */
  readonly training?: boolean;
  /**
   * A provisional receipt (a bill before payment): titled "Foreløpig kvittering – ikke gyldig som kvittering",
   * numbered in its own series, no tenders, never a sale (docs/fiscal-no.md).
   */
  readonly provisional?: boolean;
};

function tenderReference(t: SaleEntry['tenders'][number]): string | undefined {
  if (t.kind === 'card') return t.terminal === 'external' ? undefined : t.terminalRef;
  // Only the last four characters of a gift card token: the receipt is handed to anyone.
  if (t.kind === 'gift_card') return maskCardToken(t.cardToken);
  return undefined;
}

export function receiptDocument(entry: SaleEntry): ReceiptDocument {
  return {
    kind: entry.kind,
    receiptId: entry.receiptId,
    saleNo: entry.saleNo,
    ...(entry.refersTo ? { refersTo: entry.refersTo } : {}),
    branchId: entry.branchId,
    posId: entry.posId,
    operatorId: entry.operatorId,
    purchaseAt: entry.purchaseAt,
    currency: entry.currency,
    ...(entry.memberId ? { memberId: entry.memberId } : {}),
    lines: entry.receipt.items.map((i) => ({
      lineId: i.line_id,
      description: i.description,
      quantity: i.quantity,
      unit: i.unit,
      unitPrice: i.unit_gross_price,
      gross: i.gross_amount,
      discounts: i.discount_lines.map((d) => ({ text: d.description ?? 'Discount', amount: d.amount })),
      net: i.net_amount,
    })),
    totals: { gross: entry.totals.gross, discount: entry.totals.discount, net: entry.totals.net, vatTotal: entry.totals.vatTotal },
    vat: entry.totals.vat.map((v) => ({ rateBp: v.rateBp, gross: v.gross, vat: v.vat, net: v.net })),
    tenders: entry.tenders.map((t) => {
      const reference = tenderReference(t);
      const kind = t.kind === 'loyalty' ? `loyalty_${t.asset}` : t.kind === 'card' && t.terminal === 'external' ? 'card_external' : t.kind;
      return { kind, amount: t.applied, ...(t.kind === 'cash' && t.amount !== t.applied ? { tendered: t.amount } : {}), ...(reference ? { reference } : {}), offline: t.amountAtRisk > 0 };
    }),
    ...(entry.rounding ? { rounding: entry.rounding } : {}),
    change: entry.change,
    openDrawer: entry.tenders.some((t) => t.kind === 'cash'),
    ruleSetVersion: entry.ruleSetVersion,
  };
}

export type ProvisionalContext = {
  /** The provisional receipt's own id (its series is apart from the sales': it is no sale). */
  readonly receiptId: string;
  /** Its number in the provisional series. */
  readonly number: number;
  readonly branchId: string;
  readonly posId: string;
  readonly operatorId: string;
  readonly currency: string;
  readonly at: string;
  readonly ruleSetVersion: string;
  readonly training?: boolean;
};

/**
 * The open basket, priced, as a provisional receipt: the same lines, discounts, totals and VAT a sale of it would
 * print, with no tenders and no drawer kick. Built by the same function as a sale's receipt, so the two agree.
 */
export function provisionalReceiptDocument(receipt: SaleReceipt, ctx: ProvisionalContext): ReceiptDocument {
  const entry: SaleEntry = {
    kind: 'sale',
    receiptId: ctx.receiptId,
    saleNo: ctx.number,
    branchId: ctx.branchId,
    posId: ctx.posId,
    operatorId: ctx.operatorId,
    currency: ctx.currency,
    purchaseAt: ctx.at,
    ruleSetVersion: ctx.ruleSetVersion,
    receipt,
    totals: totalsOf(receipt.items),
    tenders: [],
    tendered: ZERO,
    change: ZERO,
  };
  return { ...receiptDocument(entry), openDrawer: false, provisional: true, ...(ctx.training === true ? { training: true } : {}) };
}
