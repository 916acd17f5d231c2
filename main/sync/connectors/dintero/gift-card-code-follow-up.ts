import type { WritableDb } from '../../../store/db-types';
import { markCodeUsed, noteCodeDrawn } from '../../../store/gift-card-codes';
import type { DeliveryResult, EffectToDeliver } from '../../outbox/connector';
import { refreshGiftCard } from '../../pull/gift-cards';
import { lookupHasher } from '../../pull/lookup-hash';
import type { ConnectorLogger } from '../http';
import { WalletTransactionPayloadSchema } from '../payloads';
import type { DinteroClient } from './dintero-client';

/** How long the lookup after a transaction may take; it runs beside the sale, never before its completion. */
export const FOLLOW_UP_TIMEOUT_MS = 3_000;

export type GiftCardCodeFollowUpDeps = {
  readonly db: WritableDb;
  readonly client: DinteroClient;
  readonly now: () => number;
  readonly logger: ConnectorLogger;
  readonly timeoutMs?: number;
};

/**
 * What a wallet transaction says about the code it named (docs/connectors.md, "Gift-card codes"). A card code serves
 * one transaction by default (S1 W `POST /wallets/cards/{card_id}/tokens`, `expires_after_transaction` default
 * true), so once the till drew on a code, the balance it cached before is no ground for an offline payment:
 * - a drawdown that landed (at tender time, or an offline tender delivered by the outbox) lowers the cached balance
 *   by what it drew and marks the code `used`; then `wallets/info` (reference §5) is asked once, within
 *   `FOLLOW_UP_TIMEOUT_MS`: an answer refreshes the balance and marks the code `reusable`, a 404 marks it `spent`
 *   (main/sync/pull/gift-cards.ts), anything else leaves it `used` (unconfirmed), which the offline limits refuse;
 * - a drawdown whose answer was lost (it may have used the code) marks the code `used`, no balance change;
 * - a fund that landed (a void or refund onto the card) raises nothing by itself: the lookup reads the balance the
 *   back end now holds, so only a figure the back end confirmed ever raises the cache.
 * Only calls that carry the code (`token`) are followed: a call by `card_id` alone names no code. A card with a PIN
 * is not looked up again (the PIN is never kept, issue 14); it cannot be taken offline anyway.
 */
export class GiftCardCodeFollowUp {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: GiftCardCodeFollowUpDeps) {}

  /** Called with every wallet transaction's answer. Never throws and never waits for the lookup. */
  afterTransaction(effect: EffectToDeliver, result: DeliveryResult): void {
    const log = this.deps.logger;
    try {
      const parsed = WalletTransactionPayloadSchema.safeParse(effect.payload);
      if (!parsed.success || parsed.data.token === undefined) return;
      const { token, type, amount, pin } = parsed.data;
      const landed = result.type === 'applied' || result.type === 'already_applied';
      const maybe = (result.type === 'transient' && result.uncertain === true) || (result.type === 'permanent' && result.evidence !== undefined);
      const db = this.deps.db;
      const key = lookupHasher(db).hash('gift_card', token);
      if (type === 'drawdown' && landed) noteCodeDrawn(db, key, amount, this.deps.now());
      else if (type === 'drawdown' && maybe) markCodeUsed(db, key, this.deps.now());
      if (!landed || pin !== undefined) return;
      this.lookUp(token, effect.idempotencyKey);
    } catch (err) {
      log.warn({ refId: effect.idempotencyKey, err: err instanceof Error ? err.message : String(err) }, 'gift card code not noted after its transaction');
    }
  }

  /** Resolves once every lookup started so far has ended (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private lookUp(token: string, refId: string): void {
    const log = this.deps.logger;
    const signal = AbortSignal.timeout(this.deps.timeoutMs ?? FOLLOW_UP_TIMEOUT_MS);
    const run = refreshGiftCard({ db: this.deps.db, client: this.deps.client, now: this.deps.now, logger: log }, token, { signal })
      .then((outcome) => {
        // The state it leaves is refreshGiftCard's: found online after a use, reusable; not_found, spent; else unchanged.
        log.info({ refId, status: outcome.status, ...(outcome.status === 'found' ? { source: outcome.source } : {}) }, 'gift card code looked up after its transaction');
      })
      .catch((err: unknown) => {
        log.warn({ refId, err: err instanceof Error ? err.message : String(err) }, 'gift card code lookup after its transaction failed');
      })
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }
}
