import { type OpenBasketSnapshot, parseOpenBasket, parseSuspendedBasket, type SuspendedBasketSnapshot } from '../../core/sale/basket-snapshot';
import type { Logger } from '../../log';
import type { WritableDb } from '../../store';
import { OPEN_SLOT, putOpenBasket, setBasketAside, storedBaskets } from '../../store/open-baskets';

/**
 * The open basket (with its customer and tenders) and the suspended baskets on disk (migration 0120,
 * main/store/open-baskets.ts): written after every change, read back on the first call after a start, so an
 * agent restart or a reloaded screen carries on where the cashier was.
 */

/** The open basket as it is now, on disk: one small upsert, synchronous, on every change. */
export function saveOpenBasket(db: WritableDb, snapshot: OpenBasketSnapshot, now: Date): void {
  putOpenBasket(db, JSON.stringify(snapshot), now);
}

export type StoredBaskets = {
  readonly open: OpenBasketSnapshot | undefined;
  readonly suspended: readonly SuspendedBasketSnapshot[];
  /** The highest suspended position seen: new suspended baskets number on from it. */
  readonly suspendSeq: number;
};

/** Reads back the baskets an earlier run left. A body that does not parse is set aside, not loaded. */
export function readStoredBaskets(db: WritableDb, log: Logger, now: Date): StoredBaskets {
  let open: OpenBasketSnapshot | undefined;
  const suspended: SuspendedBasketSnapshot[] = [];
  let suspendSeq = 0;
  for (const row of storedBaskets(db)) {
    try {
      if (row.slot === OPEN_SLOT) {
        open = parseOpenBasket(row.bodyJson);
      } else {
        suspended.push(parseSuspendedBasket(row.bodyJson));
        suspendSeq = Math.max(suspendSeq, row.position);
      }
    } catch (err) {
      log.error({ err, slot: row.slot, updatedAt: row.updatedAt }, 'a stored basket could not be read back; it is set aside, not loaded');
      setBasketAside(db, row.slot, now);
    }
  }
  return { open, suspended, suspendSeq };
}
