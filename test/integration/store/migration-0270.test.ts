import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../main/store';
import { beginPaymentOp, finishPaymentOp, getPaymentOp, listMemberPaymentOps, opClock } from '../../../main/store/loyalty-confirmations';
import { MIGRATIONS } from '../../../main/store/migrations';
import { tempDir } from '../../helpers/temp-dir';

const MEMBER = '{"membershipKey":"mk-1"}';

describe("migration 0270: the order of a payment attempt's steps among the till's own", () => {
  it('leaves older attempts without order, numbers every new write, and lists one member through loyalty_payment_ops_byMember', () => {
    const file = path.join(tempDir(), 'till.sqlite');
    const old = openDb(file, { migrations: MIGRATIONS.filter((m) => m.version < 270) });
    // As beginPaymentOp wrote attempts before this version: one whose answer never came, one confirmed.
    const insert = old.prepare(
      `INSERT INTO loyalty_payment_ops (op_key, payment_key, sale_key, action, amount, member_json, state, before_points, before_credit, confirmation_code, updated_at)
       VALUES (?, ?, 's0', 'pay', 5, ?, ?, 100, NULL, ?, 500)`,
    );
    insert.run('old-sending', 'old-sending', MEMBER, 'sending', null);
    insert.run('old-done', 'old-done', MEMBER, 'done', 'c-0');
    old.close();

    const db = openDb(file, { migrations: MIGRATIONS });
    try {
      expect(getPaymentOp(db, 'old-done')).toMatchObject({ state: 'done', beforeReadSeq: null, sentSeq: null, endSeq: null });
      expect(opClock(db)).toBe(0);
      const op = { paymentKey: 'p1', saleKey: 's1', action: 'pay', amount: 16, memberJson: MEMBER, before: { points: 95, credit: null } } as const;
      expect(beginPaymentOp(db, { ...op, opKey: 'p1', beforeReadSeq: opClock(db) }, 1000)).toMatchObject({ beforeReadSeq: 0, sentSeq: 1, endSeq: null });
      finishPaymentOp(db, 'p1', { state: 'done', confirmationCode: 'c-1' }, 1000);
      expect(getPaymentOp(db, 'p1')).toMatchObject({ sentSeq: 1, endSeq: 2 });
      // A refused attempt begun again is a new attempt: its new order, no end yet.
      beginPaymentOp(db, { ...op, opKey: 'p2', beforeReadSeq: 2 }, 1000);
      finishPaymentOp(db, 'p2', { state: 'failed', reason: 'refused' }, 1000);
      expect(beginPaymentOp(db, { ...op, opKey: 'p2', beforeReadSeq: 4 }, 1000)).toMatchObject({ state: 'sending', beforeReadSeq: 4, sentSeq: 5, endSeq: null });
      // Kept as it is (not failed): the counter still moves, which orders nothing wrongly.
      expect(beginPaymentOp(db, { ...op, opKey: 'p2', beforeReadSeq: 5 }, 1000)).toMatchObject({ sentSeq: 5 });
      beginPaymentOp(db, { ...op, opKey: 'other', memberJson: '{"membershipKey":"mk-2"}', beforeReadSeq: 6 }, 1000);
      beginPaymentOp(db, { ...op, opKey: 'lost', beforeReadSeq: 7 }, 1000);
      finishPaymentOp(db, 'lost', { state: 'uncertain', reason: 'reset' }, 1000);
      expect(getPaymentOp(db, 'lost')).toMatchObject({ sentSeq: 8, endSeq: 9 });
      finishPaymentOp(db, 'p2', { state: 'failed', reason: 'refused' }, 1000);

      // In flight ones always (even from before 0270), done and lost ones over after `sinceSeq`, never failed
      // ones, another member's, or the one checked.
      expect(listMemberPaymentOps(db, MEMBER, 'p1', 8).map((o) => o.opKey)).toEqual(['old-sending', 'lost']);
      expect(listMemberPaymentOps(db, MEMBER, 'p1', 9).map((o) => o.opKey)).toEqual(['old-sending']);
      expect(listMemberPaymentOps(db, MEMBER, 'lost', 1).map((o) => o.opKey)).toEqual(['old-sending', 'p1']);
      expect(listMemberPaymentOps(db, MEMBER, 'lost', null).map((o) => o.opKey)).toEqual(['old-done', 'old-sending', 'p1']);

      const plan = db
        .prepare("EXPLAIN QUERY PLAN SELECT * FROM loyalty_payment_ops WHERE member_json = ? AND state IN ('sending', 'uncertain', 'done') AND op_key <> ?")
        .all(MEMBER, 'p2') as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toContain('loyalty_payment_ops_byMember');
    } finally {
      db.close();
    }
  });
});
