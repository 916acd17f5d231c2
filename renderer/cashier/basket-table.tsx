import { Component } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { SaleLine } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';
import { sameLine } from '../shared/line-rows';
import { formatMoney, formatQuantity } from '../shared/money';

type Props = { lines: readonly SaleLine[]; selected: number | undefined; currency: string; locale: string; t: Messages; onSelect: (lineId: number) => void };
type RowProps = { line: SaleLine; selected: boolean; currency: string; locale: string; t: Messages; onSelect: (lineId: number) => void };

/**
 * One line and its discount rows. Re-rendered only when what it shows changes (`sameLine`) or it is selected or
 * unselected: a scan then renders the new line and the one whose selection moved, not the whole basket.
 */
class BasketRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    const p = this.props;
    return next.selected !== p.selected || next.currency !== p.currency || next.locale !== p.locale || next.t !== p.t || !sameLine(next.line, p.line);
  }

  override render(): preact.JSX.Element {
    const { line: l, selected, currency, locale, t } = this.props;
    const money = (n: number): string => formatMoney(n, currency, locale);
    return (
      <tbody class={selected ? 'selected' : undefined} data-testid="basket-line" data-line-id={l.lineId} aria-current={selected ? 'true' : undefined} onClick={() => this.props.onSelect(l.lineId)}>
        <tr class="line">
          <td>{l.description}</td>
          <td class="num" data-testid="line-qty">{formatQuantity(l.quantity, l.unit, locale)}</td>
          <td class="num">
            {money(l.unitPrice)}
            {l.unit === 'weight' ? ` ${t.perKg}` : ''}
          </td>
          <td class="num" data-testid="line-amount">{money(l.gross)}</td>
        </tr>
        {l.discounts.map((d, i) => (
          <tr class="line-discount" key={`${d.ruleId}-${i}`} data-testid="line-discount">
            <td colSpan={3}>↳ {d.text}</td>
            <td class="num">−{money(d.amount)}</td>
          </tr>
        ))}
      </tbody>
    );
  }
}

/**
 * The basket: one row per line, and each discount in its own row under the line it applies to. It scrolls inside
 * its own box (the page never does), and keeps the selected line in view: a new line selects itself, so the box
 * follows the newest line, and the arrow keys bring any other into view.
 */
export function BasketTable(props: Props): preact.JSX.Element {
  const { lines, currency, locale, t } = props;
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.querySelector('tbody[aria-current="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [props.selected, lines]);
  return (
    // Focusable so the box can be scrolled from the keyboard too (axe: scrollable-region-focusable); the scan field
    // takes the focus back at once, and the arrow keys move the selection anyway.
    <div class="basket-scroll" ref={box} data-testid="basket-scroll" tabIndex={0} role="region" aria-label={t.basket}>
      {lines.length === 0 ? (
        <p class="empty" data-testid="basket-empty">
          {t.emptyBasket}
        </p>
      ) : (
        <table class="basket" data-testid="basket">
          <caption class="sr-only">{t.basket}</caption>
          <thead>
            <tr>
              <th scope="col">{t.colItem}</th>
              <th scope="col" class="num col-qty">
                {t.colQty}
              </th>
              <th scope="col" class="num col-money">
                {t.colUnitPrice}
              </th>
              <th scope="col" class="num col-money">
                {t.colAmount}
              </th>
            </tr>
          </thead>
          {lines.map((l) => (
            <BasketRow key={l.lineId} line={l} selected={l.lineId === props.selected} currency={currency} locale={locale} t={t} onSelect={props.onSelect} />
          ))}
        </table>
      )}
    </div>
  );
}
