import { describe, expect, it } from 'vitest';
import { openDb } from '../../../main/store';
import { cacheCustomers, cachedCustomerByHash, forgetCustomerLookup } from '../../../main/store/customer-cache';
import { getDriftCheck, recordDriftCheck } from '../../../main/store/discount-drift';
import { cacheMember, cachedMemberByPhoneHash } from '../../../main/store/member-cache';

describe('pull caches in SQLite', () => {
  it('the lookups use their indexes', () => {
    const db = openDb(':memory:');
    const plan = (sql: string): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan("SELECT * FROM member_cache WHERE phone_hash = 'x'")).toContain('member_cache_byPhone');
    expect(plan("SELECT * FROM member_cache WHERE email_hash = 'x'")).toContain('member_cache_byEmail');
    expect(plan("SELECT * FROM customer_cache WHERE phone_hash = 'x'")).toContain('customer_cache_byPhone');
    expect(plan("SELECT * FROM customer_cache WHERE email_hash = 'x'")).toContain('customer_cache_byEmail');
    expect(plan("DELETE FROM customer_cache WHERE customer_id = 'c'")).toContain('customer_cache_tokens_byCustomer');
    expect(plan("SELECT * FROM drift_checks WHERE receipt_id = 'r' ORDER BY id DESC")).toContain('drift_checks_byReceipt');
    expect(plan('SELECT * FROM drift_checks WHERE difference_count > 0 AND id < 9 ORDER BY id DESC LIMIT 5')).toContain('drift_checks_byDrift');
    expect(plan('SELECT * FROM drift_differences WHERE check_id = 1 ORDER BY id')).toContain('drift_differences_byCheck');
    db.close();
  });

  it('gives a phone number to the member who holds it now', () => {
    const db = openDb(':memory:');
    const member = (key: string, at: number): Parameters<typeof cacheMember>[1] => ({ membershipKey: key, body: {}, points: null, credit: null, fetchedAt: at, phoneHash: 'p1', emailHash: null });
    cacheMember(db, member('mk-a', 1));
    cacheMember(db, member('mk-b', 2));
    expect(cachedMemberByPhoneHash(db, 'p1')?.membershipKey).toBe('mk-b');
    db.close();
  });

  it('keeps a token only with its customer, and forgets it on request', () => {
    const db = openDb(':memory:');
    const customer = { customerId: 'c1', body: { first_name: 'Kari' }, fetchedAt: 5, phoneHash: null, emailHash: null };
    cacheCustomers(db, [customer], { hash: 't1', customerId: 'c1' });
    expect(cachedCustomerByHash(db, 'token', 't1')).toEqual({ customerId: 'c1', body: { first_name: 'Kari' }, fetchedAt: 5 });
    expect(() => cacheCustomers(db, [customer], { hash: 't2', customerId: 'c9' })).toThrow(TypeError);
    forgetCustomerLookup(db, 'token', 't1');
    expect(cachedCustomerByHash(db, 'token', 't1')).toBeUndefined();
    db.close();
  });

  it('stores a drift check and its differences together', () => {
    const db = openDb(':memory:');
    const id = recordDriftCheck(db, {
      receiptId: 'r1',
      checkedAt: 10,
      rulesVersion: 'v1',
      localDiscount: 1,
      remoteDiscount: 2,
      localBonus: 0,
      remoteBonus: 0,
      differences: [{ ruleId: 'x', lineId: null, measure: 'discount', localAmount: 1, remoteAmount: 2 }],
    });
    expect(getDriftCheck(db, id)).toMatchObject({ differenceCount: 1, differences: [{ ruleId: 'x', lineId: null, localAmount: 1, remoteAmount: 2 }] });
    db.close();
  });
});
