import type { ReadableDb, WritableDb } from './db-types';

/**
 * The refs Dintero issued for discount rules (migration 0250), per holder: a customer id, `*` or `/`. A holder's
 * list is replaced as a whole each time it is fetched, so a ref Dintero no longer lists (used up, removed) leaves.
 */

export const ALL_CUSTOMERS = '*';
export const NO_CUSTOMER = '/';

export type DiscountRef = { readonly ruleId: string; readonly refId: string; readonly statistics?: Readonly<Record<string, unknown>> | undefined };

/** A grant as the discount engine reads it on a rule (`customers[]`), with the server's ref id. */
export type RefGrant = { readonly customer_id: string; readonly ref_id: string };

function bump(db: WritableDb): void {
  db.prepare('UPDATE discount_refs_meta SET version = version + 1 WHERE id = 1').run();
}

/** Replaces what the till knows of one holder's refs with a fresh list (possibly empty: the holder has none). */
export function replaceHolderRefs(db: WritableDb, holder: string, refs: readonly DiscountRef[], fetchedAt: number): void {
  db.transaction(() => {
    db.prepare('INSERT INTO discount_ref_holders (holder, fetched_at) VALUES (?, ?) ON CONFLICT (holder) DO UPDATE SET fetched_at = excluded.fetched_at').run(
      holder,
      fetchedAt,
    );
    db.prepare('DELETE FROM discount_refs WHERE holder = ?').run(holder);
    const insert = db.prepare('INSERT OR REPLACE INTO discount_refs (holder, rule_id, ref_id, statistics_json) VALUES (?, ?, ?, ?)');
    for (const r of refs) insert.run(holder, r.ruleId, r.refId, r.statistics === undefined ? null : JSON.stringify(r.statistics));
    bump(db);
  }).immediate();
}

/** The holder is unknown to Dintero (404): nothing of it is kept, so the till knows no ref for it. */
export function forgetHolder(db: WritableDb, holder: string): void {
  db.transaction(() => {
    const gone = db.prepare('DELETE FROM discount_ref_holders WHERE holder = ?').run(holder).changes;
    if (gone > 0) bump(db);
  }).immediate();
}

export function discountRefsVersion(db: ReadableDb): number {
  return (db.prepare('SELECT version FROM discount_refs_meta WHERE id = 1').get() as { version: number } | undefined)?.version ?? 0;
}

/** When the holder's list was last fetched, or undefined when it never was (its refs are unknown). */
export function holderFetchedAt(db: ReadableDb, holder: string): number | undefined {
  return (db.prepare('SELECT fetched_at FROM discount_ref_holders WHERE holder = ?').get(holder) as { fetched_at: number } | undefined)?.fetched_at;
}

/** Every known ref as engine grants, per rule id. */
export function grantsByRule(db: ReadableDb): Map<string, RefGrant[]> {
  const rows = db.prepare('SELECT rule_id, holder, ref_id FROM discount_refs ORDER BY rule_id, holder, ref_id').all() as { rule_id: string; holder: string; ref_id: string }[];
  const out = new Map<string, RefGrant[]>();
  for (const r of rows) {
    const list = out.get(r.rule_id) ?? [];
    list.push({ customer_id: r.holder, ref_id: r.ref_id });
    out.set(r.rule_id, list);
  }
  return out;
}

/** One holder's refs with the statistics Dintero listed. */
export function refsOfHolder(db: ReadableDb, holder: string): DiscountRef[] {
  const rows = db.prepare('SELECT rule_id, ref_id, statistics_json FROM discount_refs WHERE holder = ? ORDER BY rule_id, ref_id').all(holder) as {
    rule_id: string;
    ref_id: string;
    statistics_json: string | null;
  }[];
  return rows.map((r) => ({ ruleId: r.rule_id, refId: r.ref_id, statistics: r.statistics_json === null ? undefined : (JSON.parse(r.statistics_json) as Record<string, unknown>) }));
}

/** Customers (not `*`/`/`) whose lists are older than `before`, oldest first. */
export function customersToRefresh(db: ReadableDb, before: number, limit: number): string[] {
  return (
    db
      .prepare("SELECT holder FROM discount_ref_holders WHERE holder NOT IN ('*', '/') AND fetched_at < ? ORDER BY fetched_at, holder LIMIT ?")
      .all(before, limit) as { holder: string }[]
  ).map((r) => r.holder);
}

/**
 * The cached rule bodies with the refs Dintero issued added to their grants (`customers[]`, the engine's input).
 * A pulled rule has no grants of its own (the rule list carries none), so it is held only by the refs the till
 * fetched; a rule imported from a file (`till-agent rules import`) keeps the grants the file gave it as well.
 */
export function cachedRulesWithRefs(db: ReadableDb): unknown[] {
  const grants = grantsByRule(db);
  const rows = db.prepare('SELECT rule_id, body_json FROM rules_cache ORDER BY rule_id').all() as { rule_id: string; body_json: string }[];
  return rows.map((r) => {
    const body = JSON.parse(r.body_json) as unknown;
    const refs = grants.get(r.rule_id);
    if (refs === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
    const own: unknown = (body as { customers?: unknown }).customers;
    const kept: unknown[] = Array.isArray(own) ? (own as unknown[]) : [];
    return { ...body, customers: [...kept, ...refs] };
  });
}
