import type { ReadableDb, WritableDb } from './db-types';

/** The rules cache (migration 0070): rule bodies as Dintero sent them, and the set's version and time. */

export type RulesCacheMeta = {
  readonly version: string;
  readonly etag: string | null;
  readonly sinceWatermark: string | null;
  readonly ruleCount: number;
  readonly fetchedAt: number;
};

export type CachedRule = { readonly id: string; readonly body: unknown; readonly updatedAt: string | null };

export function getRulesCacheMeta(db: ReadableDb): RulesCacheMeta | undefined {
  const r = db.prepare('SELECT version, etag, since_watermark, rule_count, fetched_at FROM rules_cache_meta WHERE id = 1').get() as
    | { version: string; etag: string | null; since_watermark: string | null; rule_count: number; fetched_at: number }
    | undefined;
  return r && { version: r.version, etag: r.etag, sinceWatermark: r.since_watermark, ruleCount: r.rule_count, fetchedAt: r.fetched_at };
}

export function listCachedRules(db: ReadableDb): unknown[] {
  return (db.prepare('SELECT body_json FROM rules_cache ORDER BY rule_id').all() as { body_json: string }[]).map((r) => JSON.parse(r.body_json) as unknown);
}

/** Ids and update times only, for computing a version without parsing every body. */
export function listCachedRuleStamps(db: ReadableDb): { id: string; updatedAt: string | null }[] {
  return (db.prepare('SELECT rule_id, updated_at FROM rules_cache ORDER BY rule_id').all() as { rule_id: string; updated_at: string | null }[]).map((r) => ({
    id: r.rule_id,
    updatedAt: r.updated_at,
  }));
}

type MetaInput = { readonly version: string; readonly etag: string | null; readonly sinceWatermark: string | null; readonly fetchedAt: number };

function writeMeta(db: WritableDb, meta: MetaInput): void {
  const count = (db.prepare('SELECT COUNT(*) AS n FROM rules_cache').get() as { n: number }).n;
  db.prepare(
    `INSERT INTO rules_cache_meta (id, version, etag, since_watermark, rule_count, fetched_at) VALUES (1, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET version = excluded.version, etag = excluded.etag, since_watermark = excluded.since_watermark,
       rule_count = excluded.rule_count, fetched_at = excluded.fetched_at`,
  ).run(meta.version, meta.etag, meta.sinceWatermark, count, meta.fetchedAt);
}

/**
 * Applies a pull in one transaction: a full pull replaces the set, a change feed upserts and drops deleted
 * rules. `version` is computed by the caller after the change (see `withVersion`).
 */
export function applyRulesPull(
  db: WritableDb,
  pull: { readonly full: boolean; readonly upserts: readonly CachedRule[]; readonly deletes: readonly string[] },
  meta: (db: WritableDb) => MetaInput,
): RulesCacheMeta {
  db.transaction(() => {
    if (pull.full) db.prepare('DELETE FROM rules_cache').run();
    const upsert = db.prepare(
      'INSERT INTO rules_cache (rule_id, body_json, updated_at) VALUES (?, ?, ?) ON CONFLICT (rule_id) DO UPDATE SET body_json = excluded.body_json, updated_at = excluded.updated_at',
    );
    for (const r of pull.upserts) upsert.run(r.id, JSON.stringify(r.body), r.updatedAt);
    const drop = db.prepare('DELETE FROM rules_cache WHERE rule_id = ?');
    for (const id of pull.deletes) drop.run(id);
    writeMeta(db, meta(db));
  }).immediate();
  const stored = getRulesCacheMeta(db);
  if (!stored) throw new TypeError('rules cache meta missing after a pull');
  return stored;
}

/** A pull that found nothing new (304): only the fetch time moves. */
export function touchRulesCache(db: WritableDb, fetchedAt: number): void {
  db.prepare('UPDATE rules_cache_meta SET fetched_at = ? WHERE id = 1').run(fetchedAt);
}
