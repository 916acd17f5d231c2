import type { RandomSource } from '../../core/seeded-random';
import type { DeliveryResult } from './connector';

export type RetryPolicy = {
  /** Backoff ceiling before jitter for the first retry, ms. */
  readonly baseMs: number;
  /** No computed backoff exceeds this, ms. */
  readonly capMs: number;
  /** A server's Retry-After further away than this is clipped to it, so a broken header cannot park a sale for days. */
  readonly maxRetryAfterMs: number;
  /**
   * No retry comes sooner than this, ms: a jitter draw near zero or a `Retry-After: 0` from a failing server
   * must not turn the worker into a busy loop against it.
   */
  readonly minMs?: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, capMs: 5 * 60_000, maxRetryAfterMs: 60 * 60_000, minMs: 100 };

/** A source of uniform numbers in [0, 1); injected so tests can seed it. */
export type { RandomSource };

/**
 * "Full jitter" (AWS Architecture Blog, Exponential Backoff and Jitter): a uniform delay between 0 and
 * min(cap, base * 2^(attempt-1)). Spreads the retries of many tills instead of having them return together.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: RandomSource): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const r = random();
  const unit = r >= 0 && r < 1 ? r : 0;
  return Math.floor(unit * ceiling);
}

/** When to try a transient failure again: the server's Retry-After when it gave one, else the backoff. */
export function nextAttemptAt(
  policy: RetryPolicy,
  result: Extract<DeliveryResult, { type: 'transient' }>,
  attempt: number,
  nowMs: number,
  random: RandomSource,
): number {
  const earliest = nowMs + (policy.minMs ?? 0);
  if (result.retryAt !== undefined) return Math.min(Math.max(result.retryAt, earliest), nowMs + policy.maxRetryAfterMs);
  return Math.max(earliest, nowMs + backoffDelay(policy, attempt, random));
}

/** A deterministic generator for tests and reproducible runs (mulberry32, main/core/seeded-random.ts). */
export { seededRandom } from '../../core/seeded-random';
