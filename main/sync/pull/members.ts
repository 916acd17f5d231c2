import type { ConnectorLogger } from '../connectors/http';
import { NULL_LOGGER } from '../connectors/http';
import { isMemberNotFound, type LoyaltyClient } from '../connectors/loyalty/loyalty-client';
import { balancesOf } from '../connectors/loyalty/member-balance';
import type { WritableDb } from '../../store/db-types';
import {
  cacheMember,
  cachedMemberByEmailHash,
  cachedMemberByExternalId,
  cachedMemberByKey,
  cachedMemberByPhoneHash,
  forgetMember,
  forgetMemberContact,
  staleMemberKeys,
  type CachedMember,
} from '../../store/member-cache';
import { lookupHasher, normalizeEmail, normalizePhone, type LookupHasher } from './lookup-hash';
import { fromCache, NOT_CONFIGURED, refused, type LookupOutcome } from './lookup-outcome';

/** Send only one identifier (the Loyalty API's rule for `/member/shortCode`; `/member/details` takes any). */
export type MemberQuery = { readonly membershipKey: string } | { readonly externalId: string } | { readonly phoneNumber: string } | { readonly email: string };
export type MemberContact = { readonly phoneNumber: string } | { readonly email: string };

/** A member as the till keeps it: the profile without phone number and e-mail, the balances, the active assets. */
export type Member = {
  readonly membershipKey: string;
  readonly profile: Readonly<Record<string, unknown>>;
  readonly assets: readonly unknown[];
  readonly points: number | null;
  readonly credit: number | null;
};

export type MemberDeps = {
  readonly db: WritableDb;
  /** Undefined when the till has no Loyalty API configured: lookups are served from the cache. */
  readonly client: LoyaltyClient | undefined;
  readonly now: () => number;
  /** Gets what was asked and how it ended, never who: no phone number, e-mail or membership key. */
  readonly logger?: ConnectorLogger;
};

/** Contacts are never stored in the clear; the key and balances have their own columns. */
const OMITTED_FROM_PROFILE: ReadonlySet<string> = new Set(['phoneNumber', 'email', 'membershipKey', 'points', 'credit']);

function rec(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function by(query: MemberQuery): 'membership_key' | 'external_id' | 'phone' | 'email' {
  return 'membershipKey' in query ? 'membership_key' : 'externalId' in query ? 'external_id' : 'phoneNumber' in query ? 'phone' : 'email';
}

/** The identifier as the API takes it: the phone without spacing, the e-mail trimmed and in lower case. */
function wireId(query: MemberQuery): Record<string, string> {
  if ('membershipKey' in query) return { membershipKey: query.membershipKey.trim() };
  if ('externalId' in query) return { externalId: query.externalId.trim() };
  if ('phoneNumber' in query) return { phoneNumber: normalizePhone(query.phoneNumber) };
  return { email: normalizeEmail(query.email) };
}

function toMember(cached: CachedMember): Member {
  const body = cached.body;
  return {
    membershipKey: cached.membershipKey,
    profile: rec(body.profile) ?? {},
    assets: Array.isArray(body.assets) ? (body.assets as unknown[]) : [],
    points: cached.points,
    credit: cached.credit,
  };
}

function cachedFor(deps: MemberDeps, hasher: LookupHasher, query: MemberQuery): { value: Member; fetchedAt: number } | undefined {
  const hit =
    'membershipKey' in query
      ? cachedMemberByKey(deps.db, query.membershipKey.trim())
      : 'externalId' in query
        ? cachedMemberByExternalId(deps.db, query.externalId.trim())
      : 'phoneNumber' in query
        ? cachedMemberByPhoneHash(deps.db, hasher.hash('phone', query.phoneNumber))
        : cachedMemberByEmailHash(deps.db, hasher.hash('email', query.email));
  return hit && { value: toMember(hit), fetchedAt: hit.fetchedAt };
}

/** Stores a `/member/details` answer; undefined when it names no member. */
function storeDetails(deps: MemberDeps, hasher: LookupHasher, query: MemberQuery, data: Record<string, unknown>): { value: Member; fetchedAt: number } | undefined {
  const raw = rec(data.member) ?? data;
  const membershipKey = str(raw.membershipKey);
  if (membershipKey === undefined) return undefined;
  const profile = Object.fromEntries(Object.entries(raw).filter(([k]) => !OMITTED_FROM_PROFILE.has(k)));
  // Found by membership number: keep the number with the member, so an offline scan of the card finds it again.
  if ('externalId' in query && str(profile.externalId) === undefined) profile.externalId = query.externalId.trim();
  const assets = Array.isArray(data.assets) ? (data.assets as unknown[]) : [];
  const { points, credit } = balancesOf(data);
  // The answer's own phone and e-mail win; the query's stand in when the answer leaves them out.
  const phone = str(raw.phoneNumber) ?? ('phoneNumber' in query ? query.phoneNumber : undefined);
  const email = str(raw.email) ?? ('email' in query ? query.email : undefined);
  const fetchedAt = deps.now();
  const cached: CachedMember = { membershipKey, body: { profile, assets }, points, credit, fetchedAt };
  cacheMember(deps.db, {
    ...cached,
    phoneHash: phone === undefined ? null : hasher.hash('phone', phone),
    emailHash: email === undefined ? null : hasher.hash('email', email),
  });
  return { value: toMember(cached), fetchedAt };
}

/**
 * Looks a member up by membership key, phone number or e-mail (`/member/details`) and caches the answer with its
 * points and credit (also into `balance_cache` for the offline limits). When the API cannot be reached the last
 * cached answer is served with its age. "Not found" drops what the cache held under that identifier.
 */
export async function lookupMember(deps: MemberDeps, query: MemberQuery, options: { readonly signal?: AbortSignal } = {}): Promise<LookupOutcome<Member>> {
  const log = deps.logger ?? NULL_LOGGER;
  const hasher = lookupHasher(deps.db);
  const field = by(query);
  if (!deps.client) return fromCache(cachedFor(deps, hasher, query), deps.now(), `the Loyalty API is ${NOT_CONFIGURED}`);
  const result = await deps.client.post('member/details', { member: wireId(query) }, { headers: { 'x-return-assets': 'active' }, ...(options.signal ? { signal: options.signal } : {}) });
  if (!result.ok) {
    const failure = result.failure;
    if (isMemberNotFound(failure)) {
      if ('membershipKey' in query) forgetMember(deps.db, query.membershipKey.trim());
      else if ('externalId' in query) {
        const known = cachedMemberByExternalId(deps.db, query.externalId.trim());
        if (known) forgetMember(deps.db, known.membershipKey);
      }
      else if ('phoneNumber' in query) forgetMemberContact(deps.db, 'phone', hasher.hash('phone', query.phoneNumber));
      else forgetMemberContact(deps.db, 'email', hasher.hash('email', query.email));
      log.info({ lookup: 'member', by: field, status: 'not_found' }, 'member lookup');
      return { status: 'not_found' };
    }
    if (failure.kind === 'permanent') {
      log.warn({ lookup: 'member', by: field, status: 'refused', reason: failure.reason }, 'member lookup');
      return refused(failure);
    }
    const outcome = fromCache(cachedFor(deps, hasher, query), deps.now(), failure.reason);
    log.info({ lookup: 'member', by: field, status: outcome.status, source: 'cache', reason: failure.reason }, 'member lookup offline');
    return outcome;
  }
  const stored = storeDetails(deps, hasher, query, result.data);
  if (!stored) {
    const outcome = fromCache(cachedFor(deps, hasher, query), deps.now(), 'member answer without a membership key');
    log.warn({ lookup: 'member', by: field, status: outcome.status }, 'member answer not understood');
    return outcome;
  }
  log.debug({ lookup: 'member', by: field, status: 'found', source: 'online' }, 'member lookup');
  return { status: 'found', source: 'online', value: stored.value, fetchedAt: stored.fetchedAt };
}

function contactId(contact: MemberContact): Record<string, string> {
  return 'phoneNumber' in contact ? { phoneNumber: normalizePhone(contact.phoneNumber) } : { email: normalizeEmail(contact.email) };
}

export type ShortCodeSent = { readonly status: 'sent' } | { readonly status: 'not_found' } | { readonly status: 'unavailable'; readonly reason: string } | { readonly status: 'refused'; readonly reason: string };

/** Asks the API to send the member a one-time code (SMS or e-mail) that proves who is at the till. */
export async function sendMemberShortCode(deps: MemberDeps, contact: MemberContact, options: { readonly signal?: AbortSignal } = {}): Promise<ShortCodeSent> {
  if (!deps.client) return { status: 'unavailable', reason: `the Loyalty API is ${NOT_CONFIGURED}` };
  const result = await deps.client.post('member/shortCode', { member: contactId(contact), action: 'send' }, options.signal ? { signal: options.signal } : {});
  if (result.ok) return { status: 'sent' };
  if (isMemberNotFound(result.failure)) return { status: 'not_found' };
  return result.failure.kind === 'transient' ? { status: 'unavailable', reason: result.failure.reason } : { status: 'refused', reason: result.failure.reason };
}

export type ShortCodeVerified =
  | { readonly status: 'verified'; readonly member: LookupOutcome<Member> }
  | { readonly status: 'rejected'; readonly reason: string; readonly code?: string }
  | { readonly status: 'not_found' }
  | { readonly status: 'unavailable'; readonly reason: string };

/**
 * Verifies the code the member read out (`/member/shortCode`, action `verify`), then looks the member up so the
 * cache and balances are fresh. A code can only be checked online: offline there is nothing to verify against.
 */
export async function verifyMemberShortCode(
  deps: MemberDeps,
  contact: MemberContact,
  code: string,
  options: { readonly signal?: AbortSignal } = {},
): Promise<ShortCodeVerified> {
  const log = deps.logger ?? NULL_LOGGER;
  if (!deps.client) return { status: 'unavailable', reason: `the Loyalty API is ${NOT_CONFIGURED}` };
  const result = await deps.client.post('member/shortCode', { member: contactId(contact), action: 'verify', code: code.trim() }, options.signal ? { signal: options.signal } : {});
  if (!result.ok) {
    const failure = result.failure;
    if (isMemberNotFound(failure)) return { status: 'not_found' };
    if (failure.kind === 'transient') return { status: 'unavailable', reason: failure.reason };
    log.info({ lookup: 'short_code', status: 'rejected', code: failure.code }, 'short code rejected');
    return { status: 'rejected', reason: failure.reason, ...(failure.code === undefined ? {} : { code: failure.code }) };
  }
  if (result.data.verified === false) return { status: 'rejected', reason: 'the code was not accepted' };
  const key = str(result.data.membershipKey);
  const member = await lookupMember(deps, key === undefined ? contact : { membershipKey: key }, options);
  log.info({ lookup: 'short_code', status: 'verified' }, 'short code verified');
  return { status: 'verified', member };
}

export type MembersRefresh = { readonly refreshed: number; readonly notFound: number; readonly stoppedBy?: string };

/**
 * The scheduled refresh: reads again the members whose cached answer is older than `olderThanMs`, oldest first,
 * at most `limit` per run, so balances for the offline limits stay recent. Stops at the first answer that says
 * the API is out of reach or refusing: the rest would fail the same way.
 */
export async function refreshStaleMembers(
  deps: MemberDeps,
  options: { readonly olderThanMs: number; readonly limit: number; readonly signal?: AbortSignal },
): Promise<MembersRefresh> {
  if (!deps.client) return { refreshed: 0, notFound: 0, stoppedBy: `the Loyalty API is ${NOT_CONFIGURED}` };
  let refreshed = 0;
  let notFound = 0;
  for (const membershipKey of staleMemberKeys(deps.db, deps.now() - options.olderThanMs, options.limit)) {
    const outcome = await lookupMember(deps, { membershipKey }, options.signal ? { signal: options.signal } : {});
    if (outcome.status === 'not_found') notFound++;
    else if (outcome.status === 'found' && outcome.source === 'online') refreshed++;
    else return { refreshed, notFound, stoppedBy: outcome.reason };
  }
  return { refreshed, notFound };
}
