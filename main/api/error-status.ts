import { TillError, type TillErrorCode } from '../core/errors';
import { translateSqliteError } from '../store/sqlite-errors';
import type { ErrorBody } from './channels';
import { SchemaParseError } from './contract';

/** One HTTP status per error code; the Record type makes a new code without a status a compile error. */
export const ERROR_STATUS: Readonly<Record<TillErrorCode, number>> = {
  CONFIG_INVALID: 500,
  CONFIG_UNREADABLE: 500,
  DATA_DIR_UNWRITABLE: 500,
  DB_FROM_FUTURE: 500,
  DB_CORRUPT: 500,
  DB_FULL: 507,
  DB_BUSY: 503,
  PORT_IN_USE: 500,
  SCHEMA_INVALID: 400,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  DEVICE_DISCONNECTED: 503,
  DEVICE_UNAVAILABLE: 503,
  BARCODE_INVALID: 422,
  RULE_INVALID: 422,
  OFFLINE_LIMIT: 422,
  BACKEND_UNREACHABLE: 503,
  BACKEND_REFUSED: 502,
  BALANCE_TOO_LOW: 422,
  TENDER_REFUSED: 422,
  // The back end, not the till, failed to answer: a gateway's status, so the screen does not read it as a bad request.
  PAYMENT_UNCERTAIN: 502,
  SALES_LOST: 409,
  INTERNAL: 500,
};

/**
 * The typed error behind a handler's failure, if it has one: a `TillError`, or a storage error that arrived
 * untranslated (a `SqliteError` such as SQLITE_FULL from any write, or ENOSPC from a file), which the caller
 * must answer with its documented code (DB_FULL is 507) rather than 500 and the raw text.
 */
export function asTillError(err: unknown): TillError | undefined {
  if (err instanceof TillError) return err;
  const translated = translateSqliteError(err);
  return translated instanceof TillError ? translated : undefined;
}

/** What a caller sees for a failure nobody expected; its text stays in the agent's log. */
export const INTERNAL_ERROR: ErrorBody = { code: 'INTERNAL', message: 'The agent failed to handle this request; see its log.' };

/**
 * The `{code, message}` (and HTTP status) a caller sees for a handler's failure, the same over HTTP and IPC:
 * a contract violation is SCHEMA_INVALID with its issue paths, a typed error keeps its code. Undefined for an
 * unexpected error: the transport logs it and answers INTERNAL_ERROR, never the raw text.
 */
export function expectedError(err: unknown): { readonly status: number; readonly body: ErrorBody } | undefined {
  if (err instanceof SchemaParseError) return { status: 400, body: { code: 'SCHEMA_INVALID', message: err.message, issues: err.issues } };
  const till = asTillError(err);
  if (!till) return undefined;
  // The reason and its parameters let the screen word the refusal in its language; `message` stays for logs.
  const reasoned = till.reason ? { reason: till.reason, params: till.params ?? {} } : {};
  return { status: ERROR_STATUS[till.code], body: { code: till.code, message: till.message, ...reasoned } };
}
