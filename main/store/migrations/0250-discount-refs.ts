import type { WritableDb } from '../db-types';

/**
 * The refs Dintero issued for discount rules (issue 14): a ref is the instance of a rule given to one customer, or
 * to all customers, and it is what a claim and a receipt name. `holder` is a Dintero customer id, `*` (the public
 * ref of a rule given to every identified customer) or `/` (the public ref for purchases without a customer).
 * `statistics_json` is the `statistics` object Dintero listed with the ref (usage, stamps, debit balance), kept as
 * sent. `discount_ref_holders` says when a holder's list was last fetched: a customer with a row here has a known
 * list (possibly empty); one without has never been fetched, and offline the till grants them no customer discount.
 * Times are epoch milliseconds.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE discount_ref_holders (
      holder TEXT PRIMARY KEY,
      fetched_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE discount_refs (
      holder TEXT NOT NULL REFERENCES discount_ref_holders (holder) ON DELETE CASCADE,
      rule_id TEXT NOT NULL,
      ref_id TEXT NOT NULL,
      statistics_json TEXT,
      PRIMARY KEY (holder, rule_id, ref_id)
    ) STRICT, WITHOUT ROWID;

    CREATE INDEX discount_refs_byRule ON discount_refs (rule_id);

    -- Bumped on every change, so the pricing side rebuilds its rule index only when a ref list moved.
    CREATE TABLE discount_refs_meta (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      version INTEGER NOT NULL
    ) STRICT;
    INSERT INTO discount_refs_meta (id, version) VALUES (1, 0);
  `);
}
