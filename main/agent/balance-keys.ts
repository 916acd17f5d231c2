import type { ReadableDb } from '../store';
import type { BalanceKeyOf } from '../store/offline-limits';
import { existingLookupHasher } from '../sync/pull/lookup-hash';

/**
 * How the offline limits find a tender's last known balance: gift cards are cached under the install's keyed
 * hash of the card token (the till never stores tokens in its caches), members under their membership key.
 */
export function balanceKeysFor(db: ReadableDb): BalanceKeyOf {
  const hasher = existingLookupHasher(db);
  return (asset, key) => (asset === 'gift_card' && hasher ? hasher.hash('gift_card', key) : key);
}
