import type { WritableDb } from '../db-types';

/**
 * The catalog: one row per item, and one row per code that finds it. A code belongs to exactly one item
 * (its primary key), so a scan resolves with one index seek.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE catalog_items (
      item_id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      groups_json TEXT NOT NULL DEFAULT '[]',
      unit_price_minor INTEGER NOT NULL CHECK (unit_price_minor >= 0),
      vat_rate_bp INTEGER NOT NULL CHECK (vat_rate_bp BETWEEN 0 AND 10000),
      unit TEXT NOT NULL CHECK (unit IN ('piece', 'weight')),
      age_limit INTEGER CHECK (age_limit IS NULL OR age_limit BETWEEN 1 AND 99),
      eligible_for_discount INTEGER NOT NULL CHECK (eligible_for_discount IN (0, 1)),
      updated_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE catalog_codes (
      code TEXT PRIMARY KEY,
      item_id TEXT NOT NULL REFERENCES catalog_items (item_id) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;

    CREATE INDEX catalog_codes_byItem ON catalog_codes (item_id);
  `);
}
