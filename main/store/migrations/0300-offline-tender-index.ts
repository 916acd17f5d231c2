import type { WritableDb } from '../db-types';

/**
 * Indexes for the offline limits (docs/performance.md). At every offline value tender they ask what was already
 * taken offline from that card or member today and since its balance was read (main/store/offline-limits.ts).
 * Reached through today's sales, that cost
 * grew with the day's sales (and parsed each one's document); through this index it follows the tenders of that
 * one card or member, which are few. Partial: only offline tenders, a tenth of a busy till's at most.
 *
 * The same check sums the open offline exposure: undelivered effects with an amount at risk. Read from the
 * table, every undelivered effect of the backlog was visited, and `amount_at_risk` sits after `payload`, so
 * SQLite followed each payload's overflow pages (14 KB for a 50-line receipt) to reach it. The partial index
 * holds just the effects at risk and not done, with the amount, so the sum never touches the table.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE INDEX sale_tenders_offlineByReference ON sale_tenders (kind, reference) WHERE offline = 1;
    CREATE INDEX outbox_effects_openAtRisk ON outbox_effects (envelope_id, amount_at_risk) WHERE amount_at_risk > 0 AND state != 'done';
  `);
}
