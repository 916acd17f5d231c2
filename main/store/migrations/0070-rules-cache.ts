import type { WritableDb } from '../db-types';

/**
 * The discount rules as last pulled from Dintero, with the set's version (the server's ETag, or a hash of the
 * set) and when it was fetched, so the till prices offline with a known rule set and shows its "as of" time.
 * `since_watermark` is the newest `updated_at` seen: the next pull asks only for changes after it.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE rules_cache (
      rule_id TEXT PRIMARY KEY,
      body_json TEXT NOT NULL,
      updated_at TEXT
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE rules_cache_meta (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      version TEXT NOT NULL,
      etag TEXT,
      since_watermark TEXT,
      rule_count INTEGER NOT NULL,
      fetched_at INTEGER NOT NULL
    ) STRICT;
  `);
}
