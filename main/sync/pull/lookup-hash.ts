import { createHmac, randomBytes } from 'node:crypto';
import { assertNever } from '../../core/errors';
import { getMeta, setMetaIfAbsent } from '../../store/agent-meta';
import type { ReadableDb, WritableDb } from '../../store/db-types';

/**
 * Phone numbers, e-mails, customer tokens and gift-card tokens are never stored in the clear; the caches index
 * them by an HMAC-SHA-256 under a random key made once per install (kept in `agent_meta`). A plain hash of a
 * phone number is reversed by trying every number; the key at least makes each till's table its own puzzle and
 * keeps the values out of backups, exports and logs that do not include the key.
 */

const META_KEY = 'lookup_hash_key';

export type LookupField = 'phone' | 'email' | 'customer_token' | 'gift_card';

/** Digits with an optional leading `+`: spaces, dashes, dots and brackets are how people write, not the number. */
export function normalizePhone(phone: string): string {
  return phone.trim().replace(/[\s\-.()]/g, '');
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function normalize(field: LookupField, value: string): string {
  switch (field) {
    case 'phone':
      return normalizePhone(value);
    case 'email':
      return normalizeEmail(value);
    case 'customer_token':
    case 'gift_card':
      return value.trim();
    default:
      return assertNever(field);
  }
}

export class LookupHasher {
  constructor(private readonly key: Buffer) {}

  hash(field: LookupField, value: string): string {
    // The field is part of the input, so one value never matches across fields.
    return createHmac('sha256', this.key).update(`${field}\u0000${normalize(field, value)}`).digest('hex');
  }
}

/** The install's hasher, creating its key on first use. */
export function lookupHasher(db: WritableDb): LookupHasher {
  const hex = setMetaIfAbsent(db, META_KEY, randomBytes(32).toString('hex'));
  return new LookupHasher(Buffer.from(hex, 'hex'));
}

/** The install's hasher if a key exists; without one nothing has been cached under a hash yet. */
export function existingLookupHasher(db: ReadableDb): LookupHasher | undefined {
  const hex = getMeta(db, META_KEY);
  return hex === undefined ? undefined : new LookupHasher(Buffer.from(hex, 'hex'));
}
