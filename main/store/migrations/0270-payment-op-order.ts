import type { WritableDb } from '../db-types';

/**
 * The order of each Loyalty `/payment` attempt's steps among the till's own (docs/sync.md, "Uncertain payments":
 * the till's own movements). The balance check of a lost answer must know whether another attempt for the same
 * member landed before or after this one's `before` read, and before or after its latest read; `updated_at` is
 * overwritten and the till's clock can stand still or step back, so the store keeps a counter instead:
 * `loyalty_op_clock.seq` goes up by one with every write of an attempt. `sent_seq`: the attempt was written down,
 * after its `before` read answered and before its request left (it can land only after); `end_seq`: its answer
 * came or was lost, or a check decided it (its request is over); `before_read_seq`: the counter when the read of
 * `before` left. A counter read at a moment orders every attempt write before or after it, exactly.
 * Rows from before this version have none (NULL): they were over before the counter started, unless still
 * `sending`. `loyalty_payment_ops_byMember`: the check lists one member's attempts.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    ALTER TABLE loyalty_payment_ops ADD COLUMN before_read_seq INTEGER;
    ALTER TABLE loyalty_payment_ops ADD COLUMN sent_seq INTEGER;
    ALTER TABLE loyalty_payment_ops ADD COLUMN end_seq INTEGER;
    CREATE TABLE loyalty_op_clock (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      seq INTEGER NOT NULL CHECK (seq >= 0)
    ) STRICT;
    INSERT INTO loyalty_op_clock (id, seq) VALUES (1, 0);
    CREATE INDEX loyalty_payment_ops_byMember ON loyalty_payment_ops (member_json, state);
  `);
}
