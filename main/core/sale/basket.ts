import { because } from '../error-reasons';
import { TillError } from '../errors';
import { type Minor, sum, ZERO } from '../money';
import { type LineInput, makeLine } from './lines';
import type { SaleItem, SaleReceipt } from './model';

/**
 * The basket being built at the till: an immutable value, so the API can hand the renderer a snapshot and
 * a failed step leaves the previous basket as it was.
 */
export type Basket = {
  readonly items: readonly SaleItem[];
  readonly nextLineId: number;
  readonly customerId?: string;
  readonly memberId?: string;
};

export const EMPTY_BASKET: Basket = { items: [], nextLineId: 1 };

/** Adds a line, or adds to the quantity of the last line of the same piece item at the same price. */
export function addToBasket(basket: Basket, input: LineInput): Basket {
  const last = basket.items.at(-1);
  if (last && input.item.unit === 'piece' && input.price === undefined && last.id === input.item.id && last.unit === 'piece' && last.discount_lines.length === 0) {
    const merged = makeLine(last.line_id, { ...input, quantity: last.quantity_milli / 1000 + (input.quantity ?? 1) });
    return { ...basket, items: [...basket.items.slice(0, -1), merged] };
  }
  const line = makeLine(basket.nextLineId, input);
  return { ...basket, items: [...basket.items, line], nextLineId: basket.nextLineId + 1 };
}

export function setLineQuantity(basket: Basket, lineId: number, quantity: number): Basket {
  const index = basket.items.findIndex((l) => l.line_id === lineId);
  const line = basket.items[index];
  if (!line) throw new TillError('NOT_FOUND', `There is no line ${lineId} in the basket.`, because('basket.no-line', { line: lineId }));
  if (line.unit !== 'piece') throw new TillError('CONFLICT', `${line.description} is sold by weight; weigh it again instead.`, because('item.weigh-again', { item: line.description }));
  const next = makeLine(lineId, {
    item: { id: line.id, codes: [], name: line.description, groups: line.groups, unitPrice: line.unit_gross_price, vatRateBp: Math.round(line.tax_percent * 100), unit: 'piece', eligibleForDiscount: line.eligible_for_discount },
    quantity,
  });
  const items = [...basket.items];
  items[index] = line.barcode === undefined ? next : { ...next, barcode: line.barcode };
  return { ...basket, items };
}

export function removeLine(basket: Basket, lineId: number): Basket {
  if (!basket.items.some((l) => l.line_id === lineId)) throw new TillError('NOT_FOUND', `There is no line ${lineId} in the basket.`, because('basket.no-line', { line: lineId }));
  // Line ids are never reused within a sale, so a discount line cannot point at the wrong item.
  return { ...basket, items: basket.items.filter((l) => l.line_id !== lineId) };
}

export function identifyCustomer(basket: Basket, ids: { customerId?: string; memberId?: string }): Basket {
  const { customerId: _c, memberId: _m, ...rest } = basket;
  return { ...rest, ...(ids.customerId ? { customerId: ids.customerId } : {}), ...(ids.memberId ? { memberId: ids.memberId } : {}) };
}

export type ReceiptContext = { readonly receiptId: string; readonly purchaseAt: string; readonly storeId: string; readonly currency: string };

/** The basket as an undiscounted Dintero receipt, ready for `evaluate`. */
export function basketReceipt(basket: Basket, ctx: ReceiptContext): SaleReceipt {
  const gross: Minor = sum(basket.items.map((i) => i.gross_amount));
  return {
    receipt_id: ctx.receiptId,
    purchase_at: ctx.purchaseAt,
    store: { id: ctx.storeId },
    currency: ctx.currency,
    ...(basket.customerId ? { customer_id: basket.customerId } : {}),
    items: basket.items.map((i) => ({ ...i, net_amount: i.gross_amount, discount_lines: [] })),
    discounts: [],
    gross_amount: gross,
    net_amount: gross,
    total_discount: ZERO,
  };
}
