import type { ReadableDb, WritableDb } from './db-types';

/**
 * Last known balances (migration 0040's `balance_cache`): gift cards by the keyed hash of their token, loyalty
 * points and credit by membership key. The offline limits check a value tender against these, and the "as of"
 * time says how old the figure is. `fetched_at` is an ISO time in this table; callers see epoch milliseconds.
 */

export type BalanceKind = 'gift_card' | 'loyalty_points' | 'loyalty_credit';

export type CachedBalance = {
  readonly kind: BalanceKind;
  readonly key: string;
  readonly balanceMinor: number;
  readonly fetchedAt: number;
};

export function putBalance(db: WritableDb, kind: BalanceKind, key: string, balanceMinor: number, fetchedAt: number): void {
  if (!Number.isSafeInteger(balanceMinor)) throw new TypeError(`a cached ${kind} balance must be an integer of minor units`);
  db.prepare(
    `INSERT INTO balance_cache (kind, key, balance_minor, fetched_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (kind, key) DO UPDATE SET balance_minor = excluded.balance_minor, fetched_at = excluded.fetched_at`,
  ).run(kind, key, balanceMinor, new Date(fetchedAt).toISOString());
}

export function getBalance(db: ReadableDb, kind: BalanceKind, key: string): CachedBalance | undefined {
  const row = db.prepare('SELECT balance_minor, fetched_at FROM balance_cache WHERE kind = ? AND key = ?').get(kind, key) as
    | { balance_minor: number; fetched_at: string }
    | undefined;
  return row && { kind, key, balanceMinor: row.balance_minor, fetchedAt: Date.parse(row.fetched_at) };
}

export function deleteBalance(db: WritableDb, kind: BalanceKind, key: string): void {
  db.prepare('DELETE FROM balance_cache WHERE kind = ? AND key = ?').run(kind, key);
}
