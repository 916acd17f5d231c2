import { type Effect, type EffectState, getEffectByKey } from '../../store/outbox';
import type { ReadableDb } from '../../store/db-types';

/**
 * Which effects must wait for which (docs/sync.md, "Order"). Effects are otherwise independent: a refused
 * discount claim holds back neither the money, nor the receipt, nor the Loyalty transaction. Ordering is kept
 * only where the later effect is wrong without the earlier one:
 * - an effect that undoes another (`reverses`: a payment's cancel, a claim's release, a transaction's cancel)
 *   waits until that one is settled, wherever it is queued;
 * - a sale's Loyalty `/transaction` waits for the sale's own loyalty payments ("after all external payments
 *   have been approved", docs/loyalty-api.md §2.5).
 */
export type Blocker =
  /** Settled by the till on its own in time (pending, retrying, being checked). */
  | { readonly by: 'till'; readonly key: string }
  /** Waiting for a manager: the effect is held, and released when that one is settled. */
  | { readonly by: 'manager'; readonly key: string };

function reversesOf(payload: unknown): string | undefined {
  const value = payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>).reverses : undefined;
  return typeof value === 'string' ? value : undefined;
}

function isCancel(payload: unknown): boolean {
  return payload !== null && typeof payload === 'object' && (payload as Record<string, unknown>).action === 'cancel';
}

function blockerOf(key: string, state: EffectState): Blocker | undefined {
  if (state === 'done') return undefined;
  return state === 'needs_attention' ? { by: 'manager', key } : { by: 'till', key };
}

/**
 * The first unsettled effect `effect` must follow, if any. `siblings` are the effects of its own envelope as the
 * worker knows them now (their state may be newer than the database's uncommitted batch).
 */
export function blockerFor(db: ReadableDb, effect: Effect, siblings: ReadonlyMap<string, { readonly kind: Effect['kind']; readonly state: EffectState }>): Blocker | undefined {
  const reverses = reversesOf(effect.payload);
  if (reverses !== undefined) {
    const sibling = siblings.get(reverses);
    const state = sibling?.state ?? getEffectByKey(db, reverses)?.state;
    // An effect not in this till's outbox (another till's sale) cannot be waited for here.
    if (state !== undefined) return blockerOf(reverses, state);
  }
  if (effect.kind === 'loyalty_transaction' && !isCancel(effect.payload)) {
    for (const [key, s] of siblings) {
      if (s.kind !== 'loyalty_payment') continue;
      const blocker = blockerOf(key, s.state);
      if (blocker) return blocker;
    }
  }
  return undefined;
}
