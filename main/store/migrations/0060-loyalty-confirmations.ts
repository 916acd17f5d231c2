import type { WritableDb } from '../db-types';

/**
 * What the Loyalty POS API confirmed: the confirmation code of each sale's `/transaction`, and every `/payment`
 * pay or cancel with the balance read just before it. `/payment` has no idempotency, so these rows are how an
 * attempt with an unknown outcome is reconciled (balance moved by exactly the amount, or not at all) and how a
 * void finds the payments it must cancel. Times are epoch milliseconds.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE loyalty_transactions (
      transaction_id TEXT PRIMARY KEY,
      -- The outbox key of the effect that submitted it, which a void's cancel names.
      effect_key TEXT NOT NULL UNIQUE,
      state TEXT NOT NULL CHECK (state IN ('submitted', 'cancelled')),
      confirmation_code TEXT,
      cancel_code TEXT,
      updated_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE loyalty_payment_ops (
      -- The outbox key of the pay or cancel effect ('<payment key>:cancel' when a sale's cancel refunds it).
      op_key TEXT PRIMARY KEY,
      -- The pay this op is, or refunds.
      payment_key TEXT NOT NULL,
      sale_key TEXT NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('pay', 'cancel')),
      -- Positive: how far the member's balance should move (down for pay, up for cancel).
      amount INTEGER NOT NULL CHECK (amount > 0),
      member_json TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('sending', 'done', 'uncertain', 'failed')),
      before_points INTEGER,
      before_credit INTEGER,
      after_points INTEGER,
      after_credit INTEGER,
      confirmation_code TEXT,
      reason TEXT,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX loyalty_payment_ops_bySale ON loyalty_payment_ops (sale_key, action);
    CREATE INDEX loyalty_payment_ops_byPayment ON loyalty_payment_ops (payment_key, action);
  `);
}
