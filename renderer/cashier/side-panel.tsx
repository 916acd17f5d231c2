import type { ReceiptDocumentView, SaleView, Status, TillBridge } from '../../main/api/contract';
import { balanceText, pointsText } from '../shared/balance';
import type { Messages } from '../shared/i18n';
import { formatMoney } from '../shared/money';
import { ReceiptPreview } from '../shared/receipt-preview';
import { WhyPanel } from './why-panel';

type Props = {
  status: Status;
  bridge: Pick<TillBridge, 'receiptLayout'>;
  sale: SaleView;
  t: Messages;
  /** The receipt to show (a sale just paid, or a reprinted copy), or null. */
  receipt: ReceiptDocumentView | null;
  /** The sale just paid was saved while offline: say it will be sent. */
  savedOffline: boolean;
  showWhy: boolean;
};

/**
 * The right-hand column: customer and totals at the top, never scrolled away; below them the change, the receipt
 * and the "why" panel in their own scrolling box, so opening them cannot push the total off the screen.
 */
export function SidePanel(props: Props): preact.JSX.Element {
  const { status, sale, t, receipt } = props;
  const locale = status.locale;
  const money = (n: number): string => formatMoney(n, sale.currency, locale);
  // The drawer hangs on the receipt printer: with no printer set up nothing opened it.
  const drawer = status.devices.printer.state !== 'not-configured';
  // Cash handed over on the last sale (docs/ledger.md, "Cash rounding"): shown with the change, as printed.
  const handedOver = receipt ? receipt.tenders.filter((x) => x.kind === 'cash').reduce((a, x) => a + (x.tendered ?? x.amount), 0) : 0;
  return (
    <aside class="side-panel">
      <section class="customer" aria-label={t.customer} data-testid="customer">
        <span class="muted">{t.customer}: </span>
        {sale.customer ? (
          <>
            <strong data-testid="customer-name">{sale.customer.name ?? `${t.member} ${sale.customer.maskedId}`}</strong>
            {sale.customer.points ? (
              <div class="small" data-testid="customer-points">
                {t.points}: {pointsText(sale.customer.points, money, t, locale, Date.now())}
              </div>
            ) : null}
          </>
        ) : (
          t.noCustomer
        )}
      </section>
      <section class="totals" aria-label={t.total} data-testid="totals">
        <div class="row">
          <span>{t.subtotal}</span>
          <span data-testid="total-gross">{money(sale.totals.gross)}</span>
        </div>
        <div class="row discount">
          <span>{t.discountTotal}</span>
          <span data-testid="total-discount">−{money(sale.totals.discount)}</span>
        </div>
        <div class="row grand">
          <span>{t.toPay}</span>
          <span data-testid="total-net">{money(sale.totals.net)}</span>
        </div>
        <div class="row muted small">
          <span>{t.vatIncluded}</span>
          <span>{money(sale.totals.vatTotal)}</span>
        </div>
        {sale.tenders.map((tn, i) => (
          <div class="row" key={i} data-testid="tender-line">
            <span>
              {t.tenderKinds[tn.kind] ?? tn.kind}
              {tn.reference ? ` (${tn.reference})` : ''}
              {tn.offline ? ` · ${t.offlineTender}` : ''}
              {tn.balance && tn.kind === 'gift_card' ? ` · ${t.balance} ${balanceText(tn.balance, money, t, locale, Date.now())}` : ''}
            </span>
            <span>{money(tn.amount)}</span>
          </div>
        ))}
        {sale.tenders.length > 0 ? (
          <div class="row grand-remaining">
            <span>{t.remaining}</span>
            <span data-testid="total-remaining">{money(sale.remaining)}</span>
          </div>
        ) : null}
      </section>
      <div class="side-scroll" data-testid="side-scroll" tabIndex={0} role="region" aria-label={`${t.receipt} / ${t.why}`}>
        {receipt ? (
          <>
            {receipt.change > 0 && !receipt.copy ? (
              <p class="change-due" data-testid="change-due">
                {handedOver > 0 ? <span data-testid="handed-over">{`${t.handedOver}: ${money(handedOver)} · `}</span> : null}
                {t.change}: {money(receipt.change)}
              </p>
            ) : null}
            {props.savedOffline && !receipt.copy ? (
              <p class="banner offline small-banner" role="status" data-testid="saved-offline">
                {t.sale.savedWillSend}
              </p>
            ) : null}
            <ReceiptPreview receipt={receipt} bridge={props.bridge} t={t} locale={locale} drawer={drawer} />
          </>
        ) : null}
        {props.showWhy && sale.lines.length > 0 ? <WhyPanel outcomes={sale.outcomes} ruleSetVersion={sale.ruleSetVersion} currency={sale.currency} locale={locale} t={t} /> : null}
      </div>
    </aside>
  );
}
