import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../main/store';
import { getBalance, putBalance } from '../../../main/store/balance-cache';
import { getCodeState, markCodeUsed, noteCodeDrawn, setCodeState } from '../../../main/store/gift-card-codes';
import { MIGRATIONS } from '../../../main/store/migrations';
import { tempDir } from '../../helpers/temp-dir';

describe('migration 0290: the state of a gift-card code the till drew on', () => {
  it('keeps cached balances, starts with no code state, and holds only the three states', () => {
    const file = path.join(tempDir(), 'till.sqlite');
    const old = openDb(file, { migrations: MIGRATIONS.filter((m) => m.version < 290) });
    putBalance(old, 'gift_card', 'hash-1', 10_000, 1_000);
    old.close();

    const db = openDb(file, { migrations: MIGRATIONS });
    try {
      expect(getBalance(db, 'gift_card', 'hash-1')?.balanceMinor).toBe(10_000);
      expect(getCodeState(db, 'hash-1')).toBeUndefined();
      // A landed drawdown: the cache drops as of now, and the code is used.
      noteCodeDrawn(db, 'hash-1', 2_500, 5_000);
      expect(getBalance(db, 'gift_card', 'hash-1')).toMatchObject({ balanceMinor: 7_500, fetchedAt: 5_000 });
      expect(getCodeState(db, 'hash-1')).toEqual({ state: 'used', changedAt: 5_000 });
      // Never below zero; a code confirmed reusable stays so.
      setCodeState(db, 'hash-1', 'reusable', 6_000);
      noteCodeDrawn(db, 'hash-1', 9_000, 7_000);
      expect(getBalance(db, 'gift_card', 'hash-1')?.balanceMinor).toBe(0);
      expect(getCodeState(db, 'hash-1')?.state).toBe('reusable');
      markCodeUsed(db, 'hash-2', 8_000);
      expect(getCodeState(db, 'hash-2')?.state).toBe('used');
      expect(() => db.prepare("INSERT INTO gift_card_codes (key, state, changed_at) VALUES ('x', 'maybe', '2026-01-01')").run()).toThrow(/CHECK/);
    } finally {
      db.close();
    }
  });
});
