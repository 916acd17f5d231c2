import type { HttpFailure } from '../connectors/http';

/**
 * What an on-demand lookup answers. `online` is the back end's answer, just cached. `cache` is the last known
 * answer served because the back end could not be reached, with its fetch time and age so the screen can say
 * "as of". `unavailable`: unreachable and nothing cached. `refused`: the back end refused the request itself
 * (bad input, missing scope, wrong PIN); the cache is not a substitute for a refusal.
 */
export type LookupOutcome<T> =
  | { readonly status: 'found'; readonly source: 'online'; readonly value: T; readonly fetchedAt: number }
  | { readonly status: 'found'; readonly source: 'cache'; readonly value: T; readonly fetchedAt: number; readonly ageMs: number; readonly reason: string }
  | { readonly status: 'not_found' }
  | { readonly status: 'unavailable'; readonly reason: string }
  | { readonly status: 'refused'; readonly reason: string; readonly code?: string };

export const NOT_CONFIGURED = 'not configured on this till';

/** The cached answer when the back end is out of reach (or not configured), else `unavailable`. */
export function fromCache<T>(cached: { readonly value: T; readonly fetchedAt: number } | undefined, now: number, reason: string): LookupOutcome<T> {
  if (!cached) return { status: 'unavailable', reason };
  return { status: 'found', source: 'cache', value: cached.value, fetchedAt: cached.fetchedAt, ageMs: Math.max(0, now - cached.fetchedAt), reason };
}

export function refused<T>(failure: Extract<HttpFailure, { kind: 'permanent' }>): LookupOutcome<T> {
  return { status: 'refused', reason: failure.reason, ...(failure.code === undefined ? {} : { code: failure.code }) };
}
