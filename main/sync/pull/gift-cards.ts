import { z } from 'zod';
import { deleteBalance, getBalance, putBalance, type CachedBalance } from '../../store/balance-cache';
import type { ReadableDb, WritableDb } from '../../store/db-types';
import { clearCodeState, getCodeState, setCodeState } from '../../store/gift-card-codes';
import type { DinteroClient } from '../connectors/dintero/dintero-client';
import { NULL_LOGGER, type ConnectorLogger } from '../connectors/http';
import { existingLookupHasher, lookupHasher } from './lookup-hash';
import { fromCache, NOT_CONFIGURED, refused, type LookupOutcome } from './lookup-outcome';

/**
 * A gift card's balance as the till knows it. Online the whole card comes back; from the cache only the
 * available amount and its time are known (the till keeps no card details, and not the token).
 */
export type GiftCardBalance = {
  /** What can be drawn now: the balance less pending drawdowns. */
  readonly availableMinor: number;
  readonly card?: {
    readonly cardId: string;
    readonly currency: string;
    readonly balanceMinor: number;
    readonly expiresAt?: string;
  };
};

export type GiftCardDeps = {
  readonly db: WritableDb;
  readonly client: DinteroClient | undefined;
  readonly now: () => number;
  readonly logger?: ConnectorLogger;
};

const CardSchema = z.looseObject({
  card_id: z.string().min(1),
  currency: z.string().min(1),
  amount_balance: z.number().int(),
  amount_available: z.number().int().optional(),
  expires_at: z.string().optional(),
});

/**
 * The cached balance of the card with this token, for the offline limits; undefined when the card was never
 * read on this till (or its last read said it does not exist).
 */
export function cachedGiftCardBalance(db: ReadableDb, cardToken: string): CachedBalance | undefined {
  const hasher = existingLookupHasher(db);
  return hasher && getBalance(db, 'gift_card', hasher.hash('gift_card', cardToken));
}

/**
 * Reads a gift card's balance (`POST wallets/info` with the token, and the PIN when the card has one) into
 * `balance_cache` (kind `gift_card`, key = the keyed hash of the token) with its time. Offline, the last known
 * available amount is served with its age. The token and PIN never reach a log.
 */
export async function refreshGiftCard(
  deps: GiftCardDeps,
  cardToken: string,
  options: { readonly pin?: string; readonly signal?: AbortSignal } = {},
): Promise<LookupOutcome<GiftCardBalance>> {
  const log = deps.logger ?? NULL_LOGGER;
  const key = lookupHasher(deps.db).hash('gift_card', cardToken);
  const cached = (): { value: GiftCardBalance; fetchedAt: number } | undefined => {
    const hit = getBalance(deps.db, 'gift_card', key);
    return hit && { value: { availableMinor: hit.balanceMinor }, fetchedAt: hit.fetchedAt };
  };
  if (!deps.client) return fromCache(cached(), deps.now(), `Dintero is ${NOT_CONFIGURED}`);
  const result = await deps.client.call({
    method: 'POST',
    path: 'wallets/info',
    body: { token: cardToken.trim(), ...(options.pin === undefined ? {} : { pin: options.pin }) },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!result.ok) {
    const failure = result.failure;
    if (failure.kind === 'permanent' && failure.status === 404) {
      // Unknown or expired token (reference §5: "no details are returned for expired tokens"; the 404 is inferred,
      // vendor question D5): a cached balance for it must not let an offline tender through, and the offline limits
      // name it spent (main/store/gift-card-codes.ts) rather than unknown.
      deps.db.transaction(() => {
        deleteBalance(deps.db, 'gift_card', key);
        setCodeState(deps.db, key, 'spent', deps.now());
      }).immediate();
      log.info({ lookup: 'gift_card', status: 'not_found' }, 'gift card balance');
      return { status: 'not_found' };
    }
    if (failure.kind === 'permanent') {
      log.warn({ lookup: 'gift_card', status: 'refused', reason: failure.reason }, 'gift card balance');
      return refused(failure);
    }
    const outcome = fromCache(cached(), deps.now(), failure.reason);
    log.info({ lookup: 'gift_card', status: outcome.status, source: 'cache', reason: failure.reason }, 'gift card balance offline');
    return outcome;
  }
  const card = CardSchema.safeParse(result.body);
  if (!card.success) {
    log.warn({ lookup: 'gift_card' }, 'gift card answer not understood');
    return fromCache(cached(), deps.now(), 'gift card answer not understood');
  }
  const c = card.data;
  const available = c.amount_available ?? c.amount_balance;
  const fetchedAt = deps.now();
  deps.db.transaction(() => {
    putBalance(deps.db, 'gift_card', key, available, fetchedAt);
    // Answered after the till drew on it: this code survives transactions (vendor question D6). Answered after a
    // 404: the code works again, and nothing says it survives a transaction, so the till knows as little as before.
    const state = getCodeState(deps.db, key)?.state;
    if (state === 'used') setCodeState(deps.db, key, 'reusable', fetchedAt);
    if (state === 'spent') clearCodeState(deps.db, key);
  }).immediate();
  log.debug({ lookup: 'gift_card', status: 'found', source: 'online', cardId: c.card_id }, 'gift card balance');
  return {
    status: 'found',
    source: 'online',
    fetchedAt,
    value: {
      availableMinor: available,
      card: { cardId: c.card_id, currency: c.currency, balanceMinor: c.amount_balance, ...(c.expires_at === undefined ? {} : { expiresAt: c.expires_at }) },
    },
  };
}
