import type { WritableDb } from '../db-types';

/**
 * Loyalty members the till has looked up (`/member/details`), so a member is still recognised offline. The phone
 * number and e-mail are kept only as keyed hashes for lookup (the body is stored without them): a lost till
 * database does not hand out a list of customers' phone numbers. Points and credit are copied into
 * `balance_cache` as well, where the offline limits read them. Times are epoch milliseconds.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE member_cache (
      membership_key TEXT PRIMARY KEY,
      phone_hash TEXT,
      email_hash TEXT,
      body_json TEXT NOT NULL,
      points INTEGER,
      credit INTEGER,
      fetched_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;

    CREATE INDEX member_cache_byPhone ON member_cache (phone_hash);
    CREATE INDEX member_cache_byEmail ON member_cache (email_hash);
  `);
}
