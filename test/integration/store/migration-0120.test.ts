import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SaleService } from '../../../main/agent/sale-service';
import { silentLogger } from '../../../main/log';
import { openDb } from '../../../main/store';
import { cacheMember, cachedMemberByExternalId } from '../../../main/store/member-cache';
import { putBasket, storedBaskets } from '../../../main/store/open-baskets';
import { tryOpenField } from '../../../main/store/sealed-field';
import { tempDir } from '../../helpers/temp-dir';
import { seedTill } from '../sale-api/seed';

describe('migration 0120: open baskets, and members by membership number', () => {
  it('finds a cached member by membership number through member_cache_byExternalId', () => {
    const db = openDb(path.join(tempDir(), 'till.sqlite'));
    try {
      cacheMember(db, { membershipKey: 'k-1', body: { profile: { externalId: '1001', firstName: 'Mia' }, assets: [] }, points: 10, credit: null, fetchedAt: 1, phoneHash: null, emailHash: null });
      expect(cachedMemberByExternalId(db, '1001')?.membershipKey).toBe('k-1');
      expect(cachedMemberByExternalId(db, '1002')).toBeUndefined();
      const plan = db.prepare("EXPLAIN QUERY PLAN SELECT membership_key FROM member_cache WHERE json_extract(body_json, '$.profile.externalId') = ?").all('1001') as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toContain('member_cache_byExternalId');
    } finally {
      db.close();
    }
  });

  it('sets aside a stored basket that does not read back, loads the rest, and says so in the log', () => {
    const db = openDb(path.join(tempDir(), 'till.sqlite'));
    try {
      seedTill(db);
      putBasket(db, 'open', 0, '{"v":1,"basket":{"items":"not a list"}}', new Date());
      putBasket(db, 'S3', 3, JSON.stringify({ v: 1, id: 'S3', suspendedAt: '2026-03-02T10:00:00.000Z', basket: { items: [], nextLineId: 1 }, tenders: [], checks: { pending: [], approvals: [] } }), new Date());
      const errors: string[] = [];
      const logger = silentLogger();
      const sale = new SaleService({
        till: { branchId: 'b', posId: 'p', currency: 'NOK' },
        db: () => db,
        clock: { now: () => new Date() },
        logger: () => Object.assign(Object.create(logger) as typeof logger, { error: (_o: unknown, msg: string) => void errors.push(msg) }),
        onDidChange: () => undefined,
      });
      const view = sale.view();
      expect(view.lines).toEqual([]);
      expect(view.suspended.map((s) => s.id)).toEqual(['S3']);
      expect(errors).toEqual(['a stored basket could not be read back; it is set aside, not loaded']);
      const kept = db.prepare('SELECT slot, body_json FROM open_baskets WHERE slot LIKE ?').all('unreadable:open:%') as { slot: string; body_json: string }[];
      expect(kept).toHaveLength(1);
      // Kept sealed, as every stored basket is (migration 0220).
      expect(kept[0]?.body_json).not.toContain('not a list');
      expect(tryOpenField(db, 'basket', kept[0]?.body_json ?? '')).toContain('not a list');
      // The next suspended basket gets a new id after the restored one.
      sale.addItem('milk', undefined, undefined);
      expect(sale.suspend().suspended.map((s) => s.id)).toEqual(['S3', 'S4']);
      expect(storedBaskets(db).map((b) => b.slot)).toEqual(['open', 'S3', 'S4']);
    } finally {
      db.close();
    }
  });
});
