import type { ReceiptDocumentView } from '../../main/api/contract';
import type { Messages } from './i18n';
import { LineRows } from './line-rows';
import { formatDateTime } from './dates';
import { formatMoney } from './money';

/** The committed receipt as the printer will print it (the same document the spool gets), for the screen. */
export function ReceiptPreview(props: { receipt: ReceiptDocumentView; locale: string; timeZone: string; t: Messages; drawer: boolean }): preact.JSX.Element {
  const { receipt: r, locale, t } = props;
  const money = (n: number): string => formatMoney(n, r.currency, locale);
  const when = formatDateTime(r.purchaseAt, locale, props.timeZone);
  return (
    <section class="receipt" aria-label={t.receipt} data-testid="receipt-preview">
      <header>
        <strong>{t.receipt}</strong> <span data-testid="receipt-id">{r.receiptId}</span>
        {r.copy ? <span class="badge">{t.receiptCopy}</span> : null}
        <div class="muted">{when}</div>
      </header>
      <ul class="receipt-lines">
        {r.lines.map((l) => (
          <li key={l.lineId}>
            <LineRows line={l} money={money} locale={locale} />
          </li>
        ))}
      </ul>
      <div class="row total">
        <span>{t.total}</span>
        <span data-testid="receipt-total">{money(r.totals.net)}</span>
      </div>
      {r.vat.map((v) => (
        <div class="row muted" key={v.rateBp}>
          <span>
            {t.vat} {new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(v.rateBp / 100)} %
          </span>
          <span>{money(v.vat)}</span>
        </div>
      ))}
      {r.tenders.map((tn, i) => (
        <div class="row" key={i}>
          <span>
            {t.tenderKinds[tn.kind] ?? tn.kind}
            {tn.reference ? ` (${tn.reference})` : ''}
          </span>
          <span>{money(tn.amount)}</span>
        </div>
      ))}
      {r.change > 0 ? (
        <div class="row change">
          <span>{t.change}</span>
          <span data-testid="receipt-change">{money(r.change)}</span>
        </div>
      ) : null}
      {r.openDrawer && props.drawer ? <p class="muted">{t.drawerOpen}</p> : null}
    </section>
  );
}
