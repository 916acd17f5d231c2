import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkManagerPin, DEMO_MANAGER_PIN, ensureDemoPin, hashPin, pinMatches, SCRYPT_PARAMS, setManagerPin } from '../../../main/agent/manager-pin';
import { BASE_LOCK_MS, MAX_ATTEMPTS } from '../../../main/core/manager';
import { openDb } from '../../../main/store';
import { getLockout, getPinHash } from '../../../main/store/manager-auth';
import { tempDir } from '../../helpers/temp-dir';

/** Cheap scrypt cost for the tests that check many PINs; one test uses the real parameters. */
const FAST = { N: 2 ** 10, r: 8, p: 1, keyLength: 32 };
const T0 = new Date('2026-03-02T10:00:00.000Z');

function tillFile(): string {
  return path.join(tempDir('manager-pin-'), 'till.sqlite');
}

describe('manager PIN on a real SQLite file', () => {
  it('stores only a salted scrypt hash: the PIN is nowhere in the file, and two hashes of one PIN differ', async () => {
    const file = tillFile();
    const db = openDb(file);
    await setManagerPin(db, '4711', T0);
    const stored = getPinHash(db);
    expect(stored?.params).toEqual(SCRYPT_PARAMS);
    expect(stored?.salt.length).toBe(16);
    expect(await pinMatches('4711', stored ?? (undefined as never))).toBe(true);
    expect(await pinMatches('4712', stored ?? (undefined as never))).toBe(false);
    const again = await hashPin('4711', T0, FAST);
    expect(again.salt.equals(stored?.salt ?? Buffer.alloc(0))).toBe(false);
    db.close();
    const bytes = fs.readFileSync(file);
    const wal = fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0);
    expect(bytes.includes('4711')).toBe(false);
    expect(wal.includes('4711')).toBe(false);
  });

  it('refuses a malformed PIN without storing anything', async () => {
    const db = openDb(tillFile());
    await expect(setManagerPin(db, '12', T0, FAST)).rejects.toMatchObject({ code: 'SCHEMA_INVALID' });
    expect(getPinHash(db)).toBeUndefined();
    db.close();
  });

  it('locks after five wrong PINs, keeps the lock across a restart, and a right PIN after it clears the count', async () => {
    const file = tillFile();
    let db = openDb(file);
    await setManagerPin(db, '4711', T0, FAST);
    let now = T0.getTime();
    const clock = (): Date => new Date(now);
    for (let i = 1; i < MAX_ATTEMPTS; i++) expect(await checkManagerPin(db, '0000', clock)).toEqual({ ok: false, reason: 'wrong-pin', attemptsLeft: MAX_ATTEMPTS - i });
    expect(await checkManagerPin(db, '0000', clock)).toEqual({ ok: false, reason: 'locked', retryAfterMs: BASE_LOCK_MS });

    // A restart: the lock is in the file, so the right PIN is still refused until the lock ends.
    db.close();
    db = openDb(file);
    now += 1_000;
    expect(await checkManagerPin(db, '4711', clock)).toEqual({ ok: false, reason: 'locked', retryAfterMs: BASE_LOCK_MS - 1_000 });
    now += BASE_LOCK_MS;
    expect(await checkManagerPin(db, '4711', clock)).toEqual({ ok: true });
    expect(getLockout(db)).toEqual({ failedAttempts: 0, lockouts: 0, lockedUntil: null });

    // The second lockout after a success starts again at the base length...
    for (let i = 0; i < MAX_ATTEMPTS; i++) await checkManagerPin(db, '0000', clock);
    expect(getLockout(db).lockedUntil).toBe(now + BASE_LOCK_MS);
    // ...and one without a success in between lasts twice as long.
    now += BASE_LOCK_MS;
    for (let i = 0; i < MAX_ATTEMPTS; i++) await checkManagerPin(db, '0000', clock);
    expect(getLockout(db).lockedUntil).toBe(now + 2 * BASE_LOCK_MS);

    // Setting a new PIN (at the till's console) clears the lock.
    await setManagerPin(db, '8080', clock(), FAST);
    expect(await checkManagerPin(db, '8080', clock)).toEqual({ ok: true });
    db.close();
  });

  it('a demo till gets the demo PIN once; a PIN someone set is never replaced', async () => {
    const db = openDb(tillFile());
    expect(await ensureDemoPin(db, T0)).toBe(true);
    expect(await checkManagerPin(db, DEMO_MANAGER_PIN, () => T0)).toEqual({ ok: true });
    await setManagerPin(db, '9999', T0, FAST);
    expect(await ensureDemoPin(db, T0)).toBe(false);
    expect(await checkManagerPin(db, '9999', () => T0)).toEqual({ ok: true });
    expect(await checkManagerPin(db, '0000', () => T0)).toMatchObject({ ok: false, reason: 'wrong-pin' });
    db.close();
  });

  it('without a PIN set, a login says so', async () => {
    const db = openDb(tillFile());
    expect(await checkManagerPin(db, '1234', () => T0)).toEqual({ ok: false, reason: 'no-pin' });
    db.close();
  });

  it('40 parallel wrong PINs get at most the allowed wrong-pin answers before locked, and a right PIN during the lock fails', async () => {
    const db = openDb(tillFile());
    await setManagerPin(db, '4711', T0, FAST);
    const answers = await Promise.all(Array.from({ length: 40 }, () => checkManagerPin(db, '0000', () => T0)));
    const wrong = answers.filter((a) => !a.ok && a.reason === 'wrong-pin');
    expect(wrong.length).toBe(MAX_ATTEMPTS - 1);
    // Answers come in order: every answer after the last wrong-pin is locked.
    expect(answers.slice(MAX_ATTEMPTS - 1).every((a) => !a.ok && a.reason === 'locked')).toBe(true);
    // One lockout, not eight: the attempts past the lock were never compared or counted.
    expect(getLockout(db)).toEqual({ failedAttempts: 0, lockouts: 1, lockedUntil: T0.getTime() + BASE_LOCK_MS });
    // The right PIN, alone or in a crowd, during the lock: refused, and the lock stands.
    const during = await Promise.all([checkManagerPin(db, '4711', () => T0), checkManagerPin(db, '0000', () => T0), checkManagerPin(db, '4711', () => T0)]);
    expect(during.map((a) => (a.ok ? 'ok' : a.reason))).toEqual(['locked', 'locked', 'locked']);
    expect(getLockout(db).lockedUntil).toBe(T0.getTime() + BASE_LOCK_MS);
    db.close();
  });

  it('counts each attempt before the hash, so two connections to one file (two processes) cannot share guesses past the lock', async () => {
    const file = tillFile();
    const a = openDb(file);
    await setManagerPin(a, '4711', T0, FAST);
    const b = openDb(file);
    // Different connections are not serialized by the in-process queue: only the counted-first transaction bounds them.
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => checkManagerPin(i % 2 ? a : b, '0000', () => T0)));
    expect(answers.filter((x) => !x.ok && x.reason === 'wrong-pin').length).toBeLessThanOrEqual(MAX_ATTEMPTS - 1);
    expect(getLockout(a).lockouts).toBe(1);
    expect(await checkManagerPin(b, '4711', () => T0)).toMatchObject({ ok: false, reason: 'locked' });
    a.close();
    b.close();
  });

  it('a right PIN as the attempt that reaches the limit still logs in (its own count set the lock)', async () => {
    const db = openDb(tillFile());
    await setManagerPin(db, '4711', T0, FAST);
    for (let i = 1; i < MAX_ATTEMPTS; i++) await checkManagerPin(db, '0000', () => T0);
    expect(await checkManagerPin(db, '4711', () => T0)).toEqual({ ok: true });
    expect(getLockout(db)).toEqual({ failedAttempts: 0, lockouts: 0, lockedUntil: null });
    db.close();
  });
});
