import type { ItemGroup, ItemUnit } from '../catalog/item';
import type { BonusLine } from '../discounts/schema';
import type { Minor } from '../money';

/**
 * The sale as a Dintero receipt (snake_case on purpose): the discount engine's `evaluate` and the Receipts API
 * take it as it is. Amounts are minor units including VAT. `quantity` is pieces, or kilograms for weight
 * items (the ledger also keeps the exact grams, as `quantity_milli`).
 */
export type DiscountLine = {
  readonly amount: number;
  readonly percentage?: number;
  readonly discount_type?: string;
  readonly discount_id?: string;
  readonly description?: string;
  readonly line_id?: number;
};

export type SaleItem = {
  readonly line_id: number;
  readonly id: string;
  readonly description: string;
  readonly groups: readonly ItemGroup[];
  readonly quantity: number;
  readonly unit: ItemUnit;
  /** Pieces times 1000, or grams: an integer, so weights are exact in the ledger. */
  readonly quantity_milli: number;
  readonly unit_gross_price: Minor;
  /** VAT percent as Dintero writes it (25, 15, 11.11). */
  readonly tax_percent: number;
  readonly gross_amount: Minor;
  readonly net_amount: Minor;
  readonly eligible_for_discount: boolean;
  readonly discount_lines: readonly DiscountLine[];
  /** Bonus the rules gave on this line (Dintero `bonus_lines`), kept as the engine wrote them. */
  readonly bonus_lines?: readonly BonusLine[];
  /** Set by the discount engine on a line it discounted (Dintero `is_changed`). */
  readonly is_changed?: boolean;
  readonly barcode?: string;
  readonly scale_item?: boolean;
  /** Refund lines: the original line they give back. */
  readonly is_return_item?: boolean;
};

/** A discount the receipt used, with the customer refs to claim (the shape of `available_for_receipt`). */
export type DiscountRef = { readonly id?: string; readonly amount?: number; readonly usage?: number };
export type ReceiptDiscount = { readonly id?: string; readonly name?: string; readonly receipt_text?: string; readonly refs?: readonly DiscountRef[] };

export type SaleReceipt = {
  readonly receipt_id: string;
  readonly purchase_at: string;
  readonly store: { readonly id: string };
  readonly currency: string;
  readonly customer_id?: string;
  readonly items: readonly SaleItem[];
  readonly discounts: readonly ReceiptDiscount[];
  readonly gross_amount: Minor;
  readonly net_amount: Minor;
  readonly total_discount: Minor;
  /** Set by the discount engine when it discounted any line (Dintero `is_changed`). */
  readonly is_changed?: boolean;
};

export type SaleKind = 'sale' | 'void' | 'refund';
