import { z } from 'zod';
import type { WritableDb } from '../../store/db-types';
import { ALL_CUSTOMERS, customersToRefresh, forgetHolder, NO_CUSTOMER, replaceHolderRefs, type DiscountRef } from '../../store/discount-refs';
import type { DinteroClient } from '../connectors/dintero/dintero-client';
import { NULL_LOGGER, type ConnectorLogger, type HttpFailure } from '../connectors/http';

/**
 * The refs Dintero issues for discount rules, which claims and receipts must name (a ref the server did not issue
 * is refused). Sources (S1 = RobertoSnap/dintero-api-customers-ts src/api/dintero-discounts-api.d.ts):
 *
 * - a customer's refs: `GET discounts/customers/{customer_id}/rules` (`aid_discounts_customer_cid_get`), each
 *   entry a `Discount & CustomerDiscountStatistics & {ref_id}`; paged with `limit` and `starting_after` = the last
 *   `ref_id` ("Use value of `ref_id` as parameter value of `starting_after`"). Fetched when the customer is
 *   identified and refreshed with the rules pull.
 * - the public refs: `GET discounts/public/rules` (`aid_discounts_public_get`, `Discount & {ref_id}`, "public
 *   reference to the discount, a public discount may be given to all customer several times") for rules given to
 *   every identified customer (`*`), and the same with `no_customer_id=true` ("rules available for purchase where
 *   no customer id is provided") for `/`. ASSUMPTION (docs/connectors.md, vendor question D3): the first lists the
 *   `*` refs and the second the `/` refs; private rules are left out of both (S1 `Discount.private`), so a private
 *   rule reaches the till only through a customer's own list.
 */

const PAGE_SIZE = 100;

const RefPageSchema = z.array(
  z.looseObject({
    id: z.string().min(1),
    ref_id: z.string().min(1).nullish(),
    statistics: z.record(z.string(), z.unknown()).nullish(),
  }),
);

export type RefsFetch = { readonly status: 'fetched'; readonly refs: number } | { readonly status: 'not_found' } | { readonly status: 'failed'; readonly failure: HttpFailure };

export type RefsDeps = {
  readonly db: WritableDb;
  readonly client: DinteroClient;
  readonly now: () => number;
  readonly logger?: ConnectorLogger;
};

async function pagedRefs(
  client: DinteroClient,
  path: string,
  extra: Record<string, string | boolean>,
  signal: AbortSignal | undefined,
  /** Only the customer listing publishes `statistics` (S1 `CustomerDiscountStatistics`); the public one does not. */
  withStatistics: boolean,
): Promise<{ ok: true; refs: DiscountRef[] } | { ok: false; failure: HttpFailure }> {
  const refs: DiscountRef[] = [];
  let after: string | undefined;
  for (;;) {
    const result = await client.call({ method: 'GET', path, query: { ...extra, limit: PAGE_SIZE, starting_after: after }, ...(signal ? { signal } : {}) });
    if (!result.ok) return result;
    const page = RefPageSchema.safeParse(result.body);
    if (!page.success) return { ok: false, failure: { kind: 'transient', reason: 'discount refs answer not understood', delivery: 'not_sent' } };
    // An entry without ref_id names no instance the till could claim; it is not a grant.
    for (const r of page.data) if (r.ref_id) refs.push({ ruleId: r.id, refId: r.ref_id, ...(withStatistics && r.statistics ? { statistics: r.statistics } : {}) });
    const last = page.data.at(-1);
    if (page.data.length < PAGE_SIZE || !last?.ref_id) return { ok: true, refs };
    after = last.ref_id;
  }
}

/**
 * Fetches one customer's refs and replaces the cached list. A 404 (S1 lists it for this call) means Dintero does
 * not know the customer: the till keeps no refs for them. Any other failure keeps the last list.
 */
export async function fetchCustomerRefs(deps: RefsDeps, customerId: string, options: { readonly signal?: AbortSignal } = {}): Promise<RefsFetch> {
  const log = deps.logger ?? NULL_LOGGER;
  const got = await pagedRefs(deps.client, `discounts/customers/${encodeURIComponent(customerId)}/rules`, {}, options.signal, true);
  if (!got.ok) {
    if (got.failure.kind === 'permanent' && got.failure.status === 404) {
      forgetHolder(deps.db, customerId);
      return { status: 'not_found' };
    }
    log.info({ refs: 'customer', status: 'failed', reason: got.failure.reason }, 'customer discount refs not fetched');
    return { status: 'failed', failure: got.failure };
  }
  replaceHolderRefs(deps.db, customerId, got.refs, deps.now());
  return { status: 'fetched', refs: got.refs.length };
}

/** The public refs: rules given to every identified customer (`*`) and to purchases without one (`/`). */
export async function fetchPublicRefs(deps: RefsDeps, options: { readonly signal?: AbortSignal } = {}): Promise<RefsFetch> {
  const any = await pagedRefs(deps.client, 'discounts/public/rules', {}, options.signal, false);
  if (!any.ok) return { status: 'failed', failure: any.failure };
  const anonymous = await pagedRefs(deps.client, 'discounts/public/rules', { no_customer_id: true }, options.signal, false);
  if (!anonymous.ok) return { status: 'failed', failure: anonymous.failure };
  const at = deps.now();
  replaceHolderRefs(deps.db, ALL_CUSTOMERS, any.refs, at);
  replaceHolderRefs(deps.db, NO_CUSTOMER, anonymous.refs, at);
  return { status: 'fetched', refs: any.refs.length + anonymous.refs.length };
}

export type RefsRefresh = { readonly public: RefsFetch; readonly customers: number; readonly failed: number };

/**
 * Run with the rules pull: the public refs, then the customers seen before whose lists are older than
 * `olderThanMs`, oldest first, at most `limit`. Stops at the first transient failure (the back end is away).
 */
export async function refreshDiscountRefs(deps: RefsDeps, options: { readonly olderThanMs: number; readonly limit: number; readonly signal?: AbortSignal }): Promise<RefsRefresh> {
  const signal = options.signal ? { signal: options.signal } : {};
  const pub = await fetchPublicRefs(deps, signal);
  let customers = 0;
  let failed = 0;
  if (pub.status === 'failed' && pub.failure.kind === 'transient') return { public: pub, customers, failed };
  for (const id of customersToRefresh(deps.db, deps.now() - options.olderThanMs, options.limit)) {
    const r = await fetchCustomerRefs(deps, id, signal);
    if (r.status === 'failed') {
      failed++;
      if (r.failure.kind === 'transient') break;
    } else customers++;
  }
  return { public: pub, customers, failed };
}
