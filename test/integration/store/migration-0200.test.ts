import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../main/store';
import { openCardPayments, recordCardPaymentAsked, setCardPaymentState } from '../../../main/store/card-payments';
import { MIGRATIONS } from '../../../main/store/migrations';
import { tempDir } from '../../helpers/temp-dir';

describe('migration 0200: kiosk card payments', () => {
  it('keeps a payment across a close and reopen, and finds the open ones through card_payments_byOpen', () => {
    const file = path.join(tempDir('till-mig-0200-'), 'till.db');
    const now = new Date('2026-12-05T10:00:00Z');
    let db = openDb(file, { migrations: MIGRATIONS });
    recordCardPaymentAsked(db, { reference: 'pos-1-1', amountMinor: 2390, currency: 'NOK', terminalId: 't' }, now);
    recordCardPaymentAsked(db, { reference: 'pos-1-2', amountMinor: 100, currency: 'NOK', terminalId: 't' }, now);
    setCardPaymentState(db, 'pos-1-2', 'declined', now, { reason: 'declined' });
    expect(() => recordCardPaymentAsked(db, { reference: 'pos-1-3', amountMinor: 0, currency: 'NOK', terminalId: 't' }, now)).toThrow(/CHECK/);
    db.close();
    db = openDb(file, { migrations: MIGRATIONS });
    try {
      expect(openCardPayments(db).map((p) => [p.reference, p.state, p.amountMinor])).toEqual([['pos-1-1', 'asked', 2390]]);
      const plan = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM card_payments WHERE state IN ('asked', 'approved', 'staff') ORDER BY created_at, reference").all() as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toContain('card_payments_byOpen');
    } finally {
      db.close();
    }
  });
});
