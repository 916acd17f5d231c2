import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb, type WritableDb } from '../../../main/store';
import { MIGRATIONS } from '../../../main/store/migrations';
import { getEnvelope, listEffects } from '../../../main/store/outbox';
import { tempDir } from '../../helpers/temp-dir';

/** A till database as version 0170 left it, with envelopes in the states the old worker produced. */
function oldTill(file: string): void {
  const db = openDb(file, { migrations: MIGRATIONS.filter((m) => m.version < 180) });
  try {
    db.pragma('foreign_keys = OFF');
    const sale = db.prepare(
      `INSERT INTO sales (branch_id, pos_id, sale_no, receipt_id, kind, state, business_day_id, shift_id, operator_id, customer_id, member_id, currency,
         gross_minor, discount_minor, net_minor, vat_minor, tendered_minor, change_minor, rule_set_version, purchase_at, document_json, document_sha256)
       VALUES ('b', 'p', ?, ?, 'sale', 'completed', 1, 1, 'op', ?, ?, 'NOK', 0, 0, 0, 0, 0, 0, 'v', '2026-12-01T10:00:00Z', '{}', 'x')`,
    );
    sale.run(1, 'r1', 'c-1', 'm-1');
    sale.run(2, 'r2', null, 'm-1');
    sale.run(3, 'r3', 'c-1', 'm-1');
    const env = db.prepare("INSERT INTO outbox_envelopes (id, kind, ref, ordering_key, state, reason_code, reason, created_at, updated_at) VALUES (?, 'sale', ?, ?, ?, ?, ?, 1, 5)");
    env.run(1, 'r1', 'c-1', 'needs_attention', 'rejected', 'discount_claim r1:claim refused: REPEAT_USAGE_EXCEEDED');
    env.run(2, 'r2', 'member:m-1', 'needs_attention', 'uncertain', 'payment r2:pay:0: connection reset');
    env.run(3, 'r3', 'c-1', 'done', null, null);
    const effect = db.prepare('INSERT INTO outbox_effects (envelope_id, seq, kind, idempotency_key, payload, state, outcome, sent_at) VALUES (?, ?, ?, ?, \'{}\', ?, ?, ?)');
    effect.run(1, 0, 'discount_claim', 'r1:claim', 'pending', null, null);
    effect.run(1, 1, 'receipt', 'r1:receipt', 'pending', null, null);
    effect.run(1, 2, 'loyalty_transaction', 'r1:tx', 'pending', null, null);
    effect.run(2, 0, 'receipt', 'r2:receipt', 'done', 'applied', null);
    effect.run(2, 1, 'loyalty_payment', 'r2:pay:0', 'pending', null, 4);
    effect.run(3, 0, 'receipt', 'r3:receipt', 'done', 'applied', null);
    db.prepare("INSERT INTO outbox_actions (envelope_id, action, from_state, note, at) VALUES (1, 'retry', 'needs_attention', 'tried', 3)").run();
  } finally {
    db.close();
  }
}

describe('migrations 0180 (effect states) and 0185 (one lane per person) on queued data', () => {
  it('keeps the failure on the effect that failed, lets the rest go, and moves a member into one lane', () => {
    const file = path.join(tempDir(), 'till.sqlite');
    oldTill(file);
    const db: WritableDb = openDb(file);
    try {
      // The refused claim keeps its refusal; the receipt and the transaction are free to go.
      expect(listEffects(db, 1).map((e) => [e.kind, e.state, e.reasonCode])).toEqual([
        ['discount_claim', 'needs_attention', 'rejected'],
        ['receipt', 'pending', null],
        ['loyalty_transaction', 'pending', null],
      ]);
      expect(listEffects(db, 1)[0]?.reason).toContain('REPEAT_USAGE_EXCEEDED');
      // The uncertain payment is checked by the till, its sent marker kept: never resent blindly.
      expect(listEffects(db, 2)[1]).toMatchObject({ state: 'uncertain', sentAt: 4 });
      expect(getEnvelope(db, 1)).toMatchObject({ state: 'retry', orderingKey: 'member:m-1' });
      expect(getEnvelope(db, 2)).toMatchObject({ state: 'retry', orderingKey: 'member:m-1' });
      // Delivered history keeps the key it was delivered under.
      expect(getEnvelope(db, 3)).toMatchObject({ state: 'done', orderingKey: 'c-1' });
      expect(db.prepare('SELECT action, effect_seq, note FROM outbox_actions').all()).toEqual([{ action: 'retry', effect_seq: null, note: 'tried' }]);
      const plan = (sql: string): string => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan("SELECT envelope_id FROM outbox_effects WHERE waits_for = 'k' AND state = 'needs_attention'")).toContain('outbox_effects_byWaitsFor');
      expect(plan("SELECT * FROM outbox_actions WHERE action = 'write_off' AND at >= 0 AND at < 10")).toContain('outbox_actions_byWriteOff');
    } finally {
      db.close();
    }
  });
});
