import { useState } from 'preact/hooks';
import type { SaleView, TillBridge } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';
import type { WordingContext } from '../shared/i18n-errors';
import { Keypad } from './keypad';
import { noticeText } from './notice-text';

type Props = { t: Messages; wording: WordingContext; bridge: TillBridge; onSale: (view: SaleView) => void; onClose: () => void; onActivity: () => void };

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

/**
 * For a barcode the scanner cannot read (creased, wet, badly printed): the customer types the digits under it
 * on the keypad. The code goes the way a scan goes (`scan`), so the same checks and refusals apply; a refusal
 * stays in the dialog, where the customer is looking, instead of on the basket behind it.
 */
export function CodeEntry(props: Props): preact.JSX.Element {
  const { t } = props;
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = (): void => {
    props.onActivity();
    if (value === '') return;
    setBusy(true);
    props.bridge
      .scan({ code: value })
      .then((r) => {
        props.onSale(r.sale);
        if (r.ok) props.onClose();
        else setError(noticeText(r.notice, t, props.wording));
      })
      .catch(() => setError(t.noticeFailed))
      .finally(() => setBusy(false));
  };
  return (
    <div class="dialog-backdrop">
      <div class="dialog kiosk-login" role="dialog" aria-modal="true" aria-labelledby="kiosk-code-title" data-testid="kiosk-code-entry">
        <h2 id="kiosk-code-title">{t.kioskTypeCode}</h2>
        <p>{t.kioskTypeCodeHint}</p>
        <output class="kiosk-entry" data-testid="kiosk-code-value" aria-live="polite" aria-label={t.kioskTypeCode}>
          {value || '\u00a0'}
        </output>
        <Keypad
          keys={DIGITS}
          label={t.kioskKeypad}
          backLabel={t.kioskBackspace}
          onKey={(k) => (props.onActivity(), setError(undefined), setValue((v) => (v.length >= 20 ? v : v + k)))}
          onBack={() => (props.onActivity(), setValue((v) => v.slice(0, -1)))}
        />
        {error ? (
          <p class="error" role="alert" data-testid="kiosk-code-error">
            {error}
          </p>
        ) : null}
        <div class="dialog-buttons">
          <button type="button" class="big" onClick={props.onClose}>
            {t.kioskCancel}
          </button>
          <button type="button" class="big primary" data-testid="kiosk-code-submit" onClick={submit} disabled={busy || value === ''} aria-busy={busy}>
            {t.kioskAdd}
          </button>
        </div>
      </div>
    </div>
  );
}
