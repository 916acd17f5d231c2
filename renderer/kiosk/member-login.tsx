import { useState } from 'preact/hooks';
import type { SaleView, TillBridge } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';
import { Keypad } from './keypad';
import { wordError, type WordingContext } from '../shared/i18n-errors';

type Props = { t: Messages; wording: WordingContext; bridge: TillBridge; onSale: (view: SaleView) => void; onClose: () => void; onActivity: () => void };

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '+', '0'] as const;

/**
 * The kiosk's member login: the membership number (the short code on the card) or the phone number, typed on an
 * on-screen keypad with large targets; no physical keyboard is needed. The same API as the cashier's customer
 * dialog: the agent looks the member up online, or in its cache offline. Scanning the member's QR works too,
 * anywhere on the kiosk screen.
 */
export function MemberLogin(props: Props): preact.JSX.Element {
  const { t } = props;
  const [by, setBy] = useState<'number' | 'phone'>('number');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const press = (k: string): void => {
    props.onActivity();
    setError(undefined);
    // A leading + only makes sense for a phone number, and only first.
    if (k === '+' && (by !== 'phone' || value !== '')) return;
    setValue((v) => (v.length >= 20 ? v : v + k));
  };
  const submit = (): void => {
    props.onActivity();
    if (value === '') return setError(by === 'number' ? t.byMemberNumber : t.byPhone);
    setBusy(true);
    props.bridge
      .identifyCustomer(by === 'number' ? { memberNumber: value } : { phone: value })
      .then((view) => {
        props.onSale(view);
        props.onClose();
      })
      .catch((err: unknown) => setError(wordError(err, props.wording)))
      .finally(() => setBusy(false));
  };
  return (
    <div class="dialog-backdrop">
      <div class="dialog kiosk-login" role="dialog" aria-modal="true" aria-labelledby="kiosk-login-title" data-testid="kiosk-member-login">
        <h2 id="kiosk-login-title">{t.kioskMemberTitle}</h2>
        <p>{t.kioskMemberHint}</p>
        <div class="segmented" role="group" aria-label={t.identifyBy}>
          <button type="button" class="big" data-testid="kiosk-by-number" aria-pressed={by === 'number'} onClick={() => (setBy('number'), setValue(''))}>
            {t.byMemberNumber}
          </button>
          <button type="button" class="big" data-testid="kiosk-by-phone" aria-pressed={by === 'phone'} onClick={() => (setBy('phone'), setValue(''))}>
            {t.byPhone}
          </button>
        </div>
        <output class="kiosk-entry" data-testid="kiosk-member-entry" aria-live="polite" aria-label={by === 'number' ? t.byMemberNumber : t.byPhone}>
          {value || '\u00a0'}
        </output>
        <Keypad
          keys={KEYS}
          label={t.kioskKeypad}
          backLabel={t.kioskBackspace}
          onKey={press}
          onBack={() => (props.onActivity(), setValue((v) => v.slice(0, -1)))}
          disabled={(k) => k === '+' && by !== 'phone'}
        />
        {error ? (
          <p class="error" role="alert" data-testid="kiosk-member-error">
            {error}
          </p>
        ) : null}
        <div class="dialog-buttons">
          <button type="button" class="big" onClick={props.onClose}>
            {t.kioskCancel}
          </button>
          <button type="button" class="big" onClick={() => (props.onActivity(), setValue(''))}>
            {t.kioskClear}
          </button>
          <button type="button" class="big primary" data-testid="kiosk-member-submit" onClick={submit} disabled={busy} aria-busy={busy}>
            {t.kioskLogIn}
          </button>
        </div>
      </div>
    </div>
  );
}
