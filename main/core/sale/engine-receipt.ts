import { TillError } from '../errors';
import { minor } from '../money';
import type { EvaluationResult, Receipt, ReceiptItem } from '../discounts';
import type { DiscountLine, SaleItem, SaleReceipt } from './model';

/**
 * The one place the sale's receipt (`SaleReceipt`, typed for the ledger) meets the discount engine's input and
 * answer (`Receipt`, Dintero's loose schema). Both are the Dintero receipt; the sale's is the narrower, typed
 * one. Going in nothing is lost (every sale field is a Dintero field); coming back only what the engine adds is
 * taken: per line its discount and bonus lines and change flag, and the discounts it used.
 */
export function toEngineReceipt(receipt: SaleReceipt): Receipt {
  return {
    receipt_id: receipt.receipt_id,
    purchase_at: receipt.purchase_at,
    store: { id: receipt.store.id },
    currency: receipt.currency,
    ...(receipt.customer_id !== undefined ? { customer_id: receipt.customer_id } : {}),
    gross_amount: receipt.gross_amount,
    net_amount: receipt.net_amount,
    items: receipt.items.map(({ bonus_lines: bonus, ...item }): ReceiptItem => ({
      ...item,
      groups: item.groups.map((g) => ({ ...g })),
      discount_lines: item.discount_lines.map((d) => ({ ...d })),
      ...(bonus ? { bonus_lines: bonus.map((b) => ({ ...b })) } : {}),
    })),
    discounts: [...receipt.discounts],
  };
}

function discountLineOf(line: NonNullable<ReceiptItem['discount_lines']>[number], item: SaleItem): DiscountLine {
  if (line.amount === undefined) {
    // The engine always writes an amount; a line without one would price as zero and hide a bug.
    throw new TillError('RULE_INVALID', `The discount engine gave line ${item.line_id} (${item.description}) a discount line without an amount.`);
  }
  return { ...line, amount: minor(line.amount) };
}

/**
 * The engine's answer on the sale's own receipt: the draft's lines with the discount and bonus lines the engine
 * gave each (matched by `line_id`), and the discounts it used. Nets and totals are left to `settleReceipt`: the
 * till owns the arithmetic.
 */
export function fromEngineResult(draft: SaleReceipt, result: Pick<EvaluationResult, 'receipt' | 'discounts'>): SaleReceipt {
  const priced = new Map((result.receipt.items ?? []).map((i) => [i.line_id, i]));
  const items = draft.items.map((item): SaleItem => {
    const answer = priced.get(item.line_id);
    if (!answer) return item;
    return {
      ...item,
      discount_lines: (answer.discount_lines ?? []).map((d) => discountLineOf(d, item)),
      ...(answer.bonus_lines ? { bonus_lines: answer.bonus_lines.map((b) => ({ ...b })) } : {}),
      ...(answer.is_changed !== undefined ? { is_changed: answer.is_changed } : {}),
    };
  });
  const changed = result.receipt.is_changed;
  return {
    ...draft,
    items,
    discounts: [...draft.discounts, ...result.discounts],
    ...(changed !== undefined ? { is_changed: changed } : {}),
  };
}
