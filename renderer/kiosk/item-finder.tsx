import { useEffect, useState } from 'preact/hooks';
import type { ItemView, SaleView, TillBridge } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';
import { Keypad } from './keypad';

type Props = {
  t: Messages;
  bridge: TillBridge;
  locale: string;
  money: (minor: number) => string;
  onSale: (view: SaleView) => void;
  onClose: () => void;
  onActivity: () => void;
};

const LATIN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

/** The letters of the customer's language, so "Øl" or "Ñame" can be typed without a physical keyboard. */
export function lettersFor(locale: string): readonly string[] {
  const language = locale.toLowerCase().split('-')[0];
  if (language === 'nb' || language === 'no' || language === 'nn' || language === 'da') return [...LATIN, 'Æ', 'Ø', 'Å'];
  if (language === 'sv') return [...LATIN, 'Å', 'Ä', 'Ö'];
  if (language === 'es') return [...LATIN, 'Ñ'];
  return LATIN;
}

/**
 * Items without a barcode (loose bread, fruit by the piece): the customer types the first letters of the name on
 * an on-screen letter pad and taps the item. The same catalogue search as the cashier's (`searchItems`); items
 * sold by weight are shown but cannot be added here, since a kiosk without a scale cannot weigh them.
 */
export function ItemFinder(props: Props): preact.JSX.Element {
  const { t } = props;
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<readonly ItemView[]>([]);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    if (query === '') return setItems([]);
    let current = true;
    props.bridge
      .searchItems({ query, limit: 8 })
      .then((r) => current && setItems(r.items))
      .catch(() => current && setError(t.noticeFailed));
    return () => {
      current = false;
    };
  }, [query]);

  const add = (item: ItemView): void => {
    props.onActivity();
    props.bridge
      .addItem({ itemId: item.itemId })
      .then((view) => {
        props.onSale(view);
        props.onClose();
      })
      .catch(() => setError(t.noticeFailed));
  };

  return (
    <div class="dialog-backdrop">
      <div class="dialog kiosk-finder" role="dialog" aria-modal="true" aria-labelledby="kiosk-finder-title" data-testid="kiosk-item-finder">
        <h2 id="kiosk-finder-title">{t.kioskFindItem}</h2>
        <p>{t.kioskFindHint}</p>
        <output class="kiosk-entry" data-testid="kiosk-finder-query" aria-live="polite" aria-label={t.kioskFindItem}>
          {query || '\u00a0'}
        </output>
        <ul class="kiosk-found" aria-live="polite">
          {items.map((item) => (
            <li key={item.itemId}>
              <button type="button" class="big" data-testid="kiosk-found-item" disabled={item.unit === 'weight'} onClick={() => add(item)}>
                <span>{item.name}</span>
                <span>{item.unit === 'weight' ? t.kioskLockedWeight : props.money(item.unitPrice)}</span>
              </button>
            </li>
          ))}
          {query !== '' && items.length === 0 ? <li class="muted">{t.kioskNothingFound}</li> : null}
        </ul>
        <Keypad
          keys={lettersFor(props.locale)}
          label={t.kioskLetters}
          backLabel={t.kioskDeleteLetter}
          onKey={(k) => (props.onActivity(), setError(undefined), setQuery((q) => (q.length >= 30 ? q : q + k.toLowerCase())))}
          onBack={() => (props.onActivity(), setQuery((q) => q.slice(0, -1)))}
        />
        {error ? (
          <p class="error" role="alert" data-testid="kiosk-finder-error">
            {error}
          </p>
        ) : null}
        <div class="dialog-buttons">
          <button type="button" class="big" onClick={props.onClose}>
            {t.kioskCancel}
          </button>
        </div>
      </div>
    </div>
  );
}
