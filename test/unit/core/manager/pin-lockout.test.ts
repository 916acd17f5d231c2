import { describe, expect, it } from 'vitest';
import { afterFailure, attemptsLeft, BASE_LOCK_MS, checkLock, lockDurationMs, MAX_ATTEMPTS, MAX_LOCK_MS, NO_LOCKOUT, pinProblem, type LockoutState } from '../../../../main/core/manager';

function fail(state: LockoutState, times: number, at: number): LockoutState {
  let s = state;
  for (let i = 0; i < times; i++) s = afterFailure(s, at);
  return s;
}

describe('manager PIN lockout policy', () => {
  it('counts wrong PINs down and locks on the fifth', () => {
    const four = fail(NO_LOCKOUT, MAX_ATTEMPTS - 1, 1_000);
    expect(attemptsLeft(four)).toBe(1);
    expect(checkLock(four, 1_000)).toEqual({ locked: false });
    const locked = afterFailure(four, 1_000);
    expect(checkLock(locked, 1_000)).toEqual({ locked: true, retryAfterMs: BASE_LOCK_MS });
    expect(checkLock(locked, 1_000 + BASE_LOCK_MS - 1)).toEqual({ locked: true, retryAfterMs: 1 });
    expect(checkLock(locked, 1_000 + BASE_LOCK_MS)).toEqual({ locked: false });
  });

  it('locks for longer each time (doubling), up to an hour', () => {
    let s = NO_LOCKOUT;
    const lengths: number[] = [];
    let at = 0;
    for (let lock = 0; lock < 10; lock++) {
      s = fail(s, MAX_ATTEMPTS, at);
      lengths.push((s.lockedUntil ?? 0) - at);
      at = s.lockedUntil ?? at;
    }
    expect(lengths.slice(0, 4)).toEqual([BASE_LOCK_MS, 2 * BASE_LOCK_MS, 4 * BASE_LOCK_MS, 8 * BASE_LOCK_MS]);
    expect(Math.max(...lengths)).toBe(MAX_LOCK_MS);
    expect(lockDurationMs(100)).toBe(MAX_LOCK_MS);
  });

  it('accepts 4 to 12 digits only', () => {
    expect(pinProblem('1234')).toBeUndefined();
    expect(pinProblem('123456789012')).toBeUndefined();
    for (const bad of ['123', '1234567890123', '12a4', ' 1234', '']) expect(pinProblem(bad)).toMatch(/4 to 12 digits/);
  });
});
