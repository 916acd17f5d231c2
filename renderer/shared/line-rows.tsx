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

/**
 * Whether a line looks the same on screen. Every agent event carries a freshly parsed basket, so object identity
 * says nothing; a 100-line basket re-rendered in full on every scan is most of the scan-to-paint time, so rows
 * compare what they show and skip the render when it did not change.
 */
export function sameLine(a: SaleLineLike, b: SaleLineLike): boolean {
  if (a === b) return true;
  if (a.lineId !== b.lineId || a.quantity !== b.quantity || a.unit !== b.unit || a.description !== b.description || a.gross !== b.gross || a.unitPrice !== b.unitPrice) return false;
  if (a.discounts.length !== b.discounts.length) return false;
  return a.discounts.every((d, i) => {
    const e = b.discounts[i];
    return e !== undefined && d.text === e.text && d.amount === e.amount && d.ruleId === e.ruleId;
  });
}

export type SaleLineLike = Omit<LineLike, 'discounts'> & { readonly lineId: number; readonly unitPrice: number; readonly discounts: readonly { readonly ruleId: string; readonly text: string; readonly amount: number }[] };
