import type { WritableDb } from '../db-types';

/**
 * Kiosk card payments (issue 15): the payment's reference is written here before the terminal is asked, so an
 * agent restart mid-payment finds it, asks the terminal how it ended or hands it to staff with the reference,
 * and neither charges twice nor loses a charged payment. `state`: `asked` (the terminal was asked), `approved`
 * (charged, its `terminal_ref` kept, the sale not yet known to be committed), `committed`, `declined`, and
 * `staff` (the outcome is unknown: staff check the terminal by the reference).
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE card_payments (
      reference TEXT PRIMARY KEY,
      amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
      currency TEXT NOT NULL,
      terminal_id TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('asked', 'approved', 'committed', 'declined', 'staff', 'cleared')),
      terminal_ref TEXT,
      reason TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX card_payments_byOpen ON card_payments (state) WHERE state IN ('asked', 'approved', 'staff');
  `);
}
