import type { ReadableDb, WritableDb } from './db-types';
import { customerBodyAtRest, customerBodyFromRow } from './personal-at-rest';

/**
 * The customer cache (migration 0090): Dintero customers the till looked up, with phone, e-mail and token
 * values only as keyed hashes (computed by the caller). The body must not carry them; of the rest only the name
 * is kept, sealed (main/store/personal-at-rest.ts).
 */

export type CachedCustomer = {
  readonly customerId: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly fetchedAt: number;
};

export type CustomerToCache = CachedCustomer & { readonly phoneHash: string | null; readonly emailHash: string | null };

type Row = { customer_id: string; body_json: string; personal_sealed: string | null; fetched_at: number };

function fromRow(db: ReadableDb, r: Row): CachedCustomer {
  return { customerId: r.customer_id, body: customerBodyFromRow(db, r.body_json, r.personal_sealed), fetchedAt: r.fetched_at };
}

/**
 * Stores the customers of one lookup. `tokenHash` (a token lookup that named exactly one customer) maps that
 * token to the customer. A phone number or e-mail names one customer: another that held the hash loses it.
 */
export function cacheCustomers(db: WritableDb, customers: readonly CustomerToCache[], token?: { readonly hash: string; readonly customerId: string }): void {
  db.transaction(() => {
    const upsert = db.prepare(
      `INSERT INTO customer_cache (customer_id, phone_hash, email_hash, body_json, personal_sealed, fetched_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (customer_id) DO UPDATE SET phone_hash = excluded.phone_hash, email_hash = excluded.email_hash,
         body_json = excluded.body_json, personal_sealed = excluded.personal_sealed, fetched_at = excluded.fetched_at`,
    );
    for (const c of customers) {
      if (c.phoneHash !== null) db.prepare('UPDATE customer_cache SET phone_hash = NULL WHERE phone_hash = ? AND customer_id != ?').run(c.phoneHash, c.customerId);
      if (c.emailHash !== null) db.prepare('UPDATE customer_cache SET email_hash = NULL WHERE email_hash = ? AND customer_id != ?').run(c.emailHash, c.customerId);
      const body = customerBodyAtRest(db, c.body);
      upsert.run(c.customerId, c.phoneHash, c.emailHash, body.bodyJson, body.personalSealed, c.fetchedAt);
    }
    if (token) {
      const at = customers.find((c) => c.customerId === token.customerId)?.fetchedAt;
      if (at === undefined) throw new TypeError('a token can only be cached with the customer it names');
      db.prepare(
        `INSERT INTO customer_cache_tokens (token_hash, customer_id, fetched_at) VALUES (?, ?, ?)
         ON CONFLICT (token_hash) DO UPDATE SET customer_id = excluded.customer_id, fetched_at = excluded.fetched_at`,
      ).run(token.hash, token.customerId, at);
    }
  }).immediate();
}

export function cachedCustomerById(db: ReadableDb, customerId: string): CachedCustomer | undefined {
  const r = db.prepare('SELECT customer_id, body_json, personal_sealed, fetched_at FROM customer_cache WHERE customer_id = ?').get(customerId) as Row | undefined;
  return r && fromRow(db, r);
}

export function cachedCustomerByHash(db: ReadableDb, field: 'phone' | 'email' | 'token', hash: string): CachedCustomer | undefined {
  const sql =
    field === 'token'
      ? 'SELECT c.customer_id, c.body_json, c.personal_sealed, c.fetched_at FROM customer_cache_tokens t JOIN customer_cache c ON c.customer_id = t.customer_id WHERE t.token_hash = ?'
      : `SELECT customer_id, body_json, personal_sealed, fetched_at FROM customer_cache WHERE ${field === 'phone' ? 'phone_hash' : 'email_hash'} = ?`;
  const r = db.prepare(sql).get(hash) as Row | undefined;
  return r && fromRow(db, r);
}

/** The back end found nobody for this value (any more): the cache stops matching it. */
export function forgetCustomerLookup(db: WritableDb, field: 'phone' | 'email' | 'token', hash: string): void {
  if (field === 'token') db.prepare('DELETE FROM customer_cache_tokens WHERE token_hash = ?').run(hash);
  else {
    const column = field === 'phone' ? 'phone_hash' : 'email_hash';
    db.prepare(`UPDATE customer_cache SET ${column} = NULL WHERE ${column} = ?`).run(hash);
  }
}
