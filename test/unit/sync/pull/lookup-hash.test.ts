import { describe, expect, it } from 'vitest';
import { LookupHasher, lookupHasher, existingLookupHasher, normalizeEmail, normalizePhone } from '../../../../main/sync/pull/lookup-hash';
import fs from 'node:fs';
import path from 'node:path';
import { getMeta, openDb } from '../../../../main/store';
import { tempDir } from '../../../helpers/temp-dir';

describe('lookup hashes', () => {
  const hasher = new LookupHasher(Buffer.alloc(32, 7));

  it('treats the ways people write one phone number or e-mail as the same value', () => {
    expect(normalizePhone(' +47 (998) 87-766 ')).toBe('+4799887766');
    expect(normalizeEmail(' Kari.Nordmann@Example.COM ')).toBe('kari.nordmann@example.com');
    expect(hasher.hash('phone', '+47 998 87 766')).toBe(hasher.hash('phone', '+4799887766'));
    expect(hasher.hash('email', 'A@B.no')).toBe(hasher.hash('email', 'a@b.no'));
  });

  it('keeps fields and installs apart, and never contains the value', () => {
    expect(hasher.hash('phone', '12345678')).not.toBe(hasher.hash('gift_card', '12345678'));
    expect(hasher.hash('phone', '12345678')).not.toBe(new LookupHasher(Buffer.alloc(32, 8)).hash('phone', '12345678'));
    expect(hasher.hash('gift_card', 'gift-token-0001')).not.toContain('gift-token');
  });

  it('makes the install key once, outside the database, and finds it again after a restart', () => {
    const file = path.join(tempDir(), 'till.sqlite');
    let db = openDb(file);
    const first = lookupHasher(db).hash('email', 'a@b.no');
    expect(lookupHasher(db).hash('email', 'a@b.no')).toBe(first);
    expect(existingLookupHasher(db)?.hash('email', 'a@b.no')).toBe(first);
    expect(getMeta(db, 'lookup_hash_key')).toBeUndefined();
    db.close();
    expect(fs.statSync(path.join(path.dirname(file), 'lookup-hash-key')).mode & 0o777).toBe(0o600);
    db = openDb(file);
    expect(lookupHasher(db).hash('email', 'a@b.no')).toBe(first);
    db.close();
  });

  it('an in-memory database gets keys that die with it', () => {
    const a = openDb(':memory:');
    const b = openDb(':memory:');
    expect(lookupHasher(a).hash('phone', '12345678')).not.toBe(lookupHasher(b).hash('phone', '12345678'));
    a.close();
    b.close();
  });
});
