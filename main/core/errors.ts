import type { ErrorReason, ReasonParamValue } from './error-reasons';

/**
 * Typed errors. Every failure the agent reports carries a `code` from this union; `main/api` maps each code to
 * one HTTP status (and a test checks every code has one). Never throw strings.
 */
export const TILL_ERROR_CODES = [
  'CONFIG_INVALID',
  'CONFIG_UNREADABLE',
  'DATA_DIR_UNWRITABLE',
  'DB_FROM_FUTURE',
  'DB_CORRUPT',
  'DB_FULL',
  'DB_BUSY',
  'PORT_IN_USE',
  'SCHEMA_INVALID',
  'NOT_FOUND',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'CONFLICT',
  'DEVICE_DISCONNECTED',
  'DEVICE_UNAVAILABLE',
  'BARCODE_INVALID',
  'RULE_INVALID',
  'OFFLINE_LIMIT',
  /**
   * A back end (Loyalty API, Dintero) could not be reached (timeout, refused connection, DNS), and nothing
   * cached could answer instead. Not NOT_FOUND: the back end never said the thing is missing, so the screen
   * offers a retry rather than "unknown". A back end that answered and refused keeps that refusal's own code.
   */
  'BACKEND_UNREACHABLE',
  /** A back end answered and refused the request itself (bad input, missing scope); retrying will not help. */
  'BACKEND_REFUSED',
  /** A gift card's or member's balance, less what the basket already takes from it, does not cover the tender. */
  'BALANCE_TOO_LOW',
  /** The back end refused a gift-card or points payment at tender time (a documented refusal): take another. */
  'TENDER_REFUSED',
  /** The back end's answer to a payment was lost: the tender is not taken; the till checks it by itself. */
  'PAYMENT_UNCERTAIN',
  /** The database is behind its sale-number witness: selling stops until a manager acknowledges (docs/storage.md). */
  'SALES_LOST',
  'INTERNAL',
] as const;

export type TillErrorCode = (typeof TILL_ERROR_CODES)[number];

export class TillError extends Error {
  override readonly name: string = 'TillError';
  readonly code: TillErrorCode;
  /** What the person at the till or the manager can do about it. */
  readonly fix: string | undefined;
  /** Why, as a code with parameters a screen words in its own language (main/core/error-reasons.ts). */
  readonly reason: ErrorReason | undefined;
  readonly params: Readonly<Record<string, ReasonParamValue>> | undefined;

  constructor(
    code: TillErrorCode,
    message: string,
    options: { cause?: unknown; fix?: string; reason?: ErrorReason; params?: Readonly<Record<string, ReasonParamValue>> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.fix = options.fix;
    this.reason = options.reason;
    this.params = options.params;
  }
}

/** Ends an exhaustive switch: the compiler proves it unreachable, and at run time it names the stray value. */
export function assertNever(value: never): never {
  throw new TypeError(`Unhandled case: ${JSON.stringify(value)}`);
}
