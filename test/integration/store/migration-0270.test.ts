import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../main/store';
import { beginPaymentOp, finishPaymentOp, getPaymentOp, listMemberPaymentOps } from '../../../main/store/loyalty-confirmations';
import { MIGRATIONS } from '../../../main/store/migrations';
import { tempDir } from '../../helpers/temp-dir';

const MEMBER = '{"membershipKey":"mk-1"}';

describe("migration 0270: a payment attempt's before-read and send times", () => {
  it('leaves older attempts without times, records them for new ones, and lists one member through loyalty_payment_ops_byMember', () => {
    const file = path.join(tempDir(), 'till.sqlite');
    const old = openDb(file, { migrations: MIGRATIONS.filter((m) => m.version < 270) });
    // As beginPaymentOp wrote an attempt before this version (its answer never came).
    old
      .prepare(
        `INSERT INTO loyalty_payment_ops (op_key, payment_key, sale_key, action, amount, member_json, state, before_points, before_credit, updated_at)
         VALUES ('old', 'old', 's0', 'pay', 5, ?, 'sending', 100, NULL, 500)`,
      )
      .run(MEMBER);
    old.close();

    const db = openDb(file, { migrations: MIGRATIONS });
    try {
      expect(getPaymentOp(db, 'old')).toMatchObject({ state: 'sending', beforeReadAt: null, sentAt: null, updatedAt: 500 });
      const op = { paymentKey: 'p1', saleKey: 's1', action: 'pay', amount: 16, memberJson: MEMBER, before: { points: 95, credit: null } } as const;
      expect(beginPaymentOp(db, { ...op, opKey: 'p1', beforeReadAt: 990 }, 1000)).toMatchObject({ beforeReadAt: 990, sentAt: 1000, updatedAt: 1000 });
      finishPaymentOp(db, 'p1', { state: 'done', confirmationCode: 'c-1' }, 1100);
      expect(getPaymentOp(db, 'p1')).toMatchObject({ beforeReadAt: 990, sentAt: 1000, updatedAt: 1100 });
      // A refused attempt begun again gets the new attempt's times.
      beginPaymentOp(db, { ...op, opKey: 'p2', beforeReadAt: 1190 }, 1200);
      finishPaymentOp(db, 'p2', { state: 'failed', reason: 'refused' }, 1210);
      expect(beginPaymentOp(db, { ...op, opKey: 'p2', beforeReadAt: 1290 }, 1300)).toMatchObject({ state: 'sending', beforeReadAt: 1290, sentAt: 1300 });
      beginPaymentOp(db, { ...op, opKey: 'other', memberJson: '{"membershipKey":"mk-2"}', beforeReadAt: 1290 }, 1300);

      // Open ones always, done ones from `sinceMs`, never failed ones, another member's, or the one checked.
      expect(listMemberPaymentOps(db, MEMBER, 'p2', 1100).map((o) => o.opKey)).toEqual(['old', 'p1']);
      expect(listMemberPaymentOps(db, MEMBER, 'p2', 1101).map((o) => o.opKey)).toEqual(['old']);
      expect(listMemberPaymentOps(db, MEMBER, 'old', null).map((o) => o.opKey)).toEqual(['p1', 'p2']);

      const plan = db
        .prepare("EXPLAIN QUERY PLAN SELECT * FROM loyalty_payment_ops WHERE member_json = ? AND state IN ('sending', 'uncertain', 'done') AND op_key <> ?")
        .all(MEMBER, 'p2') as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toContain('loyalty_payment_ops_byMember');
    } finally {
      db.close();
    }
  });
});
