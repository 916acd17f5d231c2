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
const ASSET = "COALESCE(json_extract(s.document_json, '$.tenders[' || t.tender_index || '].asset'), '')";
const assetColumn = (asset: OfflineAsset): string => (asset === 'gift_card' ? '' : asset);

function takenToday(db: ReadableDb, businessDayId: number, asset: OfflineAsset, key: string): Minor {
  // Through shifts_byDay and sales_byShift: a day's sales without scanning every sale ever made.
  const row = prepared(
    db,
    `SELECT COALESCE(SUM(t.amount_at_risk_minor), 0) AS taken
       FROM shifts sh JOIN sales s ON s.shift_id = sh.id JOIN sale_tenders t ON t.sale_id = s.id
      WHERE sh.business_day_id = ? AND s.kind = 'sale' AND t.offline = 1 AND t.kind = ? AND t.reference = ? AND ${ASSET} = ?`,
  ).get(businessDayId, KIND[asset].tender, key, assetColumn(asset)) as { taken: number };
  return minor(row.taken);
}

/**
 * Offline value taken from the card or member that the cached balance may not show yet: taken at or after the
 * balance was read, or taken earlier but still undelivered (the back end has not drawn it down). The candidate
 * sales come through indexes (days not closed before the reading, then shifts_byDay and sales_byShift; the
 * undelivered envelopes by state, then the unique receipt id), so the cost follows the sales since the reading
 * and the outbox backlog, not the size of the ledger.
 */
function takenSince(db: ReadableDb, asset: OfflineAsset, key: string, fetchedAtMs: number): Minor {
  const since = new Date(fetchedAtMs).toISOString();
  const row = prepared(
    db,
    `SELECT COALESCE(SUM(t.amount_at_risk_minor), 0) AS taken
       FROM sales s JOIN sale_tenders t ON t.sale_id = s.id
      WHERE s.id IN (
              SELECT s2.id FROM business_days d CROSS JOIN shifts sh ON sh.business_day_id = d.id CROSS JOIN sales s2 ON s2.shift_id = sh.id
               WHERE (d.closed_at IS NULL OR d.closed_at >= ?) AND s2.purchase_at >= ?
              UNION
              SELECT s3.id FROM outbox_envelopes e JOIN sales s3 ON s3.receipt_id = e.ref
               WHERE e.state IN ('pending', 'in_flight', 'retry', 'needs_attention'))
        AND s.kind = 'sale' AND t.offline = 1 AND t.kind = ? AND t.reference = ? AND ${ASSET} = ?`,
  ).get(since, since, KIND[asset].tender, key, assetColumn(asset)) as { taken: number };
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
