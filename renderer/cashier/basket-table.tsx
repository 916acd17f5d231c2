import type { SaleLine } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';
import { formatMoney, formatQuantity } from '../shared/money';

type Props = { lines: readonly SaleLine[]; selected: number | undefined; currency: string; locale: string; t: Messages; onSelect(lineId: number): void };

/** The basket: one row per line, and each discount in its own row under the line it applies to. */
export function BasketTable(props: Props): preact.JSX.Element {
  const { lines, currency, locale, t } = props;
  const money = (n: number): string => formatMoney(n, currency, locale);
  if (lines.length === 0) return <p class="empty" data-testid="basket-empty">{t.emptyBasket}</p>;
  return (
    <table class="basket" data-testid="basket">
      <caption class="sr-only">{t.basket}</caption>
      <thead>
        <tr>
          <th scope="col">{t.colItem}</th>
          <th scope="col" class="num">{t.colQty}</th>
          <th scope="col" class="num">{t.colUnitPrice}</th>
          <th scope="col" class="num">{t.colAmount}</th>
        </tr>
      </thead>
      {lines.map((l) => {
        const selected = l.lineId === props.selected;
        return (
          <tbody key={l.lineId} class={selected ? 'selected' : undefined} data-testid="basket-line" data-line-id={l.lineId} aria-current={selected ? "true" : undefined} onClick={() => props.onSelect(l.lineId)}>
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
      })}
    </table>
  );
}
