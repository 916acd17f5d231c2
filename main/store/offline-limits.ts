import { TillError } from '../core/errors';
import { type Minor, minor } from '../core/money';
import {
  checkOfflineLimits,
  type OfflineAsset,
  type OfflineLimits,
  type OfflinePayment,
  type PaymentFacts,
  refusalMessage,
  refusalReason,
} from '../core/sale/offline-limits';
import { getBalance, type BalanceKind } from './balance-cache';
import type { ReadableDb } from './db-types';
import { getCodeState } from './gift-card-codes';
import { existingLookupHasher } from './lookup-hash';
import { openOfflineExposure } from './outbox';
import { prepared } from './statements';

/**
 * Gathers what the offline limit policy needs from the till's own tables and throws `OFFLINE_LIMIT` when a
 * payment breaks a limit. Runs inside the sale's commit transaction, before anything is written, so the
 * figures cannot change under it and a refused sale leaves no trace.
 */

/** How `balance_cache` keys a card or member; gift cards are cached under a keyed hash of their token. */
export type BalanceKeyOf = (asset: OfflineAsset, key: string) => string;

const KIND: Record<OfflineAsset, { readonly tender: 'gift_card' | 'loyalty'; readonly balance: BalanceKind }> = {
  gift_card: { tender: 'gift_card', balance: 'gift_card' },
  points: { tender: 'loyalty', balance: 'loyalty_points' },
  credit: { tender: 'loyalty', balance: 'loyalty_credit' },
};

// Loyalty tenders keep their asset only in the stored entry document; a gift card has none (NULL matches '').
/**
 * Points and credit share the `loyalty` tender kind; the asset is in the sale's document. A gift card has none, so
 * its queries leave this filter out: parsing each candidate sale's whole document (16 KB for 50 lines) was most
 * of an offline gift-card commit's check (`sale.commit.offline.30000`, docs/performance.md).
 */
const ASSET_FILTER = "AND COALESCE(json_extract(s.document_json, '$.tenders[' || t.tender_index || '].asset'), '') = ?";
const assetParams = (asset: OfflineAsset): string[] => (asset === 'gift_card' ? [] : [asset]);

function takenToday(db: ReadableDb, businessDayId: number, asset: OfflineAsset, key: string): Minor {
  // From the card's or member's own offline tenders (sale_tenders_offlineByReference, migration 0300), then their
  // sales and shifts: the cost follows that card's use, not the day's sales.
  const row = prepared(
    db,
    `SELECT COALESCE(SUM(t.amount_at_risk_minor), 0) AS taken
       FROM sale_tenders t JOIN sales s ON s.id = t.sale_id JOIN shifts sh ON sh.id = s.shift_id
      WHERE t.offline = 1 AND t.kind = ? AND t.reference = ? AND s.kind = 'sale' AND sh.business_day_id = ? ${asset === 'gift_card' ? '' : ASSET_FILTER}`,
  ).get(KIND[asset].tender, key, businessDayId, ...assetParams(asset)) as { taken: number };
  return minor(row.taken);
}

/**
 * Offline value taken from the card or member that the cached balance may not show yet: taken at or after the
 * balance was read (in a day not closed before the reading), or taken earlier but still undelivered (the back end
 * has not drawn it down). Found from that card's or member's own offline tenders (migration 0300's index), each
 * checked through its sale's shift and day and its envelope (outbox_envelopes_byRef), so the cost follows the
 * card's use, not the ledger or the day.
 */
function takenSince(db: ReadableDb, asset: OfflineAsset, key: string, fetchedAtMs: number): Minor {
  const since = new Date(fetchedAtMs).toISOString();
  const row = prepared(
    db,
    `SELECT COALESCE(SUM(t.amount_at_risk_minor), 0) AS taken
       FROM sale_tenders t JOIN sales s ON s.id = t.sale_id
      WHERE t.offline = 1 AND t.kind = ? AND t.reference = ? AND s.kind = 'sale' ${asset === 'gift_card' ? '' : ASSET_FILTER}
        AND ((s.purchase_at >= ?
              AND EXISTS (SELECT 1 FROM shifts sh JOIN business_days d ON d.id = sh.business_day_id
                           WHERE sh.id = s.shift_id AND (d.closed_at IS NULL OR d.closed_at >= ?)))
          OR EXISTS (SELECT 1 FROM outbox_envelopes e
                      WHERE e.ref = s.receipt_id AND e.state IN ('pending', 'in_flight', 'retry', 'needs_attention')))`,
  ).get(KIND[asset].tender, key, ...assetParams(asset), since, since) as { taken: number };
  return minor(row.taken);
}

export type OfflineCheck = {
  readonly limits: OfflineLimits;
  readonly payments: readonly OfflinePayment[];
  /** The sale's value tenders held online, not yet drawn (`heldOnline`): they count against the cached balance. */
  readonly held?: readonly OfflinePayment[];
  readonly businessDayId: number;
  readonly currency: string;
  readonly balanceKeyOf?: BalanceKeyOf;
};

/** Throws `OFFLINE_LIMIT` with a message for the cashier when an offline payment breaks a limit. */
export function enforceOfflineLimits(db: ReadableDb, check: OfflineCheck, now: Date): void {
  if (check.payments.length === 0) return;
  const keyOf = check.balanceKeyOf ?? ((_asset: OfflineAsset, key: string) => key);
  // Tender rows know a gift card by the keyed hash of its token (main/store/ledger.ts, `tenderReference`).
  const hasher = check.payments.some((p) => p.asset === 'gift_card') ? existingLookupHasher(db) : undefined;
  const refOf = (asset: OfflineAsset, key: string): string => (asset === 'gift_card' && hasher ? hasher.hash('gift_card', key) : key);
  const facts = (asset: OfflineAsset, key: string): PaymentFacts => {
    const cached = getBalance(db, KIND[asset].balance, keyOf(asset, key));
    const ref = refOf(asset, key);
    // Whether the till drew on this gift-card code before, and what wallets/info said since (migration 0290).
    const code = asset === 'gift_card' ? getCodeState(db, keyOf(asset, key)) : undefined;
    return {
      takenToday: takenToday(db, check.businessDayId, asset, ref),
      balance: cached ? { balance: minor(cached.balanceMinor), fetchedAt: cached.fetchedAt, takenSince: takenSince(db, asset, ref, cached.fetchedAt) } : undefined,
      ...(code ? { codeState: code.state } : {}),
    };
  };
  const verdict = checkOfflineLimits({ limits: check.limits, payments: check.payments, ...(check.held ? { held: check.held } : {}), openExposure: minor(openOfflineExposure(db)), facts, now });
  if (!verdict.ok) {
    throw new TillError('OFFLINE_LIMIT', refusalMessage(verdict.refusal, check.currency), {
      ...refusalReason(verdict.refusal),
      fix: 'Take the rest with cash or card, or wait until the till is back online and the card or member can be checked.',
    });
  }
}
