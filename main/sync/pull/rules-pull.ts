import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { WritableDb } from '../../store/db-types';
import { applyRulesPull, getRulesCacheMeta, listCachedRuleStamps, touchRulesCache, type CachedRule, type RulesCacheMeta } from '../../store/rules-cache';
import type { DinteroClient } from '../connectors/dintero/dintero-client';
import type { HttpFailure } from '../connectors/http';

/** `limit` may be 1 to 100 (S1 `parameters.limit`, dintero-discounts-api.d.ts `aid_discounts_get`). */
const PAGE_SIZE = 100;

/**
 * `state=all`: S1 `aid_discounts_get.query.state` = "all" | "available" | "deleted" | "inactive"; the default is
 * not documented, so the till asks for everything and decides itself (a deleted or inactive rule leaves the cache).
 */
const STATE = 'all';

/** Only what the pull itself reads; the rest of the `Discount` stays in the body for the engine (S1 `definitions.Discount`, `Entity`). */
const RulePageSchema = z.array(
  z.looseObject({ id: z.string().min(1), updated_at: z.string().nullish(), deleted_at: z.string().nullish(), active: z.boolean().nullish() }),
);
type PulledRule = z.infer<typeof RulePageSchema>[number];

export type RulesPullResult =
  | { readonly status: 'updated'; readonly meta: RulesCacheMeta; readonly pages: number; readonly received: number; readonly full: boolean }
  | { readonly status: 'not_modified'; readonly meta: RulesCacheMeta }
  | { readonly status: 'failed'; readonly failure: HttpFailure };

/** A version for a rule set the server gave no ETag for: a hash of every rule's id and update time. */
export function hashVersion(stamps: readonly { id: string; updatedAt: string | null }[]): string {
  const hash = createHash('sha256');
  for (const s of stamps) hash.update(`${s.id}\u0000${s.updatedAt ?? ''}\u0001`);
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}

/** A rule the till must not price with: deleted (`Entity.deleted_at`) or switched off (`Discount.active: false`). */
export function isGone(rule: PulledRule): boolean {
  return (rule.deleted_at ?? null) !== null || rule.active === false;
}

type Pages = { ok: true; rules: PulledRule[]; pages: number; etag: string | undefined; notModified: boolean } | { ok: false; failure: HttpFailure };

const NOT_UNDERSTOOD: HttpFailure = { kind: 'transient', reason: 'rules page not understood', delivery: 'not_sent' };

/**
 * Pulls the discount rules into the rules cache (`GET discounts/rules`, S1 `aid_discounts_get`).
 *
 * - A **full** pull (the first, a forced one, or the daily resync the agent schedules) pages with `limit` and
 *   `starting_after` = the last rule's id, and replaces the cache: a rule no longer listed, deleted or inactive
 *   leaves it.
 * - An **incremental** pull sends `since_datetime` and never `starting_after` (S1: "this parameter can't be combined
 *   with `starting_after`. Retrieve next page by updating since_datetime to the latest updated_at value found in
 *   the result"). The boundary is inclusive ("at or after"), so the rules stamped at the watermark come again;
 *   a full page whose newest `updated_at` does not move the watermark cannot be paged further, and the pull turns
 *   into a full one. Deleted and inactive rules in the feed leave the cache.
 *
 * `include` is never sent: S1 offers only `include=statistics`, which the engine does not read. The first page
 * carries `If-None-Match` with a stored ETag only when the server gave one (not documented; a server without ETags
 * is never asked conditionally, and a 304 is read only as the answer to that header).
 */
export class RulesPuller {
  constructor(
    private readonly client: DinteroClient,
    private readonly db: WritableDb,
    private readonly now: () => number,
  ) {}

  async pull(options: { readonly full?: boolean; readonly signal?: AbortSignal } = {}): Promise<RulesPullResult> {
    const cached = getRulesCacheMeta(this.db);
    const since = options.full === true ? null : (cached?.sinceWatermark ?? null);
    const conditional = options.full !== true && cached?.etag ? cached.etag : undefined;
    let full = since === null;
    const first = full || since === null ? await this.fullPages(conditional, options.signal) : await this.feedPages(since, conditional, options.signal);
    let got: Pages;
    if (first === 'stuck') {
      full = true;
      got = await this.fullPages(undefined, options.signal);
    } else got = first;
    if (!got.ok) return { status: 'failed', failure: got.failure };
    if (got.notModified && cached) {
      touchRulesCache(this.db, this.now());
      return { status: 'not_modified', meta: { ...cached, fetchedAt: this.now() } };
    }
    let watermark = full ? null : since;
    const upserts: CachedRule[] = [];
    const deletes: string[] = [];
    for (const rule of got.rules) {
      if (rule.updated_at && (watermark === null || rule.updated_at > watermark)) watermark = rule.updated_at;
      if (isGone(rule)) deletes.push(rule.id);
      else upserts.push({ id: rule.id, body: rule, updatedAt: rule.updated_at ?? null });
    }
    const etag = got.etag;
    const fetchedAt = this.now();
    const meta = applyRulesPull(this.db, { full, upserts, deletes }, (db) => ({
      version: etag ?? hashVersion(listCachedRuleStamps(db)),
      etag: etag ?? null,
      sinceWatermark: watermark,
      fetchedAt,
    }));
    return { status: 'updated', meta, pages: got.pages, received: got.rules.length, full };
  }

  /**
   * One page of the rules list with the cursor given (`starting_after` or `since_datetime`, never both), and the
   * ETag only on a first page. A 304 or a failure ends the pull with the `Pages` it stands for.
   */
  private async page(
    cursor: { starting_after?: string | undefined; since_datetime?: string },
    conditional: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<{ kind: 'rules'; rules: PulledRule[]; etag: string | undefined } | { kind: 'end'; pages: Pages }> {
    const result = await this.client.call({
      method: 'GET',
      path: 'discounts/rules',
      query: { limit: PAGE_SIZE, state: STATE, ...cursor },
      ...(conditional ? { headers: { 'if-none-match': conditional } } : {}),
      ...(signal ? { signal } : {}),
    });
    if (!result.ok) return { kind: 'end', pages: result };
    if (result.status === 304 && conditional) return { kind: 'end', pages: { ok: true, rules: [], pages: 1, etag: conditional, notModified: true } };
    const page = RulePageSchema.safeParse(result.body);
    if (!page.success) return { kind: 'end', pages: { ok: false, failure: NOT_UNDERSTOOD } };
    return { kind: 'rules', rules: page.data, etag: result.etag };
  }

  private async fullPages(conditional: string | undefined, signal: AbortSignal | undefined): Promise<Pages> {
    const rules: PulledRule[] = [];
    let after: string | undefined;
    let etag: string | undefined;
    for (let pages = 0; ; ) {
      const page = await this.page({ starting_after: after }, pages === 0 ? conditional : undefined, signal);
      if (page.kind !== 'rules') return page.pages;
      if (pages === 0) etag = page.etag;
      pages++;
      rules.push(...page.rules);
      const last = page.rules.at(-1);
      if (page.rules.length < PAGE_SIZE || !last) return { ok: true, rules, pages, etag, notModified: false };
      after = last.id;
    }
  }

  /** The change feed; `'stuck'` when a full page does not move `since_datetime` forward. */
  private async feedPages(since: string, conditional: string | undefined, signal: AbortSignal | undefined): Promise<Pages | 'stuck'> {
    const byId = new Map<string, PulledRule>();
    let from = since;
    let etag: string | undefined;
    for (let pages = 0; ; ) {
      const page = await this.page({ since_datetime: from }, pages === 0 ? conditional : undefined, signal);
      if (page.kind !== 'rules') return page.pages;
      if (pages === 0) etag = page.etag;
      pages++;
      // A later copy of a rule (the inclusive boundary repeats some) replaces the earlier one.
      for (const rule of page.rules) byId.set(rule.id, rule);
      if (page.rules.length < PAGE_SIZE) return { ok: true, rules: [...byId.values()], pages, etag, notModified: false };
      const newest = page.rules.reduce<string | undefined>((max, r) => (r.updated_at && (max === undefined || r.updated_at > max) ? r.updated_at : max), undefined);
      if (newest === undefined || newest <= from) return 'stuck';
      from = newest;
    }
  }
}
