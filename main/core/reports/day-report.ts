import { type Minor, minor, ZERO } from '../money';
import type { SaleEntry } from '../sale';

/**
 * The business day's X report (running, for the open day) and Z report (closing, once per closed day), computed
 * from the day's ledger entries only: a pure function, so the same entries always give the same numbers. Void
 * and refund entries count against the sales they undo, so a voided sale nets to zero in every total.
 */
export type DayReportKind = 'X' | 'Z';

export type DayReportDay = {
  readonly id: number;
  readonly businessDate: string;
  readonly openedAt: string;
  /** Null while the day is open (an X report); a Z report always has it. */
  readonly closedAt: string | null;
};

export type KindTotals = { readonly count: number; readonly net: Minor };
export type TenderTotal = { readonly kind: string; readonly count: number; readonly amount: Minor };
export type VatTotal = { readonly rateBp: number; readonly gross: Minor; readonly vat: Minor; readonly net: Minor };
export type DiscountTotal = { readonly text: string; readonly count: number; readonly amount: Minor };

export type DayReport = {
  readonly kind: DayReportKind;
  readonly day: DayReportDay;
  readonly generatedAt: string;
  readonly branchId: string;
  readonly posId: string;
  readonly currency: string;
  readonly sales: KindTotals;
  readonly voids: KindTotals;
  readonly refunds: KindTotals;
  /** Signed sums over every entry: what the day took in, before and after discounts. */
  readonly gross: Minor;
  readonly discount: Minor;
  readonly net: Minor;
  readonly vatTotal: Minor;
  /** Per tender kind (cash, card, gift_card, loyalty_points, loyalty_credit), refunds and voids subtracted. */
  readonly tenders: readonly TenderTotal[];
  /** Per VAT rate (basis points), ascending. */
  readonly vat: readonly VatTotal[];
  /** Per discount receipt text: given on sales, minus what voids and refunds gave back. */
  readonly discounts: readonly DiscountTotal[];
  /** Value taken offline that the back end may still refuse. */
  readonly offlineAtRisk: Minor;
  readonly firstReceipt: string | null;
  readonly lastReceipt: string | null;
  /** The Norwegian rules' counts (docs/fiscal-no.md); absent on reports made before they were kept. */
  readonly fiscal?: FiscalCounts;
  /** Receipts and Loyalty transactions a manager wrote off this day (docs/sync.md); absent on older reports. */
  readonly writeOffs?: WriteOffTotals;
  /** Expected and counted cash (the drawer at close); absent when the report was made without the database. */
  readonly cash?: DayCash;
  /**
   * Cash rounding (docs/ledger.md): entries with a rounding, and what it added to the drawer (signed; a void or
   * refund's rounding subtracted). The cash tender total plus this is the cash the day took in. Absent on older
   * reports.
   */
  readonly cashRounding?: CountAmount;
};

/**
 * `count`: effects written off (a sale's receipt and its transaction are two); `amount`: the net total of the
 * sales they belong to, each sale once, so the figure is what the back ends will never hear about.
 */
export type WriteOffTotals = { readonly count: number; readonly amount: Minor };

/** Counts and sums kassasystemforskrifta §§ 2-8-2 and 2-8-3 ask of X and Z reports, beyond the totals above. */
export type FiscalCounts = {
  readonly salesReceipts: number;
  readonly returnReceipts: number;
  readonly voidReceipts: number;
  readonly copies: number;
  readonly provisionalReceipts: number;
  readonly drawerOpeningsWithoutSale: number;
  readonly cancelledSales: number;
  readonly lineDeletions: number;
  readonly priceChanges: number;
  readonly priceLookups: number;
  readonly salesWithoutReceipt: number;
  /** Training sales: counted here, left out of every other figure. */
  readonly training: KindTotals;
  /** Sales per article group (an item's first catalog group), voids and refunds subtracted. */
  readonly articleGroups: readonly { readonly group: string; readonly count: number; readonly net: Minor }[];
  /** The counts § 2-8-2 wants with their amounts; absent on reports made before they were kept. */
  readonly amounts?: {
    readonly copies: CountAmount;
    readonly provisional: CountAmount;
    readonly cancelledSales: CountAmount;
    /** Lines deleted and quantities reduced before payment. */
    readonly corrections: CountAmount;
    readonly cashWithdrawals: CountAmount;
  };
};

export type CountAmount = { readonly count: number; readonly amount: Minor };

/** A business day's cash over its shifts; the difference is null while a shift is uncounted. */
export type DayCash = { readonly expected: Minor; readonly counted: Minor | null; readonly difference: Minor | null };

export type DayReportInput = {
  readonly kind: DayReportKind;
  readonly day: DayReportDay;
  readonly generatedAt: string;
  readonly till: { readonly branchId: string; readonly posId: string; readonly currency: string };
  /** The day's entries in sale-number order. */
  readonly entries: readonly SaleEntry[];
  /** Receipt ids of the day's training sales: counted apart, left out of the figures. */
  readonly trainingReceiptIds?: ReadonlySet<string>;
  /** The day's fiscal events by code (main/core/fiscal/saft-codes.ts), with the amounts they carry. */
  readonly eventTotals?: ReadonlyMap<string, { readonly count: number; readonly amount: number }>;
  /** Expected and counted cash over the day's shifts. */
  readonly cash?: DayCash;
  /** Write-offs made during the day, each with its sale's receipt id and net total (main/store/outbox-manage.ts). */
  readonly writeOffs?: readonly { readonly ref: string; readonly amount: number }[];
};

export class DayReportError extends Error {
  override readonly name = 'DayReportError';
}

/** The tender kind as reports and receipts name it: loyalty splits into points and credit. */
export function tenderKindOf(t: SaleEntry['tenders'][number]): string {
  return t.kind === 'loyalty' ? `loyalty_${t.asset}` : t.kind;
}

function bump<K>(map: Map<K, { count: number; amount: number }>, key: K, amount: number): void {
  const cur = map.get(key) ?? { count: 0, amount: 0 };
  map.set(key, { count: cur.count + 1, amount: cur.amount + amount });
}

export function computeDayReport(input: DayReportInput): DayReport {
  const { kind, day, till } = input;
  const training = input.trainingReceiptIds ?? new Set<string>();
  const entries = input.entries.filter((e) => !training.has(e.receiptId));
  const trainingEntries = input.entries.filter((e) => training.has(e.receiptId));
  if (kind === 'Z' && day.closedAt === null) throw new DayReportError(`Business day ${day.businessDate} is still open: a Z report is made when it closes.`);
  const perKind = { sale: { count: 0, net: 0 }, void: { count: 0, net: 0 }, refund: { count: 0, net: 0 } };
  const tenders = new Map<string, { count: number; amount: number }>();
  const vat = new Map<number, { gross: number; vat: number; net: number }>();
  const discounts = new Map<string, { count: number; amount: number }>();
  let gross = 0;
  let discount = 0;
  let net = 0;
  let vatTotal = 0;
  let offlineAtRisk = 0;
  const rounding = { count: 0, amount: 0 };
  for (const e of entries) {
    if (e.currency !== till.currency) throw new DayReportError(`Entry ${e.receiptId} is in ${e.currency}, but the till reports in ${till.currency}.`);
    // Void and refund entries carry negative totals, but their tenders and discount lines as positive amounts.
    const sign = e.kind === 'sale' ? 1 : -1;
    perKind[e.kind].count += 1;
    if (e.rounding) {
      rounding.count += 1;
      rounding.amount += sign * e.rounding;
    }
    perKind[e.kind].net += e.totals.net;
    gross += e.totals.gross;
    discount += e.totals.discount;
    net += e.totals.net;
    vatTotal += e.totals.vatTotal;
    for (const t of e.tenders) {
      bump(tenders, tenderKindOf(t), sign * t.applied);
      offlineAtRisk += t.amountAtRisk;
    }
    for (const v of e.totals.vat) {
      const cur = vat.get(v.rateBp) ?? { gross: 0, vat: 0, net: 0 };
      vat.set(v.rateBp, { gross: cur.gross + v.gross, vat: cur.vat + v.vat, net: cur.net + v.net });
    }
    // An offer is counted once per sale, however many of its lines it touched; its amount is the sum over them.
    const given = new Map<string, number>();
    for (const item of e.receipt.items) {
      for (const d of item.discount_lines) {
        const text = d.description ?? d.discount_id ?? 'Discount';
        given.set(text, (given.get(text) ?? 0) + d.amount);
      }
    }
    for (const [text, amount] of given) bump(discounts, text, sign * amount);
  }
  const totals = (k: keyof typeof perKind): KindTotals => ({ count: perKind[k].count, net: minor(perKind[k].net) });
  const groups = new Map<string, { count: number; net: number }>();
  for (const e of entries) {
    const sign = e.kind === 'sale' ? 1 : -1;
    for (const item of e.receipt.items) {
      const g = item.groups[0]?.id ?? 'GOODS';
      const cur = groups.get(g) ?? { count: 0, net: 0 };
      groups.set(g, { count: cur.count + sign, net: cur.net + item.net_amount });
    }
  }
  const ev = (code: string): number => input.eventTotals?.get(code)?.count ?? 0;
  const sum = (...codes: string[]): CountAmount => {
    let count = 0;
    let amount = 0;
    for (const code of codes) {
      const t = input.eventTotals?.get(code);
      count += t?.count ?? 0;
      amount += t?.amount ?? 0;
    }
    return { count, amount: minor(amount) };
  };
  const fiscal: FiscalCounts = {
    salesReceipts: ev('sales_receipt'),
    returnReceipts: ev('return_receipt'),
    voidReceipts: ev('void_receipt'),
    copies: ev('copy_receipt'),
    provisionalReceipts: ev('provisional_receipt'),
    drawerOpeningsWithoutSale: ev('drawer_open_no_sale'),
    cancelledSales: ev('sale_cancelled'),
    lineDeletions: ev('line_deleted'),
    priceChanges: ev('price_change'),
    priceLookups: ev('price_lookup'),
    salesWithoutReceipt: ev('no_receipt_sale'),
    training: { count: trainingEntries.length, net: minor(trainingEntries.reduce((a, e) => a + e.totals.net, 0)) },
    articleGroups: [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([group, v]) => ({ group, count: v.count, net: minor(v.net) })),
    amounts: {
      copies: sum('copy_receipt'),
      provisional: sum('provisional_receipt'),
      cancelledSales: sum('sale_cancelled'),
      corrections: sum('line_deleted', 'line_reduced'),
      cashWithdrawals: sum('cash_withdrawal'),
    },
  };
  return {
    kind,
    day,
    generatedAt: input.generatedAt,
    branchId: till.branchId,
    posId: till.posId,
    currency: till.currency,
    sales: totals('sale'),
    voids: totals('void'),
    refunds: totals('refund'),
    gross: minor(gross),
    discount: minor(discount),
    net: minor(net),
    vatTotal: minor(vatTotal),
    tenders: [...tenders].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => ({ kind: k, count: v.count, amount: minor(v.amount) })),
    vat: [...vat].sort(([a], [b]) => a - b).map(([rateBp, v]) => ({ rateBp, gross: minor(v.gross), vat: minor(v.vat), net: minor(v.net) })),
    discounts: [...discounts].sort(([a], [b]) => a.localeCompare(b)).map(([text, v]) => ({ text, count: v.count, amount: minor(v.amount) })),
    offlineAtRisk: offlineAtRisk === 0 ? ZERO : minor(offlineAtRisk),
    firstReceipt: entries[0]?.receiptId ?? null,
    lastReceipt: entries.at(-1)?.receiptId ?? null,
    fiscal,
    ...(input.writeOffs === undefined ? {} : { writeOffs: writeOffTotals(input.writeOffs) }),
    ...(input.cash ? { cash: input.cash } : {}),
    cashRounding: { count: rounding.count, amount: minor(rounding.amount) },
  };
}

function writeOffTotals(rows: readonly { readonly ref: string; readonly amount: number }[]): WriteOffTotals {
  const perSale = new Map(rows.map((r) => [r.ref, r.amount]));
  return { count: rows.length, amount: minor([...perSale.values()].reduce((a, n) => a + n, 0)) };
}
