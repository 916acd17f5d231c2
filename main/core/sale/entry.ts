import type { Minor } from '../money';
import type { Approval } from './approvals';
import type { SaleKind, SaleReceipt } from './model';
import type { SettledTender } from './tenders';
import type { Totals } from './totals';

export type EntryTender = SettledTender & {
  /** Value taken offline that the back end may still refuse (0 when online or not a value tender). */
  readonly amountAtRisk: Minor;
};

/**
 * One ledger entry as committed: a sale, or a void or refund of one. This document is stored whole (its
 * SHA-256 goes into the journal), printed, and is the source of every outbox payload. Void and refund
 * amounts are negative.
 */
export type SaleEntry = {
  readonly kind: SaleKind;
  readonly receiptId: string;
  readonly saleNo: number;
  /** The receipt id of the sale a void or refund refers to. */
  readonly refersTo?: string;
  readonly branchId: string;
  readonly posId: string;
  readonly operatorId: string;
  readonly customerId?: string;
  readonly memberId?: string;
  readonly currency: string;
  readonly purchaseAt: string;
  readonly ruleSetVersion: string;
  readonly receipt: SaleReceipt;
  readonly totals: Totals;
  readonly tenders: readonly EntryTender[];
  readonly tendered: Minor;
  readonly change: Minor;
  /**
   * The cash rounding (docs/ledger.md, "Cash rounding"), signed, absent when 0: cash moved in the entry's direction
   * beyond the cash tenders' `applied` (a sale: the customer paid more; a void or refund: the till paid back more).
   * The drawer's cash for this entry is the cash applied plus the rounding.
   */
  readonly rounding?: Minor;
  readonly reason?: string;
  /** Age and weight checks staff or the cashier approved for this sale (docs/screens.md). */
  readonly approvals?: readonly Approval[];
};
