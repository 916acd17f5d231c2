import { TillError } from '../errors';
import { type Minor, minor, ratioOf, sub, sum } from '../money';
import type { SaleItem, SaleReceipt } from './model';

export type VatLine = {
  readonly rateBp: number;
  /** What was paid at this rate, VAT included. */
  readonly gross: Minor;
  readonly vat: Minor;
  readonly net: Minor;
};

export type Totals = {
  readonly gross: Minor;
  readonly discount: Minor;
  /** What the customer pays. */
  readonly net: Minor;
  readonly vat: readonly VatLine[];
  readonly vatTotal: Minor;
};

export function lineDiscount(item: SaleItem): Minor {
  return sum(item.discount_lines.map((d) => minor(d.amount)));
}

/**
 * Net of each line from its discount lines (the engine adds discount lines; the till owns the arithmetic).
 * A discount larger than the line, or negative, is a bug in the pricing and is refused.
 */
export function settleLines(items: readonly SaleItem[]): SaleItem[] {
  return items.map((item) => {
    const discount = lineDiscount(item);
    const magnitude = Math.abs(item.gross_amount);
    if (discount < 0 || discount > magnitude) {
      throw new TillError('RULE_INVALID', `Line ${item.line_id} (${item.description}) has discounts of ${discount} on a price of ${magnitude}.`);
    }
    const net = item.gross_amount < 0 ? minor(item.gross_amount + discount) : sub(item.gross_amount, discount);
    return { ...item, net_amount: net };
  });
}

/**
 * VAT is included in the prices (Nordic and Spanish retail). Per rate, the VAT part of the amount paid is
 * `gross * rate / (1 + rate)` rounded half up, and the amount without VAT is the rest, so the two always add up
 * to what was paid; one split per rate, not per line, so rounding happens once per rate (docs/ledger.md).
 */
export function vatLines(items: readonly SaleItem[]): VatLine[] {
  const byRate = new Map<number, Minor>();
  for (const item of items) {
    const bp = Math.round(item.tax_percent * 100);
    byRate.set(bp, minor((byRate.get(bp) ?? 0) + item.net_amount));
  }
  return [...byRate.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([rateBp, gross]) => {
      const vat = ratioOf(gross, rateBp, 10_000 + rateBp);
      return { rateBp, gross, vat, net: sub(gross, vat) };
    });
}

export function totalsOf(items: readonly SaleItem[]): Totals {
  const gross = sum(items.map((i) => i.gross_amount));
  const net = sum(items.map((i) => i.net_amount));
  const vat = vatLines(items);
  return { gross, net, discount: sub(gross, net), vat, vatTotal: sum(vat.map((v) => v.vat)) };
}

/** The receipt with every line's net and the receipt totals recomputed from the discount lines. */
export function settleReceipt(receipt: SaleReceipt): SaleReceipt {
  const items = settleLines(receipt.items);
  const totals = totalsOf(items);
  return { ...receipt, items, gross_amount: totals.gross, net_amount: totals.net, total_discount: totals.discount };
}
