import type { Minor } from '../../main/core/money';

/**
 * Everything a receipt shows, already priced and totalled by the sale. The layout only arranges and formats;
 * it never computes money, so a reprint years later shows exactly what the sale recorded.
 */
export type ReceiptDocument = {
  /** The sale's receipt id, printed as text and as a QR code or barcode. */
  readonly receiptId: string;
  /** A reprint (asked for, or a retry of a receipt that may already have reached paper): shows "COPY". */
  readonly copy: boolean;
  /** The receipt's title at the top (Norwegian rules, docs/fiscal-no.md); none prints no title. */
  readonly title?: 'sale' | 'return' | 'void' | 'provisional';
  /** Made in training mode: marked at the top and the bottom. */
  readonly training?: boolean;
  readonly store: ReceiptStore;
  /** A void or refund: printed as such under the header, naming the receipt it corrects. Absent for a sale. */
  readonly correction?: ReceiptCorrection;
  /** When the sale was committed, ISO 8601 with offset; shown in the layout's time zone. */
  readonly issuedAt: string;
  /** Who served; a display name, never an e-mail or phone number. */
  readonly cashier?: string;
  readonly lines: readonly ReceiptLine[];
  readonly vat: readonly VatSummaryRow[];
  /** The amount to pay, after discounts. */
  readonly total: Minor;
  /** The sum of all discounts, as a positive amount; omitted or zero hides the "you saved" line. */
  readonly discountTotal?: Minor;
  readonly tenders: readonly ReceiptTender[];
  /** Cash rounding (the cash part rounded to the store's cash unit), signed; absent or zero hides the line. */
  readonly rounding?: Minor;
  /** Cash handed back; zero hides the line. */
  readonly change: Minor;
  readonly loyalty?: ReceiptLoyalty;
  readonly footer: readonly string[];
};

export type ReceiptCorrection = {
  readonly kind: 'void' | 'refund';
  /** The receipt id of the sale it voids or refunds. */
  readonly refersTo?: string;
};

export type ReceiptStore = {
  readonly name: string;
  readonly addressLines: readonly string[];
  /** Organisation or VAT number, printed as given. */
  readonly orgNumber?: string;
  /** VAT-registered: "MVA" follows the organisation number. */
  readonly vatRegistered?: boolean;
  /** The till's id (cash register id), printed on every receipt. */
  readonly registerId?: string;
};

export type ReceiptLine = {
  /** Whole items, or a weight such as 0.532 (kg): printed in the layout's locale. */
  readonly quantity: number;
  readonly name: string;
  /** The line's gross amount before its discounts. */
  readonly amount: Minor;
  readonly discounts: readonly ReceiptLineDiscount[];
};

export type ReceiptLineDiscount = {
  /** The discount's receipt text, e.g. "Member price -20%". */
  readonly text: string;
  /** The discount as a positive amount; printed as a deduction. */
  readonly amount: Minor;
};

export type VatSummaryRow = {
  /** The rate in percent, e.g. 25 or 15 or 12.5. */
  readonly ratePercent: number;
  readonly net: Minor;
  readonly vat: Minor;
  readonly gross: Minor;
};

export type ReceiptTender = {
  /** What the customer paid with, as shown to them: "Cash", "Card **** 1234", "Gift card". */
  readonly label: string;
  readonly amount: Minor;
};

export type ReceiptLoyalty = {
  readonly pointsEarned: number;
  readonly balance: number;
};
