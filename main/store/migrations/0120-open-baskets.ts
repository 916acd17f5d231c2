import type { WritableDb } from '../db-types';

/**
 * The open basket and the suspended ones, so an agent restart (a crash, a power cut, an update) does not lose
 * what the cashier or kiosk customer has rung up. One row per basket: `open` is the basket being rung up, the
 * others are suspended baskets by their id. Written synchronously on every change; a committed sale empties the
 * `open` row in the commit's own transaction. The body is the sale service's JSON, checked when read back.
 *
 * Also: the member cache is searched by membership number (the Loyalty API's `externalId`, which stays in the
 * cached profile), so a member identified once by number can be found again offline.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE open_baskets (
      slot TEXT PRIMARY KEY,
      position INTEGER NOT NULL,
      body_json TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;

    CREATE INDEX member_cache_byExternalId ON member_cache (json_extract(body_json, '$.profile.externalId'));
  `);
}
