export { afterFailure, attemptsLeft, BASE_LOCK_MS, checkLock, lockDurationMs, MAX_ATTEMPTS, MAX_LOCK_MS, NO_LOCKOUT, PIN_PATTERN, pinProblem, type LockCheck, type LockoutState } from './pin-lockout';
