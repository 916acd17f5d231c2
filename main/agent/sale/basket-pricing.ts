import { buildIndex, type CustomerState, type RuleOutcome } from '../../core/discounts';
import { type Basket, priceBasket, type SaleReceipt } from '../../core/sale';
import type { Logger } from '../../log';
import type { WritableDb } from '../../store';
import { ledgerVersion, localDiscountUsage } from '../../store/discount-usage';
import { holderFetchedAt } from '../../store/discount-refs';
import { storeIdOf, type TillIdentity } from '../../store/ledger';
import { NO_RULES_VERSION, type PricingRules, RulesSource } from '../rules-source';

export type Priced = { readonly receipt: SaleReceipt; readonly outcomes: readonly RuleOutcome[]; readonly ruleSetVersion: string };

/**
 * The basket priced with the cached rules and the customer's earlier uses at this till (core priceBasket),
 * kept until the basket changes: a view asks for it on every publish.
 */
export class BasketPricing {
  private priced: Priced | undefined;
  private usage: { readonly customerId: string; readonly version: number; readonly state: CustomerState } | undefined;
  private readonly rulesSource: RulesSource;

  constructor(
    private readonly deps: { readonly till: TillIdentity; db(): WritableDb; logger(): Logger },
  ) {
    this.rulesSource = new RulesSource(() => deps.logger());
  }

  /** The basket changed (or the rules may have): price it again next time. */
  invalidate(): void {
    this.priced = undefined;
  }

  price(basket: Basket, at: Date): Priced {
    if (this.priced) return this.priced;
    let rules: PricingRules;
    try {
      rules = this.rulesSource.rules(this.deps.db());
    } catch (err) {
      // An unreadable cache must not stop the till: sell at list prices and say so in the log.
      this.deps.logger().error({ err }, 'the discount rule cache could not be read; pricing without discounts');
      rules = { version: NO_RULES_VERSION, index: buildIndex([]) };
    }
    const state = basket.customerId === undefined || basket.items.length === 0 || rules.index.all.length === 0 ? undefined : this.stateOf(basket.customerId);
    const { till } = this.deps;
    const context = { receiptId: 'draft', purchaseAt: at.toISOString(), storeId: storeIdOf(till), currency: till.currency };
    this.priced = { ...priceBasket(basket, context, rules.index, { state }), ruleSetVersion: rules.version };
    return this.priced;
  }

  /**
   * What the engine knows of the customer: the uses at this till, and whether the till ever fetched the customer's
   * refs from Dintero. Without them a customer discount is not given (no ref to claim), and the "why" says so.
   */
  private stateOf(customerId: string): CustomerState | undefined {
    const usage = this.usageOf(customerId);
    let known = true;
    try {
      known = holderFetchedAt(this.deps.db(), customerId) !== undefined;
    } catch (err) {
      this.deps.logger().error({ err }, "the customer's discount refs could not be read; pricing as if they were known");
    }
    if (known) return usage;
    return { ...(usage ?? { refs: [] }), customer_id: customerId, refs_unknown: true };
  }

  /** The customer's discount uses committed at this till, read again only when the ledger has changed. */
  private usageOf(customerId: string): CustomerState | undefined {
    const db = this.deps.db();
    try {
      const version = ledgerVersion(db);
      const cached = this.usage;
      if (cached?.customerId === customerId && cached.version === version) return cached.state;
      const state = localDiscountUsage(db, customerId);
      this.usage = { customerId, version, state };
      return state;
    } catch (err) {
      // Without the count the back end still refuses a used-up claim; the sale itself must not stop.
      this.deps.logger().error({ err }, "the customer's earlier discount uses could not be read; pricing without them");
      return undefined;
    }
  }
}
