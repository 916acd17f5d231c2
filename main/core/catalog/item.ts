import type { Minor } from '../money';

/** A group an item belongs to; discount rules match items by `group_id` against these ids. */
export type ItemGroup = { readonly id: string; readonly name?: string };

/** `piece`: quantity counts items. `weight`: quantity is grams and the unit price is per kilogram. */
export type ItemUnit = 'piece' | 'weight';

export type CatalogItem = {
  /** The item id discount rules match (`items[].id` on a Dintero receipt); usually the SKU or main GTIN. */
  readonly id: string;
  /** Every code that finds this item, normalised by `normalizeCode`. */
  readonly codes: readonly string[];
  readonly name: string;
  readonly groups: readonly ItemGroup[];
  /** Price including VAT, per piece or per kilogram. */
  readonly unitPrice: Minor;
  /** VAT in hundredths of a percent: 2500 is 25 %. Integers keep rates exact. */
  readonly vatRateBp: number;
  readonly unit: ItemUnit;
  /** Minimum customer age, or undefined when the item has none. */
  readonly ageLimit?: number;
  readonly eligibleForDiscount: boolean;
};
