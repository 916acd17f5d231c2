import fs from 'node:fs';
import { dbPath } from '../../main/agent/data-dir';
import { openDb } from '../../main/store';
import { seedTill } from '../integration/sale-api/seed';
import { cacheCustomers } from '../../main/store/customer-cache';
import { cacheMember } from '../../main/store/member-cache';
import { lookupHasher } from '../../main/sync/pull/lookup-hash';

/** A data dir whose till database already has the small test catalog and cached discount rules. */
export function seededDataDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = openDb(dbPath(dir));
  try {
    seedTill(db);
  } finally {
    db.close();
  }
  return dir;
}

/** A member the till has seen before (cached 3 hours ago): membership number 1001, Loyalty member m-1, Dintero customer cust-1. */
export const CACHED_MEMBER = { number: '1001', memberId: 'm-1', customerId: 'cust-1', name: 'Mia Medlem', points: 4800, phone: '+47 400 00 001' } as const;

export function seedCachedMember(dir: string, fetchedAt = Date.now() - 3 * 3600_000): void {
  const db = openDb(dbPath(dir));
  try {
    const hasher = lookupHasher(db);
    const m = CACHED_MEMBER;
    cacheMember(db, {
      membershipKey: m.memberId,
      body: { profile: { firstName: 'Mia', lastName: 'Medlem', externalId: m.number }, assets: [] },
      points: m.points,
      credit: null,
      fetchedAt,
      phoneHash: hasher.hash('phone', m.phone),
      emailHash: null,
    });
    cacheCustomers(db, [{ customerId: m.customerId, body: { first_name: 'Mia', last_name: 'Medlem' }, fetchedAt, phoneHash: hasher.hash('phone', m.phone), emailHash: null }], {
      hash: hasher.hash('customer_token', `card\u0000${m.number}`),
      customerId: m.customerId,
    });
  } finally {
    db.close();
  }
}
