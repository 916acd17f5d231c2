import type { WritableDb } from '../db-types';

/**
 * The drift check: a receipt priced by the local engine and by Dintero's `available_for_receipt`, and every
 * place where the two disagree (per rule, and per rule and line), for the manager screen. Every check is kept,
 * also the ones without differences, so the screen can say when the engines last agreed. Times are epoch
 * milliseconds; amounts are minor units.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE drift_checks (
      id INTEGER PRIMARY KEY,
      receipt_id TEXT NOT NULL,
      checked_at INTEGER NOT NULL,
      rules_version TEXT NOT NULL,
      local_discount INTEGER NOT NULL,
      remote_discount INTEGER NOT NULL,
      local_bonus INTEGER NOT NULL,
      remote_bonus INTEGER NOT NULL,
      difference_count INTEGER NOT NULL CHECK (difference_count >= 0)
    ) STRICT;

    CREATE INDEX drift_checks_byReceipt ON drift_checks (receipt_id, id);
    CREATE INDEX drift_checks_byDrift ON drift_checks (id) WHERE difference_count > 0;

    CREATE TABLE drift_differences (
      id INTEGER PRIMARY KEY,
      check_id INTEGER NOT NULL REFERENCES drift_checks (id) ON DELETE CASCADE,
      rule_id TEXT NOT NULL,
      -- NULL: the rule's total over the receipt.
      line_id INTEGER,
      measure TEXT NOT NULL CHECK (measure IN ('discount', 'bonus')),
      local_amount INTEGER NOT NULL,
      remote_amount INTEGER NOT NULL
    ) STRICT;

    CREATE INDEX drift_differences_byCheck ON drift_differences (check_id, id);
  `);
}
