/**
 * The manager PIN's lockout policy, pure: after MAX_ATTEMPTS wrong PINs in a row the PIN is locked for a period
 * that doubles with every further lockout (30 s, 1 min, 2 min ... capped at an hour). A right PIN after the lock
 * ends clears everything. The state is stored (main/store/manager-auth.ts), so a restart does not reset it.
 */
export const MAX_ATTEMPTS = 5;
export const BASE_LOCK_MS = 30_000;
export const MAX_LOCK_MS = 60 * 60_000;

export type LockoutState = {
  /** Wrong PINs since the last success or the last lockout. */
  readonly failedAttempts: number;
  /** Lockouts since the last success: sets the length of the next one. */
  readonly lockouts: number;
  /** Epoch ms; null when not locked. */
  readonly lockedUntil: number | null;
};

export const NO_LOCKOUT: LockoutState = { failedAttempts: 0, lockouts: 0, lockedUntil: null };

export type LockCheck = { readonly locked: false } | { readonly locked: true; readonly retryAfterMs: number };

export function checkLock(state: LockoutState, nowMs: number): LockCheck {
  return state.lockedUntil !== null && state.lockedUntil > nowMs ? { locked: true, retryAfterMs: state.lockedUntil - nowMs } : { locked: false };
}

export function lockDurationMs(lockouts: number): number {
  return Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** Math.max(0, lockouts - 1));
}

/** The state after a wrong PIN (only counted when not locked: a locked PIN is not even checked). */
export function afterFailure(state: LockoutState, nowMs: number): LockoutState {
  const failedAttempts = state.failedAttempts + 1;
  if (failedAttempts < MAX_ATTEMPTS) return { ...state, failedAttempts, lockedUntil: null };
  const lockouts = state.lockouts + 1;
  return { failedAttempts: 0, lockouts, lockedUntil: nowMs + lockDurationMs(lockouts) };
}

export function attemptsLeft(state: LockoutState): number {
  return MAX_ATTEMPTS - state.failedAttempts;
}

/** A PIN is digits only, 4 to 12 of them: typed on a keypad, and long enough that five tries guess nothing. */
export const PIN_PATTERN = /^\d{4,12}$/;

export function pinProblem(pin: string): string | undefined {
  return PIN_PATTERN.test(pin) ? undefined : 'The manager PIN must be 4 to 12 digits.';
}
