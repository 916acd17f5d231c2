import { getBalance, putBalance } from './balance-cache';
import type { ReadableDb, WritableDb } from './db-types';

/**
 * Whether a gift-card code the till drew on still works (migration 0290's `gift_card_codes`; key = the keyed hash
 * of the code, as in `balance_cache`). A Dintero card code serves one transaction by default (S1 W `POST
 * /wallets/cards/{card_id}/tokens`, `expires_after_transaction` default true), so a balance cached before a
 * drawdown must not let the same code be taken offline again. No row: the till never drew on the code.
 */
export type CodeState = 'used' | 'reusable' | 'spent';

export type CodeRecord = { readonly state: CodeState; readonly changedAt: number };

export function getCodeState(db: ReadableDb, key: string): CodeRecord | undefined {
  const row = db.prepare('SELECT state, changed_at FROM gift_card_codes WHERE key = ?').get(key) as { state: CodeState; changed_at: string } | undefined;
  return row && { state: row.state, changedAt: Date.parse(row.changed_at) };
}

export function setCodeState(db: WritableDb, key: string, state: CodeState, at: number): void {
  db.prepare(
    `INSERT INTO gift_card_codes (key, state, changed_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET state = excluded.state, changed_at = excluded.changed_at`,
  ).run(key, state, new Date(at).toISOString());
}

export function clearCodeState(db: WritableDb, key: string): void {
  db.prepare('DELETE FROM gift_card_codes WHERE key = ?').run(key);
}

/**
 * The till drew (or may have drawn) on this code: unless `wallets/info` already showed the code survives a
 * transaction (`reusable`), it is `used` until a lookup answers.
 */
export function markCodeUsed(db: WritableDb, key: string, at: number): void {
  if (getCodeState(db, key)?.state === 'reusable') return;
  setCodeState(db, key, 'used', at);
}

/**
 * A drawdown on this code landed (online at tender time, or an offline tender's delivery from the outbox): the
 * cached balance drops by what was drawn, as of now, and the code is `used`. Moving `fetched_at` to now keeps the
 * offline limits' look-back right: the tender just delivered is no longer "taken since the reading" (its amount is
 * in the figure now), and tenders still undelivered are counted by their envelopes (main/store/offline-limits.ts).
 */
export function noteCodeDrawn(db: WritableDb, key: string, amountMinor: number, at: number): void {
  db.transaction(() => {
    const cached = getBalance(db, 'gift_card', key);
    if (cached) putBalance(db, 'gift_card', key, Math.max(0, cached.balanceMinor - amountMinor), at);
    markCodeUsed(db, key, at);
  }).immediate();
}
