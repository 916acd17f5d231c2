import type { TillErrorCode } from '../core/errors';

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
  INTERNAL: 500,
};
