import { useEffect, useState } from 'preact/hooks';
import type { ReceiptDocumentView, ReceiptLayoutView, TillBridge } from '../../main/api/contract';
import type { Messages } from './i18n';
import { wordError } from './i18n-errors';

/**
 * The committed receipt as the printer prints it: the agent lays it out with the printer's own layout (store
 * header, VAT table, change, COPY, VOID) and the screen draws those lines in a monospace box, so screen and paper
 * cannot differ. Blocks (QR code, barcode, logo) are shown as their placeholder text.
 */
export function ReceiptPreview(props: { receipt: ReceiptDocumentView; bridge: Pick<TillBridge, 'receiptLayout'>; t: Messages; locale: string; drawer: boolean }): preact.JSX.Element {
  const { receipt: r, t } = props;
  const copy = r.copy === true;
  const [layout, setLayout] = useState<{ key: string; view: ReceiptLayoutView } | undefined>(undefined);
  const [failed, setFailed] = useState<string | undefined>(undefined);
  const key = `${r.receiptId}|${copy}`;
  useEffect(() => {
    let current = true;
    setFailed(undefined);
    props.bridge
      .receiptLayout({ receiptId: r.receiptId, copy })
      .then((view) => current && setLayout({ key, view }))
      .catch((err: unknown) => current && setFailed(wordError(err, { locale: props.locale, currency: r.currency })));
    return () => {
      current = false;
    };
  }, [key]);
  const view = layout?.key === key ? layout.view : undefined;
  return (
    <section class="receipt" aria-label={t.receipt} data-testid="receipt-preview" aria-busy={view === undefined && failed === undefined ? 'true' : undefined}>
      <header class="receipt-caption muted small">
        {r.kind === 'void' ? `${t.sale.voidReceipt} · ` : r.kind === 'refund' ? `${t.sale.refund} · ` : ''}
        {t.receipt} <span data-testid="receipt-id">{r.receiptId}</span>
        {copy ? ` · ${t.receiptCopy}` : ''}
      </header>
      {failed ? (
        <p class="error" role="alert">
          {t.noticeFailed}: {failed}
        </p>
      ) : null}
      {view ? (
        <div class={`paper cols-${view.columns}`} data-testid="receipt-paper">
          {view.lines.map((l, i) => (
            <div key={i} class={`paper-line${l.bold ? ' bold' : ''}${l.double ? ' double' : ''}${l.kind === 'text' ? '' : ' block'}`}>
              {l.text === '' ? '\u00a0' : l.text}
            </div>
          ))}
        </div>
      ) : null}
      {r.openDrawer && props.drawer ? <p class="muted">{t.drawerOpen}</p> : null}
    </section>
  );
}
