import type { WritableDb } from '../db-types';

/**
 * Dintero customers the till has looked up (`GET customers/users`) by phone, e-mail or token, kept with their
 * fetch time so the cashier can still attach a known customer offline. Phone, e-mail and token values are kept
 * only as keyed hashes; the body is stored without them. Times are epoch milliseconds.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE customer_cache (
      customer_id TEXT PRIMARY KEY,
      phone_hash TEXT,
      email_hash TEXT,
      body_json TEXT NOT NULL,
      fetched_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;

    CREATE INDEX customer_cache_byPhone ON customer_cache (phone_hash);
    CREATE INDEX customer_cache_byEmail ON customer_cache (email_hash);

    -- A token (card, scanned QR) that resolved to exactly one customer.
    CREATE TABLE customer_cache_tokens (
      token_hash TEXT PRIMARY KEY,
      customer_id TEXT NOT NULL REFERENCES customer_cache (customer_id) ON DELETE CASCADE,
      fetched_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;

    CREATE INDEX customer_cache_tokens_byCustomer ON customer_cache_tokens (customer_id);
  `);
}
