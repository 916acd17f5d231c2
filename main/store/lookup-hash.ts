import { createHmac } from 'node:crypto';
import { assertNever } from '../core/errors';
import { atRestKeys, existingAtRestKeys } from './at-rest-keys';
import type { ReadableDb, WritableDb } from './db-types';

/**
 * Phone numbers, e-mails, customer tokens and gift-card tokens are never stored in the clear; the caches (and a
 * gift card's sale tender) index them by an HMAC-SHA-256 under a random key made once per install. The key is
 * kept OUTSIDE the database, in `<data-dir>/lookup-hash-key` (main/store/at-rest-keys.ts, issue 19 finding 5):
 * a copied database alone cannot be searched by trying every phone number.
 */

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

/** The install's hasher (its key is loaded, or made, with the database's other at-rest keys). */
export function lookupHasher(db: WritableDb): LookupHasher {
  return new LookupHasher(atRestKeys(db).lookupKey);
}

/** The install's hasher if its key can be had without writing (a read-only connection); else undefined. */
export function existingLookupHasher(db: ReadableDb): LookupHasher | undefined {
  const keys = existingAtRestKeys(db);
  return keys && new LookupHasher(keys.lookupKey);
}
