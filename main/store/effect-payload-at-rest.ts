import { maskCardToken } from '../core/sale/entry-at-rest';
import type { ReadableDb, WritableDb } from './db-types';
import { sealField, tryOpenField } from './sealed-field';

/**
 * A gift card's token in an outbox payload (issue 19 finding 4). The outbox needs it later (a drawdown retried
 * after an outage, the fund that gives money back), so it is sealed, not dropped: `token` is stored as
 * `token_sealed` (main/store/sealed-field.ts) plus `card`, its mask for anyone reading the row. It is opened
 * again only for the connector, at delivery (main/sync/outbox/worker.ts), never for views or logs.
 */

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The payload as it is written to `outbox_effects`. */
export function payloadAtRest(db: WritableDb, kind: string, payload: unknown): unknown {
  const p = record(payload);
  if (kind !== 'wallet_transaction' || !p) return payload;
  // A gift card's PIN is never queued (issue 14): the planners never put one here, and this keeps it that way.
  const { pin: _pin, ...withoutPin } = p;
  if (typeof withoutPin.token !== 'string') return withoutPin;
  const { token, ...rest } = withoutPin;
  return { ...rest, token_sealed: sealField(db, 'gift-card-token', token), card: maskCardToken(token) };
}

export type PayloadForDelivery = { readonly ok: true; readonly payload: unknown } | { readonly ok: false; readonly reason: string };

/** The payload as the connector takes it: the token opened again. */
export function payloadForDelivery(db: ReadableDb, payload: unknown): PayloadForDelivery {
  const p = record(payload);
  if (!p || typeof p.token_sealed !== 'string') return { ok: true, payload };
  const { token_sealed: sealed, card, ...rest } = p;
  const token = tryOpenField(db, 'gift-card-token', sealed);
  if (token === undefined) {
    const masked = typeof card === 'string' ? ` ${card}` : '';
    return {
      ok: false,
      reason: `the gift card${masked} is sealed with a key this till no longer has (sealed-field-key lost or replaced): restore the key file, or settle this card by hand`,
    };
  }
  return { ok: true, payload: { ...rest, token } };
}
