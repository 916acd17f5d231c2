/**
 * The receipt's items as the engine reads them: sorted by line id (so nothing depends on the order of the
 * items), with what makes a line eligible worked out once.
 */
import type { Receipt } from './schema';

export type Line = {
  /** Position in `receipt.items`. */
  readonly index: number;
  readonly lineId: number;
  readonly itemId: string | undefined;
  readonly groups: readonly string[];
  readonly gross: number;
  /** Whole units for counting and per-unit rewards; a weighed (fractional) quantity is one unit. */
  readonly units: number;
  /** Dintero: `eligible_for_discount` set and a positive gross amount; also not voided and not a return. */
  readonly eligible: boolean;
  /** Discounts the receipt already carried on this line when it came in. */
  readonly inputDiscount: number;
};

function unitsOf(quantity: number | undefined): number {
  if (quantity === undefined) return 1;
  if (!(quantity > 0)) return 0;
  return Number.isInteger(quantity) ? quantity : 1;
}

export function linesOf(receipt: Receipt): Line[] {
  const items = receipt.items ?? [];
  const lines = items.map((item, index): Line => {
    const units = unitsOf(item.quantity);
    let inputDiscount = 0;
    for (const d of item.discount_lines ?? []) inputDiscount += d.amount ?? 0;
    return {
      index,
      lineId: item.line_id,
      itemId: item.id,
      groups: (item.groups ?? []).map((g) => g.id),
      gross: item.gross_amount,
      units,
      eligible: item.eligible_for_discount === true && item.gross_amount > 0 && units > 0 && item.voided !== true && item.is_return_item !== true,
      inputDiscount,
    };
  });
  return lines.sort((a, b) => a.lineId - b.lineId);
}
