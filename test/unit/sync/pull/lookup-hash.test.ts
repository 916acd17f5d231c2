import { describe, expect, it } from 'vitest';
import { LookupHasher, lookupHasher, existingLookupHasher, normalizeEmail, normalizePhone } from '../../../../main/sync/pull/lookup-hash';
import { openDb } from '../../../../main/store';

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

  it('makes the install key once and finds it again', () => {
    const db = openDb(':memory:');
    expect(existingLookupHasher(db)).toBeUndefined();
    const first = lookupHasher(db).hash('email', 'a@b.no');
    expect(lookupHasher(db).hash('email', 'a@b.no')).toBe(first);
    expect(existingLookupHasher(db)?.hash('email', 'a@b.no')).toBe(first);
    db.close();
  });
});
