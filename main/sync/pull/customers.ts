import { z } from 'zod';
import type { WritableDb } from '../../store/db-types';
import { cacheCustomers, cachedCustomerByHash, forgetCustomerLookup, type CachedCustomer } from '../../store/customer-cache';
import type { DinteroClient } from '../connectors/dintero/dintero-client';
import { NULL_LOGGER, type ConnectorLogger } from '../connectors/http';
import { fetchCustomerRefs } from './discount-refs';
import { lookupHasher, normalizeEmail, normalizePhone, type LookupHasher } from './lookup-hash';
import { fromCache, NOT_CONFIGURED, refused, type LookupOutcome } from './lookup-outcome';

/** How the cashier identifies a customer: a phone number, an e-mail, or a token (loyalty card, scanned QR). */
export type CustomerQuery = { readonly phoneNumber: string } | { readonly email: string } | { readonly token: string; readonly tokenType?: string };

/** A customer as the till keeps it: Dintero's customer without phone number, e-mail and tokens. */
export type Customer = { readonly customerId: string; readonly profile: Readonly<Record<string, unknown>> };

export type CustomerDeps = {
  readonly db: WritableDb;
  /** Undefined when the till has no Dintero client: lookups are served from the cache. */
  readonly client: DinteroClient | undefined;
  readonly now: () => number;
  /** Gets what was asked and how it ended, never the value asked for. */
  readonly logger?: ConnectorLogger;
};

/** A few, not one: the search is a prefix match, and an exact match may sort after a longer number. */
const SEARCH_LIMIT = 25;

const CustomersSchema = z.array(z.looseObject({ customer_id: z.string().min(1), phone_number: z.string().nullish(), email: z.string().nullish() }));

const OMITTED_FROM_PROFILE: ReadonlySet<string> = new Set(['customer_id', 'phone_number', 'email', 'tokens', 'token']);

type Field = 'phone' | 'email' | 'token';

function fieldOf(query: CustomerQuery): Field {
  return 'phoneNumber' in query ? 'phone' : 'email' in query ? 'email' : 'token';
}

function hashOf(hasher: LookupHasher, query: CustomerQuery): string {
  if ('phoneNumber' in query) return hasher.hash('phone', query.phoneNumber);
  if ('email' in query) return hasher.hash('email', query.email);
  return hasher.hash('customer_token', `${query.tokenType ?? ''}\u0000${query.token}`);
}

function searchParams(query: CustomerQuery): Record<string, string | number> {
  if ('phoneNumber' in query) return { phone_number: normalizePhone(query.phoneNumber), limit: SEARCH_LIMIT };
  if ('email' in query) return { email: normalizeEmail(query.email), limit: SEARCH_LIMIT };
  return { token_value: query.token.trim(), ...(query.tokenType === undefined ? {} : { token_type: query.tokenType }), limit: SEARCH_LIMIT };
}

function toCustomer(c: CachedCustomer): Customer {
  return { customerId: c.customerId, profile: c.body };
}

/**
 * Looks a customer up in Dintero (`GET customers/users`) and caches the answer with its fetch time. Dintero
 * matches prefixes, so for a phone number or e-mail only an exact match counts; a token search must name exactly
 * one customer. Offline, the last cached answer for the same value is served with its age.
 */
export async function lookupCustomer(deps: CustomerDeps, query: CustomerQuery, options: { readonly signal?: AbortSignal } = {}): Promise<LookupOutcome<Customer>> {
  const log = deps.logger ?? NULL_LOGGER;
  const hasher = lookupHasher(deps.db);
  const field = fieldOf(query);
  const hash = hashOf(hasher, query);
  const cached = (): { value: Customer; fetchedAt: number } | undefined => {
    const hit = cachedCustomerByHash(deps.db, field, hash);
    return hit && { value: toCustomer(hit), fetchedAt: hit.fetchedAt };
  };
  if (!deps.client) return fromCache(cached(), deps.now(), `Dintero is ${NOT_CONFIGURED}`);
  const result = await deps.client.call({ method: 'GET', path: 'customers/users', query: searchParams(query), ...(options.signal ? { signal: options.signal } : {}) });
  if (!result.ok) {
    const failure = result.failure;
    if (failure.kind === 'permanent') {
      log.warn({ lookup: 'customer', by: field, status: 'refused', reason: failure.reason }, 'customer lookup');
      return refused(failure);
    }
    const outcome = fromCache(cached(), deps.now(), failure.reason);
    log.info({ lookup: 'customer', by: field, status: outcome.status, source: 'cache', reason: failure.reason }, 'customer lookup offline');
    return outcome;
  }
  const parsed = CustomersSchema.safeParse(result.body);
  if (!parsed.success) {
    log.warn({ lookup: 'customer', by: field }, 'customer answer not understood');
    return fromCache(cached(), deps.now(), 'customer answer not understood');
  }
  const matches = parsed.data.filter((c) => {
    if ('phoneNumber' in query) return typeof c.phone_number === 'string' && normalizePhone(c.phone_number) === normalizePhone(query.phoneNumber);
    if ('email' in query) return typeof c.email === 'string' && normalizeEmail(c.email) === normalizeEmail(query.email);
    return true;
  });
  const match = matches[0];
  if (matches.length !== 1 || !match) {
    // Nobody, or a token prefix that names several customers: neither identifies anyone.
    forgetCustomerLookup(deps.db, field, hash);
    log.info({ lookup: 'customer', by: field, status: 'not_found', candidates: matches.length }, 'customer lookup');
    return { status: 'not_found' };
  }
  const fetchedAt = deps.now();
  const profile = Object.fromEntries(Object.entries(match).filter(([k]) => !OMITTED_FROM_PROFILE.has(k)));
  cacheCustomers(
    deps.db,
    [
      {
        customerId: match.customer_id,
        body: profile,
        fetchedAt,
        phoneHash: typeof match.phone_number === 'string' && match.phone_number !== '' ? hasher.hash('phone', match.phone_number) : null,
        emailHash: typeof match.email === 'string' && match.email !== '' ? hasher.hash('email', match.email) : null,
      },
    ],
    field === 'token' ? { hash, customerId: match.customer_id } : undefined,
  );
  // The customer's discount refs (server-issued, what claims name): fetched on identification. A failure here
  // keeps the last known list; the customer is found all the same.
  await fetchCustomerRefs({ db: deps.db, client: deps.client, now: deps.now, logger: log }, match.customer_id, options);
  log.debug({ lookup: 'customer', by: field, status: 'found', source: 'online' }, 'customer lookup');
  return { status: 'found', source: 'online', value: { customerId: match.customer_id, profile }, fetchedAt };
}
