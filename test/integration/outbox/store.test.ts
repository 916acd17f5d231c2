import { describe, expect, it } from 'vitest';
import { TillError } from '../../../main/core/errors';
import { openDb } from '../../../main/store';
import { enqueueEnvelope, getEnvelope, listEffects, outboxStatus } from '../../../main/store/outbox';
import { OutboxWorker, seededRandom } from '../../../main/sync/outbox';
import { dbPath } from '../../../main/agent/data-dir';
import { tempDir } from '../../helpers/temp-dir';
import { enqueue, fakeTime, sale, ScriptedConnector } from '../../unit/sync/outbox/fakes';

describe('0020-outbox schema and enqueueEnvelope', () => {
  it('stores the envelope pending with its effects in order, payloads and amounts intact', () => {
    const db = openDb(':memory:');
    const id = enqueue(
      db,
      sale('r1', 'm1', [{ kind: 'loyalty_payment', idempotencyKey: 'r1:pay:0', payload: { amount: 1234, nested: { a: [1, 2] } }, amountAtRisk: 1234 }]),
      Date.UTC(2026, 0, 2),
    );
    expect(getEnvelope(db, id)).toMatchObject({ kind: 'sale', ref: 'r1', orderingKey: 'm1', state: 'pending', attempts: 0, createdAt: Date.UTC(2026, 0, 2) });
    expect(listEffects(db, id).map((e) => [e.seq, e.kind, e.idempotencyKey, e.amountAtRisk])).toEqual([
      [0, 'discount_claim', 'r1:claim', 0],
      [1, 'receipt', 'r1:receipt', 0],
      [2, 'loyalty_payment', 'r1:pay:0', 1234],
    ]);
    expect(listEffects(db, id)[2]?.payload).toEqual({ amount: 1234, nested: { a: [1, 2] } });
    expect(outboxStatus(db, new Date(Date.UTC(2026, 0, 2))).openExposure).toBe(1234);
  });

  it('must run inside the caller’s transaction, so the envelope commits or rolls back with the sale', () => {
    const db = openDb(':memory:');
    expect(() => enqueueEnvelope(db, sale('r1'), new Date())).toThrow(/inside the caller/);
    db.exec('CREATE TABLE test_sales (id TEXT PRIMARY KEY) STRICT');
    const commit = db.transaction((ref: string, fail: boolean) => {
      db.prepare('INSERT INTO test_sales VALUES (?)').run(ref);
      enqueueEnvelope(db, sale(ref), new Date());
      if (fail) throw new Error('printer job insert failed');
    });
    expect(() => commit('r1', true)).toThrow('printer job');
    expect(outboxStatus(db, new Date()).counts.pending).toBe(0);
    commit('r1', false);
    expect(outboxStatus(db, new Date()).counts.pending).toBe(1);
  });

  it('refuses a reused idempotency key, an envelope without effects, and a bad amount at risk', () => {
    const db = openDb(':memory:');
    enqueue(db, sale('r1'), 0);
    const dup = (): number => enqueue(db, { kind: 'void', ref: 'v1', orderingKey: 'anonymous', effects: [{ kind: 'claim_release', idempotencyKey: 'r1:claim', payload: {} }] }, 0);
    expect(dup).toThrow(TillError);
    expect(dup).toThrow(/r1:claim is already in the outbox/);
    expect(() => enqueue(db, { kind: 'event', ref: 'e1', orderingKey: 'x', effects: [] }, 0)).toThrow(/no effects/);
    expect(() => enqueue(db, { kind: 'sale', ref: 's', orderingKey: 'x', effects: [{ kind: 'receipt', idempotencyKey: 'k', payload: {}, amountAtRisk: 1.5 }] }, 0)).toThrow(
      /amountAtRisk/,
    );
    expect(outboxStatus(db, new Date()).counts.pending).toBe(1);
  });

  it('the worker’s and the status queries use the indexes', () => {
    const db = openDb(':memory:');
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan("SELECT * FROM outbox_envelopes WHERE ordering_key = 'm1' AND id > 0 AND state != 'done' ORDER BY id LIMIT 1")).toContain(
      'outbox_envelopes_byOrderingKey',
    );
    expect(plan("SELECT MIN(id) FROM outbox_envelopes WHERE state != 'done' GROUP BY ordering_key")).toContain('outbox_envelopes_byOrderingKey');
    expect(plan("SELECT MIN(next_attempt_at) FROM outbox_envelopes WHERE state = 'retry'")).toContain('outbox_envelopes_byState');
    expect(plan("SELECT state, COUNT(*) FROM outbox_envelopes WHERE state IN ('pending', 'retry') GROUP BY state")).toContain('outbox_envelopes_byState');
    expect(plan("SELECT * FROM outbox_envelopes WHERE ref = 'r1'")).toContain('outbox_envelopes_byRef');
    expect(plan('SELECT * FROM outbox_effects WHERE envelope_id = 1 ORDER BY seq')).toMatch(/outbox_effects/);
  });
});

describe('a full disk during delivery', () => {
  it('stops the drain with DB_FULL, keeps the queue, and after space is freed nothing is delivered twice', async () => {
    const file = dbPath(tempDir());
    const db = openDb(file);
    const time = fakeTime();
    const ids = Array.from({ length: 200 }, (_, i) => enqueue(db, sale(`r${i}`, `m${i % 7}`, [{ kind: 'loyalty_transaction', idempotencyKey: `r${i}:tx`, payload: { pad: 'x'.repeat(400) } }]), time.now()));
    db.exec('CREATE TABLE filler (b BLOB) STRICT');
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 50}`);
    // Make every page full: bookkeeping that needs a new page now fails.
    const backend = new ScriptedConnector();
    const worker = new OutboxWorker({ db, connector: backend.connector(), clock: time.clock, sleep: time.sleep, random: seededRandom(1) });
    expect(() => {
      for (;;) db.prepare('INSERT INTO filler VALUES (randomblob(2000))').run();
    }).toThrow();
    const error = await worker.drain().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TillError);
    expect((error as TillError).code).toBe('DB_FULL');
    db.pragma('max_page_count = 1000000');
    expect(outboxStatus(db, time.clock.now()).counts.done + outboxStatus(db, time.clock.now()).counts.pending).toBeLessThanOrEqual(200);
    const again = new OutboxWorker({ db, connector: backend.connector(), clock: time.clock, sleep: time.sleep, random: seededRandom(1) });
    await again.drain({ waitForRetriesMs: 60_000 });
    for (const id of ids) expect(getEnvelope(db, id)?.state).toBe('done');
    expect(new Set(backend.applied).size).toBe(backend.applied.length);
    expect(backend.applied).toHaveLength(600);
    db.close();
  });
});
