import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { WritableDb } from '../../store/db-types';
import { applyRulesPull, getRulesCacheMeta, listCachedRuleStamps, touchRulesCache, type CachedRule, type RulesCacheMeta } from '../../store/rules-cache';
import type { DinteroClient } from '../connectors/dintero/dintero-client';
import type { HttpFailure } from '../connectors/http';

const PAGE_SIZE = 100;

const RulePageSchema = z.array(z.looseObject({ id: z.string().min(1), updated_at: z.string().nullish(), deleted_at: z.string().nullish() }));

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

/**
 * Pulls the discount rules into the rules cache. The first pull (or `full`) reads every page with `limit` and
 * `starting_after`; later pulls ask with `since_datetime` for the rules changed since the newest `updated_at`
 * seen, which includes deleted ones so the cache drops them. Except on a forced full pull, the first page carries `If-None-Match` with
 * the cached ETag: a 304 only moves the "as of" time. `include=customers` brings the grants the local engine needs
 * to know who holds each rule (docs/connectors.md).
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
    const full = since === null;
    const received: z.infer<typeof RulePageSchema> = [];
    let etag: string | undefined;
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const result = await this.client.call({
        method: 'GET',
        path: 'discounts/rules',
        query: { limit: PAGE_SIZE, starting_after: after, since_datetime: since ?? undefined, include: 'customers' },
        ...(pages === 0 && options.full !== true && cached?.etag ? { headers: { 'if-none-match': cached.etag } } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (!result.ok) return { status: 'failed', failure: result.failure };
      if (result.status === 304 && cached) {
        touchRulesCache(this.db, this.now());
        return { status: 'not_modified', meta: { ...cached, fetchedAt: this.now() } };
      }
      const page = RulePageSchema.safeParse(result.body);
      if (!page.success) return { status: 'failed', failure: { kind: 'transient', reason: 'rules page not understood', delivery: 'not_sent' } };
      if (pages === 0) etag = result.etag;
      pages++;
      received.push(...page.data);
      const last = page.data.at(-1);
      if (page.data.length < PAGE_SIZE || !last) break;
      after = last.id;
    }
    let watermark = since;
    const upserts: CachedRule[] = [];
    const deletes: string[] = [];
    for (const rule of received) {
      if (rule.updated_at && (watermark === null || rule.updated_at > watermark)) watermark = rule.updated_at;
      if (rule.deleted_at) deletes.push(rule.id);
      else upserts.push({ id: rule.id, body: rule, updatedAt: rule.updated_at ?? null });
    }
    const fetchedAt = this.now();
    const meta = applyRulesPull(this.db, { full, upserts, deletes }, (db) => ({
      version: etag ?? hashVersion(listCachedRuleStamps(db)),
      etag: etag ?? null,
      sinceWatermark: watermark,
      fetchedAt,
    }));
    return { status: 'updated', meta, pages, received: received.length, full };
  }
}
