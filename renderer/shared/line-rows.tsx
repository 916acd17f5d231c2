import { formatQuantity } from './money';

/** What a basket line and a receipt line have in common on screen. */
export type LineLike = {
  readonly quantity: number;
  readonly unit: 'piece' | 'weight';
  readonly description: string;
  readonly gross: number;
  readonly discounts: readonly { readonly text: string; readonly amount: number }[];
};

/** One line with its discounts under it, the way the receipt prints it: "2 × Milk 1 l", then "Dairy 10% off −2.39". */
export function LineRows(props: { line: LineLike; money: (minor: number) => string; locale: string }): preact.JSX.Element {
  const { line: l, money, locale } = props;
  return (
    <>
      <div class="row">
        <span>
          {l.quantity !== 1 || l.unit === 'weight' ? `${formatQuantity(l.quantity, l.unit, locale)} × ` : ''}
          {l.description}
        </span>
        <span>{money(l.gross)}</span>
      </div>
      {l.discounts.map((d, i) => (
        <div class="row discount" key={i}>
          <span>{d.text}</span>
          <span>−{money(d.amount)}</span>
        </div>
      ))}
    </>
  );
}
