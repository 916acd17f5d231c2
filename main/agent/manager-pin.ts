import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { TillError } from '../core/errors';
import { afterFailure, attemptsLeft, checkLock, type LockoutState, NO_LOCKOUT, pinProblem } from '../core/manager';
import type { WritableDb } from '../store';
import { getPinHash, setPinHash, type StoredPinHash, updateLockout } from '../store/manager-auth';

/**
 * The manager PIN: stored only as a salted scrypt hash (node:crypto, memory-hard, so a copied database does
 * not give the PIN away in seconds), checked in constant time, with the lockout of main/core/manager. The PIN
 * is never logged, stored or returned; errors name what was wrong, never the PIN.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;
const SALT_BYTES = 16;

/** The demo till's PIN (docs/screens.md): a demo store without one could not show its back office. */
export const DEMO_MANAGER_PIN = '1234';

function derive(pin: string, salt: Buffer, params: StoredPinHash['params']): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem: scrypt needs 128 * N * r bytes; node's default cap (32 MiB) is just short of N = 2^15, r = 8.
    scrypt(pin, salt, params.keyLength, { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPin(pin: string, now: Date, params: StoredPinHash['params'] = SCRYPT_PARAMS): Promise<StoredPinHash> {
  const problem = pinProblem(pin);
  if (problem) throw new TillError('SCHEMA_INVALID', problem);
  const salt = randomBytes(SALT_BYTES);
  return { algorithm: 'scrypt', salt, hash: await derive(pin, salt, params), params: { ...params }, setAt: now.getTime() };
}

export async function pinMatches(pin: string, stored: StoredPinHash): Promise<boolean> {
  const key = await derive(pin, stored.salt, stored.params);
  return key.length === stored.hash.length && timingSafeEqual(key, stored.hash);
}

export async function setManagerPin(db: WritableDb, pin: string, now: Date, params?: StoredPinHash['params']): Promise<void> {
  setPinHash(db, await hashPin(pin, now, params));
}

/** Sets the demo PIN on a demo till that has none yet; a PIN someone set is never replaced. */
export async function ensureDemoPin(db: WritableDb, now: Date): Promise<boolean> {
  if (getPinHash(db)) return false;
  await setManagerPin(db, DEMO_MANAGER_PIN, now);
  return true;
}

export type PinCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'wrong-pin'; readonly attemptsLeft: number }
  | { readonly ok: false; readonly reason: 'locked'; readonly retryAfterMs: number }
  | { readonly ok: false; readonly reason: 'no-pin' };

const loginQueues = new WeakMap<WritableDb, Promise<unknown>>();

/**
 * Checks a PIN against the stored hash and updates the stored lockout; one check at a time per database.
 *
 * The attempt is counted as a failure and the lock checked in one transaction BEFORE the slow hash, and the
 * lock is checked again after it (issue 19, finding 2: checking only before let parallel logins run about 30
 * guesses past a lock of five, and a right PIN that started during a lock cleared it). While locked the PIN
 * is not even compared, so guessing during a lockout learns nothing and costs nothing.
 */
export function checkManagerPin(db: WritableDb, pin: string, now: () => Date): Promise<PinCheck> {
  const previous = loginQueues.get(db) ?? Promise.resolve();
  const run = previous.then(
    () => checkOnce(db, pin, now),
    () => checkOnce(db, pin, now),
  );
  loginQueues.set(db, run);
  return run;
}

async function checkOnce(db: WritableDb, pin: string, now: () => Date): Promise<PinCheck> {
  const stored = getPinHash(db);
  if (!stored) return { ok: false, reason: 'no-pin' };
  // Counted as wrong before hashing: a crash, a kill or a parallel attempt cannot get a free guess.
  const begun = updateLockout(db, (state): { save?: LockoutState; result: PinCheck | { counted: LockoutState } } => {
    const lock = checkLock(state, now().getTime());
    if (lock.locked) return { result: { ok: false, reason: 'locked', retryAfterMs: lock.retryAfterMs } };
    const counted = afterFailure(state, now().getTime());
    return { save: counted, result: { counted } };
  });
  if (!('counted' in begun)) return begun;
  const matches = await pinMatches(pin, stored);
  return updateLockout(db, (state): { save?: LockoutState; result: PinCheck } => {
    // A lock set by anything but this attempt's own count (another process's attempts) refuses even a right PIN.
    const lock = checkLock(state, now().getTime());
    const ownLock = state.lockedUntil !== null && state.lockedUntil === begun.counted.lockedUntil;
    if (lock.locked && !ownLock) return { result: { ok: false, reason: 'locked', retryAfterMs: lock.retryAfterMs } };
    if (matches) return { save: NO_LOCKOUT, result: { ok: true } };
    return { result: lock.locked ? { ok: false, reason: 'locked', retryAfterMs: lock.retryAfterMs } : { ok: false, reason: 'wrong-pin', attemptsLeft: attemptsLeft(state) } };
  });
}
