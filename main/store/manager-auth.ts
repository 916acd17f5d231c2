import { type LockoutState, NO_LOCKOUT } from '../core/manager';
import type { ReadableDb, WritableDb } from './db-types';
import { prepared } from './statements';

/** The manager PIN's stored hash and lockout state (migration 0110). The PIN itself is never stored. */
export type StoredPinHash = {
  readonly algorithm: 'scrypt';
  readonly salt: Buffer;
  readonly hash: Buffer;
  /** The scrypt cost parameters the hash was made with, so raising them later does not break old hashes. */
  readonly params: { readonly N: number; readonly r: number; readonly p: number; readonly keyLength: number };
  readonly setAt: number;
};

export function getPinHash(db: ReadableDb): StoredPinHash | undefined {
  const row = prepared(db, 'SELECT algorithm, salt, hash, params_json, set_at FROM manager_pin WHERE id = 1').get() as
    | { algorithm: 'scrypt'; salt: Buffer; hash: Buffer; params_json: string; set_at: number }
    | undefined;
  return row && { algorithm: row.algorithm, salt: row.salt, hash: row.hash, params: JSON.parse(row.params_json) as StoredPinHash['params'], setAt: row.set_at };
}

/** Replaces the PIN and clears any lockout: whoever may set the PIN (the till's owner at its console) may unlock it. */
export function setPinHash(db: WritableDb, pin: StoredPinHash): void {
  db.transaction(() => {
    prepared(
      db,
      `INSERT INTO manager_pin (id, algorithm, salt, hash, params_json, set_at) VALUES (1, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET algorithm = excluded.algorithm, salt = excluded.salt, hash = excluded.hash, params_json = excluded.params_json, set_at = excluded.set_at`,
    ).run(pin.algorithm, pin.salt, pin.hash, JSON.stringify(pin.params), pin.setAt);
    prepared(db, 'DELETE FROM manager_lockout').run();
  }).immediate();
}

export function getLockout(db: ReadableDb): LockoutState {
  const row = prepared(db, 'SELECT failed_attempts, lockouts, locked_until FROM manager_lockout WHERE id = 1').get() as
    | { failed_attempts: number; lockouts: number; locked_until: number | null }
    | undefined;
  return row ? { failedAttempts: row.failed_attempts, lockouts: row.lockouts, lockedUntil: row.locked_until } : NO_LOCKOUT;
}

export function saveLockout(db: WritableDb, state: LockoutState): void {
  prepared(
    db,
    `INSERT INTO manager_lockout (id, failed_attempts, lockouts, locked_until) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET failed_attempts = excluded.failed_attempts, lockouts = excluded.lockouts, locked_until = excluded.locked_until`,
  ).run(state.failedAttempts, state.lockouts, state.lockedUntil);
}

/**
 * Reads the lockout, decides and saves in one immediate transaction, so another process (or connection)
 * cannot slip an attempt between the read and the write.
 */
export function updateLockout<T>(db: WritableDb, decide: (state: LockoutState) => { readonly save?: LockoutState; readonly result: T }): T {
  return db
    .transaction(() => {
      const { save, result } = decide(getLockout(db));
      if (save) saveLockout(db, save);
      return result;
    })
    .immediate();
}
