import type { CatalogItem } from '../catalog/item';
import { because } from '../error-reasons';
import { TillError } from '../errors';
import { type Minor, percentOf, times } from '../money';
import type { SaleItem } from './model';

export type LineInput = {
  readonly item: CatalogItem;
  /** Pieces for piece items (default 1). */
  readonly quantity?: number;
  /** Grams for weight items (from a scale or an in-store weight code). */
  readonly grams?: number;
  /** The line price from an in-store price code, which wins over the catalog price. */
  readonly price?: Minor;
  readonly barcode?: string;
};

/** Pieces: price times count. Weight: price per kg times grams / 1000, rounded half up by money.ts. */
export function lineGross(unitPrice: Minor, unit: CatalogItem['unit'], quantityMilli: number): Minor {
  return unit === 'piece' ? times(unitPrice, quantityMilli / 1000) : percentOf(unitPrice, quantityMilli / 10);
}

/** One receipt line, undiscounted (net = gross), ready for the discount engine. */
export function makeLine(lineId: number, input: LineInput): SaleItem {
  const { item } = input;
  let quantityMilli: number;
  if (item.unit === 'weight') {
    const grams = input.grams;
    if (grams === undefined || !Number.isSafeInteger(grams) || grams <= 0) {
      throw new TillError('SCHEMA_INVALID', `${item.name} is sold by weight: give its weight in whole grams.`, because('item.sold-by-weight', { item: item.name }));
    }
    quantityMilli = grams;
  } else {
    const pieces = input.quantity ?? 1;
    if (!Number.isSafeInteger(pieces) || pieces <= 0 || pieces > 9999) {
      throw new TillError('SCHEMA_INVALID', `The quantity of ${item.name} must be a whole number from 1 to 9999, got ${pieces}.`, because('item.quantity-range', { item: item.name, quantity: pieces }));
    }
    quantityMilli = pieces * 1000;
  }
  const gross = input.price ?? lineGross(item.unitPrice, item.unit, quantityMilli);
  if (gross < 0) throw new TillError('SCHEMA_INVALID', `The price of ${item.name} cannot be negative.`);
  const line: SaleItem = {
    line_id: lineId,
    id: item.id,
    description: item.name,
    groups: item.groups,
    quantity: quantityMilli / 1000,
    unit: item.unit,
    quantity_milli: quantityMilli,
    unit_gross_price: item.unitPrice,
    tax_percent: item.vatRateBp / 100,
    gross_amount: gross,
    net_amount: gross,
    eligible_for_discount: item.eligibleForDiscount,
    discount_lines: [],
    ...(item.unit === 'weight' ? { scale_item: true } : {}),
  };
  return input.barcode === undefined ? line : { ...line, barcode: input.barcode };
}
