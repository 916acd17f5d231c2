import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { TillError } from '../core/errors';
import { atRestKeys, existingAtRestKeys } from './at-rest-keys';
import type { ReadableDb, WritableDb } from './db-types';

/**
 * Fields the till must read back later but nobody holding only the database file should (issue 19 findings 4
 * and 5): a gift-card token the outbox still needs for a drawdown retry or a refund, the open and suspended
 * baskets (their tenders and customer), cached customers' names. AES-256-GCM under the install's field key,
 * which lives outside the database (main/store/at-rest-keys.ts). Stored as `sealed:v1:<base64 of iv|tag|data>`.
 *
 * The purpose is authenticated with the data, so a value sealed as one thing cannot be opened as another
 * (a sealed token pasted into a basket row fails instead of loading).
 */
export type SealPurpose = 'gift-card-token' | 'basket' | 'personal';

const PREFIX = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

export function sealWithKey(key: Buffer, purpose: SealPurpose, plain: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `${PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
}

/** Undefined when the value was not sealed with this key for this purpose (another till's key, a lost key, tampering). */
export function openWithKey(key: Buffer, purpose: SealPurpose, stored: string): string | undefined {
  if (!isSealed(stored)) return undefined;
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(purpose, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

export function sealField(db: WritableDb, purpose: SealPurpose, plain: string): string {
  return sealWithKey(atRestKeys(db).fieldKey, purpose, plain);
}

/** The value sealed with `sealField`; undefined when it cannot be opened here (see `openWithKey`). */
export function tryOpenField(db: ReadableDb, purpose: SealPurpose, stored: string): string | undefined {
  const keys = existingAtRestKeys(db);
  return keys && openWithKey(keys.fieldKey, purpose, stored);
}

/** Like `tryOpenField`, but a value that cannot be opened is an error naming what was lost. */
export function openField(db: ReadableDb, purpose: SealPurpose, stored: string, what: string): string {
  const plain = tryOpenField(db, purpose, stored);
  if (plain === undefined) {
    throw new TillError('CONFIG_UNREADABLE', `${what} is sealed with a key this till no longer has (the sealed-field-key file was lost or replaced).`, {
      fix: "Restore the data directory's sealed-field-key file from this till's backup; otherwise settle this by hand.",
    });
  }
  return plain;
}
