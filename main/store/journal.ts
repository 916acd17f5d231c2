import { createHash } from 'node:crypto';
import type { ReadableDb, WritableDb } from './db-types';
import { prepared } from './statements';

/**
 * The journal: every business event of the till (day and shift open/close, sale, void, refund, fiscal events) in order,
 * each entry carrying the hash of the one before. Changing, removing or reordering any entry breaks the
 * chain from there on; `verifyJournal` names the first broken link.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** `event`: a fiscal event (main/store/fiscal-events.ts), e.g. a receipt printed or the drawer opened without a sale. */
export type JournalKind = 'day_open' | 'day_close' | 'shift_open' | 'shift_close' | 'sale' | 'void' | 'refund' | 'event';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function entryHash(prevHash: string, seq: number, at: string, kind: string, saleId: number | null, payloadJson: string): string {
  return sha256(`${prevHash}\n${seq}\n${at}\n${kind}\n${saleId ?? ''}\n${payloadJson}`);
}

/** Appends one entry; call it inside the transaction that writes what it records. */
export function appendJournal(db: WritableDb, kind: JournalKind, payload: unknown, at: string, saleId: number | null = null): { seq: number; hash: string } {
  const last = prepared(db, 'SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const payloadJson = JSON.stringify(payload);
  const hash = entryHash(prevHash, seq, at, kind, saleId, payloadJson);
  prepared(db, 'INSERT INTO journal (seq, at, kind, sale_id, payload_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)').run(seq, at, kind, saleId, payloadJson, prevHash, hash);
  return { seq, hash };
}

export type JournalVerdict =
  | { readonly ok: true; readonly entries: number; readonly lastHash: string }
  | { readonly ok: false; readonly entries: number; readonly brokenAt: number; readonly problem: string };

type JournalRow = { seq: number; at: string; kind: string; sale_id: number | null; payload_json: string; prev_hash: string; hash: string };

/**
 * Walks the chain from the first entry. Also checks that each sale entry's document hash matches the sale
 * row it names, so editing a stored sale (not only the journal) is caught.
 */
export function verifyJournal(db: ReadableDb): JournalVerdict {
  const sale = db.prepare('SELECT document_json, document_sha256 FROM sales WHERE id = ?');
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let count = 0;
  for (const row of db.prepare('SELECT seq, at, kind, sale_id, payload_json, prev_hash, hash FROM journal ORDER BY seq').iterate() as IterableIterator<JournalRow>) {
    const broken = (problem: string): JournalVerdict => ({ ok: false, entries: count, brokenAt: row.seq, problem });
    if (row.seq !== expectedSeq) return { ok: false, entries: count, brokenAt: expectedSeq, problem: `entry ${expectedSeq} is missing (the next entry is ${row.seq})` };
    if (row.prev_hash !== prev) return broken(`its link to entry ${row.seq - 1} is wrong: it names ${row.prev_hash.slice(0, 12)}…, that entry hashes to ${prev.slice(0, 12)}…`);
    const recomputed = entryHash(row.prev_hash, row.seq, row.at, row.kind, row.sale_id, row.payload_json);
    if (recomputed !== row.hash) return broken('its content does not match its hash (the entry was changed)');
    if (row.sale_id !== null) {
      const s = sale.get(row.sale_id) as { document_json: string; document_sha256: string } | undefined;
      let claimed: unknown;
      try {
        claimed = (JSON.parse(row.payload_json) as { documentSha256?: unknown }).documentSha256;
      } catch {
        claimed = undefined;
      }
      if (!s) return broken(`sale ${row.sale_id} it records is missing`);
      if (s.document_sha256 !== claimed || sha256(s.document_json) !== s.document_sha256) return broken(`sale ${row.sale_id} it records was changed after it was committed`);
    }
    prev = row.hash;
    expectedSeq++;
    count++;
  }
  return { ok: true, entries: count, lastHash: prev };
}
