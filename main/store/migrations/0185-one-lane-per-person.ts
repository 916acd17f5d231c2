import type { WritableDb } from '../db-types';

/**
 * One ordering lane per person (docs/sync.md, "Order"): a member's entries were keyed by the Dintero customer
 * id when the cashier also had one, and `member:<id>` otherwise, so one person's payments could be delivered
 * in two lanes at once and fool each other's balance check. Entries with a member are now keyed
 * `member:<id>` (main/core/sale/effects.ts); this moves the undelivered envelopes of such entries (and their
 * voids and refunds, which carry the member of the sale) into that lane. Delivered envelopes keep the key they
 * were delivered under. Order inside the merged lane is the envelopes' id order, which is commit order.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    UPDATE outbox_envelopes AS e
       SET ordering_key = 'member:' || s.member_id
      FROM sales AS s
     WHERE s.receipt_id = e.ref AND s.member_id IS NOT NULL AND e.state != 'done'
       AND e.ordering_key != 'member:' || s.member_id;
  `);
}
