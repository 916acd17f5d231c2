import { safeText } from '../core/safe-text';
import type { KnownBalance } from '../core/sale/basket-snapshot';
import type { Logger } from '../log';
import type { WritableDb } from '../store';
import type { DinteroClient } from '../sync/connectors/dintero/dintero-client';
import type { LoyaltyClient } from '../sync/connectors/loyalty/loyalty-client';
import { type Customer, lookupCustomer } from '../sync/pull/customers';
import { type GiftCardBalance, refreshGiftCard } from '../sync/pull/gift-cards';
import type { LookupOutcome } from '../sync/pull/lookup-outcome';
import { lookupMember, type Member, type MemberQuery } from '../sync/pull/members';

/**
 * Who is at the till, asked of the back ends while the customer waits: the Loyalty POS API for the member (its
 * membership key, name and points) and Dintero for the customer (the id the discount rules grant to), both
 * through the existing pull code, which caches every answer and serves the cache with its age when the back end
 * cannot be reached. Phone numbers go to the lookups and the hash only; they are never kept or logged here.
 */

export type IdentifyQuery = { readonly by: 'number'; readonly memberNumber: string } | { readonly by: 'phone'; readonly phone: string };


export type IdentifiedCustomer = {
  /** The Loyalty API's membership key: loyalty payments and the loyalty transaction name the member by it. */
  readonly memberId?: string;
  /** The Dintero customer id: what the discount rules grant to, and what claims are made for. */
  readonly customerId?: string;
  readonly memberNumber?: string;
  readonly name?: string;
  readonly points?: KnownBalance;
};

export type IdentifyAnswer =
  | { readonly status: 'found'; readonly customer: IdentifiedCustomer }
  | { readonly status: 'not_found' }
  /** Neither back end could be asked and nothing was cached for this number or phone. */
  | { readonly status: 'unavailable'; readonly reason: string }
  /** A back end answered and refused the lookup itself (bad input, missing scope): not the same as unreachable. */
  | { readonly status: 'refused'; readonly reason: string };

export type BackEnds = {
  readonly loyalty: () => LoyaltyClient | undefined;
  readonly dintero: () => DinteroClient | undefined;
};

export type MemberDirectoryOptions = {
  readonly db: () => WritableDb;
  readonly backEnds: BackEnds;
  readonly now: () => number;
  readonly logger: () => Logger;
  /**
   * How long a customer waits for an answer before the cache is used instead. Every lookup asks the back end
   * when one is configured (the connectivity probe may be minutes stale); a down network fails fast (refused
   * connection) or after this timeout.
   */
  readonly timeoutMs?: number;
  /**
   * Whether the connectivity monitor already knows this back end cannot be reached. Then the lookup still asks
   * (the network may just have come back) but waits only `OFFLINE_TIMEOUT_MS` before the cache answers, instead
   * of keeping every offline customer waiting the full timeout.
   */
  readonly knownOffline?: (backEnd: 'loyalty' | 'dintero') => boolean;
};

const LOOKUP_TIMEOUT_MS = 3_000;
export const OFFLINE_TIMEOUT_MS = 400;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The name shown on the screen and receipt: back-end text, so escaped and capped (main/core/safe-text.ts). */
function nameOf(member: Member | undefined, customer: Customer | undefined): string | undefined {
  const fromMember = member ? [str(member.profile.firstName), str(member.profile.lastName)].filter(Boolean).join(' ') : '';
  if (fromMember !== '') return safeText(fromMember, 80);
  const fromCustomer = customer ? [str(customer.profile.first_name), str(customer.profile.last_name)].filter(Boolean).join(' ') : '';
  return fromCustomer === '' ? undefined : safeText(fromCustomer, 80);
}

export function balanceFrom(outcome: LookupOutcome<Member>, pick: (m: Member) => number | null): KnownBalance | undefined {
  if (outcome.status !== 'found') return undefined;
  const amount = pick(outcome.value);
  return amount === null ? undefined : { amount, fetchedAt: outcome.fetchedAt, source: outcome.source };
}

export class MemberDirectory {
  constructor(private readonly options: MemberDirectoryOptions) {}

  private deps<C>(client: C | undefined): { db: WritableDb; client: C | undefined; now: () => number; logger: Logger } {
    return { db: this.options.db(), client, now: this.options.now, logger: this.options.logger().child({ module: 'member-directory' }) };
  }

  private signal(backEnd: 'loyalty' | 'dintero'): { signal: AbortSignal } {
    const full = this.options.timeoutMs ?? LOOKUP_TIMEOUT_MS;
    return { signal: AbortSignal.timeout(this.options.knownOffline?.(backEnd) === true ? Math.min(full, OFFLINE_TIMEOUT_MS) : full) };
  }

  async identify(query: IdentifyQuery): Promise<IdentifyAnswer> {
    const memberQuery: MemberQuery = query.by === 'number' ? { externalId: query.memberNumber } : { phoneNumber: query.phone };
    const customerQuery = query.by === 'number' ? { token: query.memberNumber, tokenType: 'card' } : { phoneNumber: query.phone };
    const [member, customer] = await Promise.all([
      lookupMember(this.deps(this.options.backEnds.loyalty()), memberQuery, this.signal('loyalty')),
      lookupCustomer(this.deps(this.options.backEnds.dintero()), customerQuery, this.signal('dintero')),
    ]);
    const m = member.status === 'found' ? member.value : undefined;
    const c = customer.status === 'found' ? customer.value : undefined;
    if (!m && !c) {
      if (member.status === 'not_found' || customer.status === 'not_found') return { status: 'not_found' };
      if (member.status === 'refused') return { status: 'refused', reason: member.reason };
      if (customer.status === 'refused') return { status: 'refused', reason: customer.reason };
      return { status: 'unavailable', reason: member.status === 'unavailable' ? member.reason : 'no back end answered' };
    }
    const number = query.by === 'number' ? query.memberNumber : (m ? str(m.profile.externalId) : undefined);
    const points = balanceFrom(member, (x) => x.points);
    const name = nameOf(m, c);
    return {
      status: 'found',
      customer: {
        ...(m ? { memberId: m.membershipKey } : {}),
        ...(c ? { customerId: c.customerId } : {}),
        ...(number ? { memberNumber: number } : {}),
        ...(name ? { name } : {}),
        ...(points ? { points } : {}),
      },
    };
  }

  /** The member's points now (online), or as last known (cache), for a points tender. */
  async memberPoints(memberId: string): Promise<LookupOutcome<Member>> {
    return lookupMember(this.deps(this.options.backEnds.loyalty()), { membershipKey: memberId }, this.signal('loyalty'));
  }

  /** A gift card's available balance now (online), or as last known (cache). The PIN goes with the one call. */
  async giftCard(cardToken: string, pin?: string): Promise<LookupOutcome<GiftCardBalance>> {
    return refreshGiftCard(this.deps(this.options.backEnds.dintero()), cardToken, { ...this.signal('dintero'), ...(pin === undefined ? {} : { pin }) });
  }
}
