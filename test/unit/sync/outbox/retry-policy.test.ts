import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRetryAfter, classifyHttpStatus } from '../../../../main/sync/outbox/connector';
import { backoffDelay, nextAttemptAt, seededRandom, type RetryPolicy } from '../../../../main/sync/outbox/retry-policy';

const policy: RetryPolicy = { baseMs: 1000, capMs: 60_000, maxRetryAfterMs: 3_600_000 };

describe('backoff with full jitter', () => {
  it('stays within [0, min(cap, base * 2^(attempt-1))) for any attempt and random draw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const d = backoffDelay(policy, attempt, () => r);
        const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(Math.max(ceiling, 1));
      }),
      { seed: 20261123 },
    );
  });

  it('grows exponentially until the cap: the top of the range doubles per attempt', () => {
    const top = (attempt: number): number => backoffDelay(policy, attempt, () => 0.999999);
    expect(top(2)).toBeGreaterThan(top(1) * 1.9);
    expect(top(3)).toBeGreaterThan(top(2) * 1.9);
    expect(top(40)).toBeLessThan(policy.capMs);
    expect(top(40)).toBeGreaterThan(policy.capMs * 0.99);
  });

  it('is jittered: a seeded source spreads the delays of one attempt over the range', () => {
    const random = seededRandom(20261123);
    const delays = Array.from({ length: 200 }, () => backoffDelay(policy, 5, random));
    const ceiling = policy.baseMs * 16;
    expect(Math.min(...delays)).toBeLessThan(ceiling * 0.1);
    expect(Math.max(...delays)).toBeGreaterThan(ceiling * 0.9);
    expect(new Set(delays).size).toBeGreaterThan(150);
  });

  it('treats a broken random source as zero delay instead of a negative or huge one', () => {
    expect(backoffDelay(policy, 3, () => Number.NaN)).toBe(0);
    expect(backoffDelay(policy, 3, () => 7)).toBe(0);
  });

  it('a seeded source is reproducible', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
  });
});

describe('next attempt time', () => {
  it('honours Retry-After exactly, never earlier than now and never beyond the clip', () => {
    const now = 1_000_000;
    expect(nextAttemptAt(policy, { type: 'transient', reason: '429', retryAt: now + 30_000 }, 1, now, () => 0.5)).toBe(now + 30_000);
    expect(nextAttemptAt(policy, { type: 'transient', reason: '429', retryAt: now - 5 }, 1, now, () => 0.5)).toBe(now);
    expect(nextAttemptAt(policy, { type: 'transient', reason: '429', retryAt: now + 10 * 3_600_000 }, 1, now, () => 0.5)).toBe(now + 3_600_000);
  });

  it('never schedules sooner than the floor, whatever the jitter draw or Retry-After', () => {
    const floored = { ...policy, minMs: 100 };
    expect(nextAttemptAt(floored, { type: 'transient', reason: '503' }, 1, 0, () => 0)).toBe(100);
    expect(nextAttemptAt(floored, { type: 'transient', reason: '429', retryAt: 0 }, 1, 0, () => 0.5)).toBe(100);
    expect(nextAttemptAt(floored, { type: 'transient', reason: '429', retryAt: 5_000 }, 1, 0, () => 0.5)).toBe(5_000);
  });

  it('falls back to the backoff without Retry-After', () => {
    const now = 5_000;
    expect(nextAttemptAt(policy, { type: 'transient', reason: '503' }, 3, now, () => 0.5)).toBe(now + backoffDelay(policy, 3, () => 0.5));
  });
});

describe('HTTP classification and Retry-After parsing', () => {
  it('maps statuses to results as DESIGN.md §5 says', () => {
    expect(classifyHttpStatus(201, { reason: '' }).type).toBe('applied');
    expect(classifyHttpStatus(409, { reason: '' }).type).toBe('already_applied');
    expect(classifyHttpStatus(409, { reason: 'other', ownKeyConflict: false }).type).toBe('permanent');
    expect(classifyHttpStatus(429, { reason: '', retryAt: 9 })).toEqual({ type: 'transient', reason: '', retryAt: 9 });
    expect(classifyHttpStatus(503, { reason: 'down' }).type).toBe('transient');
    expect(classifyHttpStatus(500, { reason: 'oops' }).type).toBe('transient');
    expect(classifyHttpStatus(400, { reason: 'bad' })).toEqual({ type: 'permanent', reason: 'bad' });
    expect(classifyHttpStatus(404, { reason: 'no member' }).type).toBe('permanent');
  });

  it('reads seconds and HTTP dates, and ignores rubbish', () => {
    const now = Date.UTC(2026, 10, 23, 9, 0, 0);
    expect(parseRetryAfter('120', now)).toBe(now + 120_000);
    expect(parseRetryAfter(new Date(now + 60_000).toUTCString(), now)).toBe(now + 60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
