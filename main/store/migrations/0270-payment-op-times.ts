import type { WritableDb } from '../db-types';

/**
 * When each Loyalty `/payment` attempt read its `before` balance and when it was sent (docs/sync.md, "Uncertain
 * payments": the till's own movements). `updated_at` alone is overwritten when the answer comes, so the balance
 * check of a lost answer could not tell whether another attempt of the same member landed before or after this
 * one's `before` read. `before_read_at`: the `member/details` read of `before` was sent (the balance it returned
 * is the server's at or after this time); `sent_at`: the attempt was written down, after that read answered and
 * before the `/payment` request left (the attempt can land only after it). Epoch ms, the till's clock. Rows from
 * before this version have neither (NULL): the check then treats their timing as unknown.
 * `loyalty_payment_ops_byMember`: the check lists one member's attempts.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    ALTER TABLE loyalty_payment_ops ADD COLUMN before_read_at INTEGER;
    ALTER TABLE loyalty_payment_ops ADD COLUMN sent_at INTEGER;
    CREATE INDEX loyalty_payment_ops_byMember ON loyalty_payment_ops (member_json, state);
  `);
}
