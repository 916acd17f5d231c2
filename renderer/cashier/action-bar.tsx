import type { SaleView } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';
import { unavailable } from './availability';
import { ariaKeys, type CashierAction, SHORTCUTS } from './shortcuts';

const ACTION_LABEL: Record<(typeof SHORTCUTS)[number]['action'], (t: Messages) => string> = {
  quantity: (t) => t.quantity,
  priceCheck: (t) => t.priceCheck,
  search: (t) => t.search,
  customer: (t) => t.identify,
  why: (t) => t.why,
  suspend: (t) => t.suspend,
  resume: (t) => t.resume,
  cash: (t) => t.cash,
  card: (t) => t.card,
  giftCard: (t) => t.giftCard,
  points: (t) => t.points,
  reprint: (t) => t.reprint,
  provisional: (t) => t.fiscal.provisional,
  voidLine: (t) => t.voidLine,
  cancelSale: (t) => t.cancelSale,
  approve: (t) => t.checkIdDone,
  helpDone: (t) => t.helpDone,
  lineUp: () => '',
  lineDown: () => '',
  close: (t) => t.close,
};

const PAYMENTS: readonly CashierAction[] = ['cash', 'card', 'giftCard', 'points'];

/**
 * Every action as a button with its key. What cannot be done now is disabled, with the reason as its title and,
 * for payments held by an ID check, written out beside the bar (the cashier must see why Cash does nothing).
 */
export function ActionBar(props: { sale: SaleView; selected: number | undefined; t: Messages; run: (action: CashierAction) => void }): preact.JSX.Element {
  const { t } = props;
  const ctx = { sale: props.sale, selected: props.selected };
  const paymentBlock = unavailable('cash', ctx);
  return (
    <nav class="actions" aria-label={t.shortcuts} data-testid="action-bar">
      {SHORTCUTS.map((s) => {
        const reason = unavailable(s.action, ctx);
        return (
          <button
            type="button"
            key={s.action}
            data-testid={`action-${s.action}`}
            aria-keyshortcuts={ariaKeys(s.action)}
            disabled={reason !== undefined}
            title={reason === undefined ? undefined : t.sale.unavailable[reason]}
            class={s.action === 'voidLine' || s.action === 'cancelSale' ? 'danger-outline' : undefined}
            onClick={() => props.run(s.action)}
          >
            <kbd>{s.label}</kbd> {ACTION_LABEL[s.action](t)}
          </button>
        );
      })}
      {paymentBlock === 'checks-pending' || paymentBlock === 'no-shift' ? (
        <p class="blocked-hint" data-testid="payments-blocked">
          {PAYMENTS.map((a) => ACTION_LABEL[a](t)).join(', ')}: {t.sale.unavailable[paymentBlock]}
        </p>
      ) : null}
    </nav>
  );
}
