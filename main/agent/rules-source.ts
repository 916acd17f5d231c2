import { buildIndex, parseRules, type RuleIndex } from '../core/discounts';
import type { Logger } from '../log';
import type { ReadableDb } from '../store';
import { cachedRulesWithRefs, discountRefsVersion } from '../store/discount-refs';
import { getRulesCacheMeta } from '../store/rules-cache';

export type PricingRules = { readonly version: string; readonly index: RuleIndex };

/** With nothing cached yet the till still sells, at list prices; every sale records this version. */
export const NO_RULES_VERSION = 'none';

const EMPTY: PricingRules = { version: NO_RULES_VERSION, index: buildIndex([]) };

/**
 * The discount rules the basket is priced with: the cached set (filled by the rules pull) with the refs Dintero
 * issued as their grants, indexed once per version of either. Reading only the cache's meta row on each price keeps a scan cheap; the bodies are parsed again
 * only when the version moves.
 */
export class RulesSource {
  private current: PricingRules = EMPTY;
  private fetchedAt: number | undefined;
  private refsVersion: number | undefined;

  constructor(private readonly logger: () => Logger) {}

  rules(db: ReadableDb): PricingRules {
    const meta = getRulesCacheMeta(db);
    if (!meta) return EMPTY;
    const refsVersion = discountRefsVersion(db);
    if (meta.version === this.current.version && meta.fetchedAt === this.fetchedAt && refsVersion === this.refsVersion) return this.current;
    // Who holds each rule comes only from the refs Dintero issued (public and per customer, main/store/discount-refs.ts):
    // a grant the till has no server ref for is not a grant, so nothing is ever claimed with an invented ref.
    const parsed = parseRules(cachedRulesWithRefs(db));
    if (parsed.rejected.length > 0) {
      // A rule the engine cannot read is skipped, not fatal: the rest of the set still prices the basket.
      this.logger().warn({ version: meta.version, rejected: parsed.rejected.map((r) => ({ id: r.id, path: r.path, message: r.message })) }, 'cached discount rules were rejected');
    }
    this.current = { version: meta.version, index: buildIndex(parsed.rules) };
    this.fetchedAt = meta.fetchedAt;
    this.refsVersion = refsVersion;
    return this.current;
  }
}
