import { type CustomerState, evaluate, type RuleIndex, type RuleOutcome } from '../discounts';
import { type Basket, basketReceipt, type ReceiptContext } from './basket';
import { fromEngineResult, toEngineReceipt } from './engine-receipt';
import type { SaleReceipt } from './model';
import { settleReceipt } from './totals';

export type PricedBasket = {
  /** The receipt with the discount lines the rules gave, nets and totals settled by the till. */
  readonly receipt: SaleReceipt;
  /** One per rule the engine considered: applied or why not (empty when nothing was evaluated). */
  readonly outcomes: readonly RuleOutcome[];
};

export type PricingOptions = {
  /** The customer's earlier discount uses and stamps (for repeat-usage limits), when known. */
  readonly state?: CustomerState | undefined;
};

/**
 * The one way a basket is priced, at the till (the agent) and in a scripted sale (the CLI): the basket as an
 * undiscounted Dintero receipt, evaluated against the rules, the engine's discount lines taken back onto the
 * sale's own receipt, and nets and totals recomputed. An empty basket or an empty rule set is not evaluated.
 */
export function priceBasket(basket: Basket, context: ReceiptContext, rules: RuleIndex, options: PricingOptions = {}): PricedBasket {
  const draft = basketReceipt(basket, context);
  if (draft.items.length === 0 || rules.all.length === 0) return { receipt: draft, outcomes: [] };
  const result = evaluate(toEngineReceipt(draft), rules, options.state ? { state: options.state } : {});
  return { receipt: settleReceipt(fromEngineResult(draft, result)), outcomes: result.outcomes };
}
