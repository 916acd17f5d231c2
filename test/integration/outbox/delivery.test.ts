import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { openDb, type WritableDb } from '../../../main/store';
import { getEnvelope, listEffects, outboxStatus, retryEnvelope } from '../../../main/store/outbox';
import { OutboxWorker, seededRandom } from '../../../main/sync/outbox';
import { tempDir } from '../../helpers/temp-dir';
import { enqueue, fakeTime, sale, type FakeTime } from '../../unit/sync/outbox/fakes';
import { httpTestConnector } from './http-test-connector';
import { TestBackend } from './test-backend';

let backend: TestBackend;
let url: string;
let db: WritableDb;
let time: FakeTime;
let connector: ReturnType<typeof httpTestConnector>;
let worker: OutboxWorker;

beforeEach(async () => {
  backend = new TestBackend();
  url = await backend.start();
  db = openDb(dbPath(tempDir()));
  time = fakeTime();
  connector = httpTestConnector(url, { timeoutMs: 300, now: () => time.now() });
  worker = new OutboxWorker({ db, connector, clock: time.clock, sleep: time.sleep, random: seededRandom(20261123), concurrency: 4 });
});

afterEach(async () => {
  connector.close();
  db.close();
  await backend.stop();
});

const pay = (ref: string, amount: number) => ({ kind: 'loyalty_payment' as const, idempotencyKey: `${ref}:pay:0`, payload: { amount }, amountAtRisk: amount });

describe('outbox delivery over loopback HTTP', () => {
  it('delivers to the server exactly once per key and records each effect', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => enqueue(db, sale(`r${i}`, `m${i % 3}`, [pay(`r${i}`, 100 + i)]), time.now()));
    await worker.drain();
    for (const id of ids) expect(getEnvelope(db, id)?.state).toBe('done');
    expect(backend.applied.size).toBe(60);
    expect([...backend.applied.values()].every((n) => n === 1)).toBe(true);
  });

  it('5xx then success: retried after backoff, ends done', async () => {
    const id = enqueue(db, sale('r1'), time.now());
    backend.fault({ type: 'status', status: 503 });
    backend.fault({ type: 'status', status: 500 });
    await worker.drain();
    expect(getEnvelope(db, id)).toMatchObject({ state: 'retry', reason: expect.stringContaining('HTTP 503') as unknown });
    await worker.drain({ waitForRetriesMs: 60_000 });
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(backend.count('r1:claim')).toBe(1);
  });

  it('429 with Retry-After: the next attempt is at the time the server gave', async () => {
    const id = enqueue(db, sale('r1'), time.now());
    backend.fault({ type: 'status', status: 429, retryAfter: '120' });
    const start = time.now();
    await worker.drain();
    expect(getEnvelope(db, id)?.nextAttemptAt).toBe(start + 120_000);
    await worker.drain({ waitForRetriesMs: 300_000 });
    expect(time.sleeps).toEqual([120_000]);
    expect(getEnvelope(db, id)?.state).toBe('done');
  });

  it('a 4xx is permanent: that effect needs attention with the server reason, the payment goes anyway; a manager retry then delivers it', async () => {
    const id = enqueue(db, sale('r1', 'm1', [pay('r1', 4200)]), time.now());
    backend.fault({ match: (kind) => kind === 'receipt', fault: { type: 'status', status: 422, body: 'receipt total does not match lines' } });
    await worker.drain({ waitForRetriesMs: 3_600_000 });
    expect(getEnvelope(db, id)).toMatchObject({ state: 'needs_attention', reasonCode: 'rejected' });
    expect(getEnvelope(db, id)?.reason).toContain('receipt total does not match lines');
    // The refused receipt does not hold back the money: the payment was delivered, nothing is at risk.
    expect(backend.count('r1:pay:0')).toBe(1);
    expect(outboxStatus(db, time.clock.now()).exposure).toBe(0);
    retryEnvelope(db, id, time.clock.now());
    await worker.drain();
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(backend.count('r1:claim')).toBe(1);
    expect(backend.count('r1:pay:0')).toBe(1);
  });

  it('a reset after the server applied: the retry meets 409 on our key and counts as done', async () => {
    const id = enqueue(db, sale('r1'), time.now());
    backend.fault({ match: (kind) => kind === 'receipt', fault: { type: 'reset-after' } });
    await worker.drain({ waitForRetriesMs: 60_000 });
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(listEffects(db, id).map((e) => e.outcome)).toEqual(['applied', 'already_applied']);
    expect(backend.count('r1:receipt')).toBe(1);
  });

  it('a reset before applying and a hang are transient; the effect is delivered once afterwards', async () => {
    const id = enqueue(db, sale('r1'), time.now());
    backend.fault({ match: (kind) => kind === 'discount_claim', fault: { type: 'reset-before' } });
    backend.fault({ match: (kind) => kind === 'receipt', fault: { type: 'hang' } });
    await worker.drain({ waitForRetriesMs: 60_000 });
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(backend.count('r1:claim')).toBe(1);
    expect(backend.count('r1:receipt')).toBe(1);
    // Independent effects: the receipt is tried while the claim waits for its retry.
    expect(backend.log.map((l) => l.outcome)).toEqual(['reset before applying', 'hang', 'applied', 'applied']);
  });

  it('a payment reset after the server applied it is not resent: the till\'s own check finds it landed', async () => {
    const id = enqueue(db, sale('r1', 'm1', [pay('r1', 700)]), time.now());
    backend.fault({ match: (kind) => kind === 'loyalty_payment', fault: { type: 'reset-after' } });
    await worker.drain({ waitForRetriesMs: 3_600_000 });
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(backend.count('r1:pay:0')).toBe(1);
    expect(listEffects(db, id)[2]).toMatchObject({ outcome: 'applied', evidence: expect.objectContaining({ verdict: 'landed' }) });
    expect(outboxStatus(db, time.clock.now())).toMatchObject({ exposure: 0, counts: { done: 1 } });
  });

  it('a payment that timed out and did not land is not resent either: it waits for a manager with the evidence', async () => {
    const id = enqueue(db, sale('r1', 'm1', [pay('r1', 500)]), time.now());
    backend.fault({ match: (kind) => kind === 'loyalty_payment', fault: { type: 'hang' } });
    await worker.drain({ waitForRetriesMs: 3_600_000 });
    expect(getEnvelope(db, id)).toMatchObject({ state: 'needs_attention', reasonCode: 'uncertain' });
    expect(backend.log.filter((l) => l.kind === 'loyalty_payment')).toHaveLength(1);
  });

  it('the queue survives closing and reopening the database file', async () => {
    const file = db.name;
    const id = enqueue(db, sale('r1'), time.now());
    backend.fault({ type: 'status', status: 503 });
    await worker.drain();
    db.close();
    db = openDb(path.resolve(file));
    worker = new OutboxWorker({ db, connector, clock: time.clock, sleep: time.sleep, random: seededRandom(1) });
    expect(getEnvelope(db, id)?.state).toBe('retry');
    await worker.drain({ waitForRetriesMs: 60_000 });
    expect(getEnvelope(db, id)?.state).toBe('done');
  });
});
