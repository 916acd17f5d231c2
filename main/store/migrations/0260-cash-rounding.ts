import type { WritableDb } from '../db-types';

/**
 * Cash rounding (issue 17, docs/ledger.md "Cash rounding"): the signed amount by which the cash a sale, void or
 * refund moved differs from the cash tenders' share of its total (cash rounded to the store's cash unit). The
 * document keeps it too (`rounding`); the column lets the drawer's expected cash and the reports sum it. Sales
 * committed before this version had no rounding: 0. `ALTER TABLE ... ADD COLUMN` does not fire the append-only
 * triggers.
 */
export default function up(db: WritableDb): void {
  db.exec('ALTER TABLE sales ADD COLUMN rounding_minor INTEGER NOT NULL DEFAULT 0;');
}
