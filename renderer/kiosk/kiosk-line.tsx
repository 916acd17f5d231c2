import { useState } from 'preact/hooks';
import type { SaleLine, SaleView, TillBridge } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';
import { LineRows } from '../shared/line-rows';

type Props = {
  line: SaleLine;
  t: Messages;
  bridge: TillBridge;
  money: (minor: number) => string;
  locale: string;
  /** While the card terminal is taking the payment, the basket cannot change. */
  disabled: boolean;
  onSale: (view: SaleView) => void;
  onActivity: () => void;
};

/**
 * One line of the kiosk's basket, with what a customer may do to it: one more or one fewer of a counted item,
 * and remove it, which asks first (a mis-tap must not silently drop an item). Weighed items are removed, not
 * counted. The agent decides; a refusal (a payment already taken) comes back as the basket's notice.
 */
export function KioskLine(props: Props): preact.JSX.Element {
  const { line, t } = props;
  const [confirming, setConfirming] = useState(false);
  const apply = (call: Promise<SaleView>): void => {
    props.onActivity();
    void call.then(props.onSale, () => undefined);
  };
  const item = line.description;
  const counted = line.unit === 'piece';
  return (
    <li data-testid="kiosk-line">
      <LineRows line={line} money={props.money} locale={props.locale} />
      <div class="kiosk-line-actions">
        {counted ? (
          <>
            <button
              type="button"
              class="big"
              data-testid="kiosk-line-less"
              aria-label={t.kioskOneFewer.replace('{item}', item)}
              disabled={props.disabled}
              onClick={() => (line.quantity > 1 ? apply(props.bridge.setQuantity({ lineId: line.lineId, quantity: line.quantity - 1 })) : (props.onActivity(), setConfirming(true)))}
            >
              −
            </button>
            <button
              type="button"
              class="big"
              data-testid="kiosk-line-more"
              aria-label={t.kioskOneMore.replace('{item}', item)}
              disabled={props.disabled || line.quantity >= 9999}
              onClick={() => apply(props.bridge.setQuantity({ lineId: line.lineId, quantity: line.quantity + 1 }))}
            >
              +
            </button>
          </>
        ) : null}
        <button type="button" class="big" data-testid="kiosk-line-remove" aria-label={t.kioskRemoveItem.replace('{item}', item)} disabled={props.disabled} onClick={() => (props.onActivity(), setConfirming(true))}>
          {t.kioskRemove}
        </button>
      </div>
      {confirming ? (
        <div class="dialog-backdrop">
          <div class="dialog confirm kiosk-confirm" role="alertdialog" aria-modal="true" aria-labelledby={`kiosk-remove-${line.lineId}`} data-testid="kiosk-remove-confirm">
            <h2 id={`kiosk-remove-${line.lineId}`}>{t.kioskRemoveConfirm.replace('{item}', item)}</h2>
            <div class="dialog-buttons">
              <button type="button" class="big" data-testid="kiosk-remove-keep" onClick={() => (props.onActivity(), setConfirming(false))}>
                {t.kioskKeep}
              </button>
              <button
                type="button"
                class="big primary"
                data-testid="kiosk-remove-yes"
                onClick={() => {
                  setConfirming(false);
                  apply(props.bridge.voidLine({ lineId: line.lineId }));
                }}
              >
                {t.kioskRemove}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </li>
  );
}
