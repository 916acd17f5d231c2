import type { WritableDb } from '../db-types';

/**
 * Training mode (docs/fiscal-no.md): a sale made while a manager has training mode on is committed, numbered,
 * signed and journaled like any other, and listed here, so reports count it apart and leave it out of the sales
 * figures, and the SAF-T file marks it (`trainingID`). Append-only: a sale cannot be made a training sale later.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE training_sales (
      sale_id INTEGER PRIMARY KEY REFERENCES sales (id),
      training INTEGER NOT NULL DEFAULT 1 CHECK (training = 1)
    ) STRICT;
    CREATE TRIGGER training_sales_appendOnlyUpdate BEFORE UPDATE ON training_sales BEGIN SELECT RAISE(ABORT, 'training marks are append-only'); END;
    CREATE TRIGGER training_sales_appendOnlyDelete BEFORE DELETE ON training_sales BEGIN SELECT RAISE(ABORT, 'training marks are append-only'); END;
  `);
}
