import type { WritableDb } from '../db-types';

/**
 * The manager back office: the PIN (only a salted scrypt hash and its parameters, never the PIN), the lockout
 * state after wrong PINs (kept here so a restart does not reset it), and the Z report of each closed business
 * day, stored once when first made so every later print shows the same numbers. Times are epoch milliseconds,
 * except `z_reports.created_at` (ISO-8601, as the ledger's times are).
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE manager_pin (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      algorithm TEXT NOT NULL CHECK (algorithm = 'scrypt'),
      salt BLOB NOT NULL,
      hash BLOB NOT NULL,
      params_json TEXT NOT NULL,
      set_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE manager_lockout (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      failed_attempts INTEGER NOT NULL CHECK (failed_attempts >= 0),
      lockouts INTEGER NOT NULL CHECK (lockouts >= 0),
      locked_until INTEGER
    ) STRICT;

    CREATE TABLE z_reports (
      business_day_id INTEGER PRIMARY KEY REFERENCES business_days (id),
      report_json TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TRIGGER z_reports_appendOnlyUpdate BEFORE UPDATE ON z_reports BEGIN SELECT RAISE(ABORT, 'a Z report is final'); END;
    CREATE TRIGGER z_reports_appendOnlyDelete BEFORE DELETE ON z_reports BEGIN SELECT RAISE(ABORT, 'a Z report is final'); END;
  `);
}
