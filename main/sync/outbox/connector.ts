import type { EffectKind } from '../../store/outbox';

/** One effect as the worker hands it to a connector: its stored idempotency key and payload. */
export type EffectToDeliver = {
  readonly envelopeId: number;
  readonly envelopeRef: string;
  readonly seq: number;
  readonly kind: EffectKind;
  readonly idempotencyKey: string;
  readonly payload: unknown;
  readonly amountAtRisk: number;
  /** 1 for the first try of this effect. */
  readonly attempt: number;
};

/**
 * What a back end answered for one effect.
 * - `applied`: done now.
 * - `already_applied`: the server already holds our idempotency key (e.g. a 409 on it); counts as done.
 * - `transient`: try again later (5xx, 429, timeout, connection reset). `retryAt` (epoch ms) carries a
 *   server's Retry-After. `uncertain` says the request may have been applied (timeout, reset after sending):
 *   harmless for idempotent effects, but a `loyalty_payment` is then not sent again blindly.
 * - `permanent`: the server refused it for good (other 4xx); `reason` is the server's words.
 */
export type DeliveryResult =
  | { readonly type: 'applied' }
  | { readonly type: 'already_applied' }
  | { readonly type: 'transient'; readonly reason: string; readonly retryAt?: number; readonly uncertain?: boolean }
  | { readonly type: 'permanent'; readonly reason: string };

export type EffectHandler = (effect: EffectToDeliver, signal: AbortSignal) => Promise<DeliveryResult>;

/**
 * The plug between the outbox and a back end: one method per effect kind. Real connectors (Dintero, Loyalty
 * POS API) implement it in main/sync/connectors/; tests use the loopback test connector. A method should
 * not throw: a thrown error is treated as a transient failure with an unknown outcome.
 */
export interface Connector {
  discount_claim: EffectHandler;
  claim_release: EffectHandler;
  receipt: EffectHandler;
  wallet_transaction: EffectHandler;
  loyalty_transaction: EffectHandler;
  loyalty_payment: EffectHandler;
  member_register: EffectHandler;
  member_update: EffectHandler;
  loyalty_event: EffectHandler;
}

/** Built when a drain starts, from the till's configuration; undefined when no back end is configured. */
export type ConnectorFactory = () => Connector | undefined;

/** Classifies an HTTP answer the way DESIGN.md §5 says, for connectors that speak HTTP. */
export function classifyHttpStatus(status: number, options: { retryAt?: number; reason: string; ownKeyConflict?: boolean }): DeliveryResult {
  if (status >= 200 && status < 300) return { type: 'applied' };
  if (status === 409 && options.ownKeyConflict !== false) return { type: 'already_applied' };
  if (status === 429 || status >= 500 || status === 408) {
    return options.retryAt === undefined ? { type: 'transient', reason: options.reason } : { type: 'transient', reason: options.reason, retryAt: options.retryAt };
  }
  return { type: 'permanent', reason: options.reason };
}

/**
 * Parses a Retry-After header (delay in seconds, or an HTTP date) into epoch ms; undefined when absent or
 * unreadable, so the worker falls back to its own backoff.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return nowMs + Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(nowMs, date);
}
