import type { SaleView } from '../../main/api/contract';
import type { CashierAction } from './shortcuts';

/** Why an action cannot be done now; the screen words it (i18n `unavailable`) on the disabled button and in the notice. */
export type Unavailable = 'checks-pending' | 'no-shift' | 'empty-basket' | 'nothing-due' | 'no-line' | 'nothing-to-approve' | 'no-help' | 'no-receipt';

export type AvailabilityContext = {
  readonly sale: Pick<SaleView, 'lines' | 'tenders' | 'remaining' | 'checks' | 'shift' | 'help' | 'lastReceipt'> & { readonly cashDue?: number };
  readonly selected: number | undefined;
};

/**
 * What stops an action now, or undefined when it can be done. Disabled buttons and refused keys give the same
 * reason, so the cashier never presses Cash to be refused by the agent afterwards (an ID check pending).
 */
export function unavailable(action: CashierAction, ctx: AvailabilityContext): Unavailable | undefined {
  const { sale } = ctx;
  switch (action) {
    case 'cash':
    case 'card':
    case 'giftCard':
    case 'points':
      if (sale.lines.length === 0) return 'empty-basket';
      if (sale.checks.pending.length > 0) return 'checks-pending';
      if (sale.shift.shift === null) return 'no-shift';
      // Cash may still be due when the rest is not: cash held short of the rounded cash part (docs/ledger.md).
      if (sale.remaining <= 0 && (action !== 'cash' || (sale.cashDue ?? 0) <= 0)) return 'nothing-due';
      return undefined;
    case 'quantity':
    case 'voidLine':
      return ctx.selected !== undefined && sale.lines.some((l) => l.lineId === ctx.selected) ? undefined : 'no-line';
    case 'suspend':
    case 'why':
      return sale.lines.length === 0 ? 'empty-basket' : undefined;
    case 'cancelSale':
      return sale.lines.length === 0 && sale.tenders.length === 0 ? 'empty-basket' : undefined;
    case 'approve':
      if (sale.checks.pending.length === 0) return 'nothing-to-approve';
      return sale.shift.shift === null ? 'no-shift' : undefined;
    case 'helpDone':
      return sale.help === null ? 'no-help' : undefined;
    case 'reprint':
      return sale.lastReceipt === null ? 'no-receipt' : undefined;
    case 'provisional':
      if (sale.lines.length === 0) return 'empty-basket';
      return sale.shift.shift === null ? 'no-shift' : undefined;
    case 'priceCheck':
    case 'search':
    case 'customer':
    case 'resume':
    case 'lineUp':
    case 'lineDown':
    case 'close':
      return undefined;
  }
}
