import { buildIndex, parseRules, type RuleIndex } from '../core/discounts';
import type { Logger } from '../log';
import type { ReadableDb } from '../store';
import { getRulesCacheMeta, listCachedRules } from '../store/rules-cache';

export type PricingRules = { readonly version: string; readonly index: RuleIndex };

/** With nothing cached yet the till still sells, at list prices; every sale records this version. */
export const NO_RULES_VERSION = 'none';

const EMPTY: PricingRules = { version: NO_RULES_VERSION, index: buildIndex([]) };

/**
 * The discount rules the basket is priced with: the cached set (filled by the rules pull), indexed once per
 * version. Reading only the cache's meta row on each price keeps a scan cheap; the bodies are parsed again
 * only when the version moves.
 */
export class RulesSource {
  private current: PricingRules = EMPTY;
  private fetchedAt: number | undefined;

  constructor(private readonly logger: () => Logger) {}

  rules(db: ReadableDb): PricingRules {
    const meta = getRulesCacheMeta(db);
    if (!meta) return EMPTY;
    if (meta.version === this.current.version && meta.fetchedAt === this.fetchedAt) return this.current;
    const parsed = parseRules(listCachedRules(db));
    if (parsed.rejected.length > 0) {
      // A rule the engine cannot read is skipped, not fatal: the rest of the set still prices the basket.
      this.logger().warn({ version: meta.version, rejected: parsed.rejected.map((r) => ({ id: r.id, path: r.path, message: r.message })) }, 'cached discount rules were rejected');
    }
    this.current = { version: meta.version, index: buildIndex(parsed.rules) };
    this.fetchedAt = meta.fetchedAt;
    return this.current;
  }
}
