import type { ReadableDb, WritableDb } from './db-types';
import { prepared } from './statements';
import { withNormalSync } from './relaxed-sync';
import { isSealed, sealField, tryOpenField } from './sealed-field';

/**
 * The open and suspended baskets (migration 0120) as the sale service's JSON. `open` is the basket being rung
 * up; every other slot is a suspended basket. Each write is one statement (or one small transaction), run on
 * every change to the basket, so what the till shows is what a restart gets back. The body is sealed
 * (main/store/sealed-field.ts): it holds gift-card tokens and the customer's name (issue 19 findings 4 and 5).
 */

export const OPEN_SLOT = 'open';

export type StoredBasket = { readonly slot: string; readonly position: number; readonly bodyJson: string; readonly updatedAt: string };

export function putBasket(db: WritableDb, slot: string, position: number, bodyJson: string, at: Date): void {
  prepared(
    db,
    `INSERT INTO open_baskets (slot, position, body_json, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (slot) DO UPDATE SET position = excluded.position, body_json = excluded.body_json, updated_at = excluded.updated_at`,
  ).run(slot, position, sealField(db, 'basket', bodyJson), at.toISOString());
}

/**
 * Writes the open basket after a change, on the scan path. Outside a transaction it is committed with
 * `synchronous = NORMAL` for this one write: in WAL mode that survives the agent being killed (the frame is in
 * the WAL file, which the next start reads) but skips the fsync, which costs milliseconds per scan on a busy
 * disk. A power cut may lose the last scans of an open basket, never a sale: the next sale commit (FULL) syncs
 * the WAL, and the ledger never runs under NORMAL. Inside a transaction the caller's setting applies.
 */
export function putOpenBasket(db: WritableDb, bodyJson: string, at: Date): void {
  withNormalSync(db, () => putBasket(db, OPEN_SLOT, 0, bodyJson, at));
}

export function deleteBasket(db: WritableDb, slot: string): void {
  prepared(db, 'DELETE FROM open_baskets WHERE slot = ?').run(slot);
}

/** Every stored basket, the open one first, then the suspended ones in the order they were suspended. */
export function storedBaskets(db: ReadableDb): StoredBasket[] {
  const rows = prepared(db, `SELECT slot, position, body_json, updated_at FROM open_baskets WHERE position >= 0 ORDER BY slot != '${OPEN_SLOT}', position, slot`).all() as {
    slot: string;
    position: number;
    body_json: string;
    updated_at: string;
  }[];
  // A body sealed with a key this till no longer has reads as empty: it does not parse and is set aside.
  const body = (stored: string): string => (isSealed(stored) ? (tryOpenField(db, 'basket', stored) ?? '') : stored);
  return rows.map((r) => ({ slot: r.slot, position: r.position, bodyJson: body(r.body_json), updatedAt: r.updated_at }));
}

/** Moves a body that could not be read back aside (kept for support, never loaded again). */
export function setBasketAside(db: WritableDb, slot: string, at: Date): void {
  prepared(db, 'UPDATE open_baskets SET slot = ?, position = -1 WHERE slot = ?').run(`unreadable:${slot}:${at.toISOString()}`, slot);
}
