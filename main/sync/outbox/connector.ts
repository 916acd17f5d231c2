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
 *   harmless for idempotent effects, but a `loyalty_payment` is then not sent again blindly. `checkPayment`
 *   says the unknown outcome is a non-idempotent payment's this effect depends on (a cancelled sale's refund of
 *   its loyalty payment): the outbox then runs its balance check (`Connector.checkPayment`) instead of retrying,
 *   whatever the effect's kind.
 * - `permanent`: the server refused it for good (other 4xx); `reason` is the server's words. With `evidence`, the
 *   answer does not say whether an earlier attempt landed (a gift-card code spent, possibly by our own lost
 *   attempt): a manager decides with that evidence (code `uncertain`), and it is never read as refused or applied.
 */
export type DeliveryResult =
  | { readonly type: 'applied' }
  | { readonly type: 'already_applied' }
  | { readonly type: 'transient'; readonly reason: string; readonly retryAt?: number; readonly uncertain?: boolean; readonly checkPayment?: boolean }
  | { readonly type: 'permanent'; readonly reason: string; readonly evidence?: PaymentEvidence };

/** One read of the balance an uncertain payment drew on (only that asset), with when it was read. */
export type BalanceReading = { readonly at: number; readonly balance: number | null };

/**
 * One of the till's own other payment attempts for the same member that the balance check counted, so a person
 * can follow its arithmetic: `delta` is how it moves the balance if it landed (a pay takes, a cancel gives back).
 * `surely`: it landed (confirmed) after `before` was read and before the latest read, so it is in the read and
 * not in `before`; `maybe`: its outcome or its timing is unknown, so the read may or may not include it.
 */
export type OwnMovement = {
  readonly key: string;
  readonly action: 'pay' | 'cancel';
  readonly delta: number;
  readonly counted: 'surely' | 'maybe';
};

/**
 * What the till knows about an uncertain payment, kept on the effect and shown to the manager: the asset and
 * its balance just before the attempt, the amount and direction (a pay takes, a cancel gives back), the reads
 * since, the till's own other movements counted (when there were any), the confirmation code when one is held,
 * the verdict and the recommended action.
 */
export type PaymentEvidence = {
  readonly asset: string;
  readonly before: number | null;
  readonly amount: number;
  readonly direction: -1 | 1;
  readonly readings: readonly BalanceReading[];
  readonly own?: readonly OwnMovement[];
  readonly confirmationCode?: string | null;
  /**
   * Set when the payment checked (or not known at all) is one a refund gives back: the refund waits for it, and
   * a manager's retry then closes the refund with nothing given back instead of sending anything.
   */
  readonly refundOf?: string;
  readonly verdict?: string;
  readonly recommendation?: string;
};

export type PaymentCheckRequest = {
  /** Reads taken by earlier checks of this attempt; a verdict needs two that agree. */
  readonly readings: readonly BalanceReading[];
  /** A manager asked to retry: a payment proven not to have landed may then be sent once more. */
  readonly resendAllowed: boolean;
};

/**
 * One step of the till's own check of a payment whose outcome is unknown (docs/sync.md, "Uncertain payments"):
 * - `not_sent`: provably never reached the server (no attempt recorded, or a definite refusal): send it as new.
 * - `landed`: a confirmation code is held, or two reads agree the balance moved by exactly the amount.
 * - `not_landed`: two reads agree the balance did not move. `resend` is true when the connector released the
 *   attempt because a manager allowed a resend; the outbox never resends on its own.
 * - `read`: one more read was taken; not decided yet.
 * - `undecided`: the reads show another movement (or keep changing); a person decides, with the evidence.
 * - `unreachable`: the balance could not be read now; the till checks again later by itself.
 */
export type PaymentCheck =
  | { readonly type: 'not_sent'; readonly detail: string }
  | { readonly type: 'landed'; readonly detail: string; readonly evidence: PaymentEvidence }
  | { readonly type: 'not_landed'; readonly detail: string; readonly evidence: PaymentEvidence; readonly resend: boolean }
  | { readonly type: 'read'; readonly evidence: PaymentEvidence }
  | { readonly type: 'undecided'; readonly detail: string; readonly evidence: PaymentEvidence }
  | { readonly type: 'unreachable'; readonly reason: string };

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
  /**
   * Checks a non-idempotent payment whose outcome is unknown, reading only the asset it used. Without it, such
   * a payment goes straight to a manager.
   */
  checkPayment?: (effect: EffectToDeliver, request: PaymentCheckRequest, signal: AbortSignal) => Promise<PaymentCheck>;
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
