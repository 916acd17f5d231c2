import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  claimEnvelope,
  getEnvelope,
  listActions,
  listEffects,
  markEffectSent,
  outboxStatus,
  resolveEnvelope,
  retryEnvelope,
} from '../../../../main/store/outbox';
import { OutboxWorker, seededRandom, type RetryPolicy } from '../../../../main/sync/outbox';
import { enqueue, fakeTime, memoryDb, sale, ScriptedConnector, type FakeTime } from './fakes';

const policy: RetryPolicy = { baseMs: 1_000, capMs: 60_000, maxRetryAfterMs: 3_600_000 };

function setup(concurrency = 4): { db: ReturnType<typeof memoryDb>; time: FakeTime; backend: ScriptedConnector; worker: OutboxWorker } {
  const db = memoryDb();
  const time = fakeTime();
  const backend = new ScriptedConnector();
  const worker = new OutboxWorker({ db, connector: backend.connector(), clock: time.clock, sleep: time.sleep, random: seededRandom(20261123), policy, concurrency });
  return { db, time, backend, worker };
}

describe('OutboxWorker', () => {
  it('delivers every effect of an envelope in order and marks it done', async () => {
    const { db, time, backend, worker } = setup();
    const id = enqueue(db, sale('r1', 'm1', [{ kind: 'loyalty_transaction', idempotencyKey: 'r1:tx', payload: {} }]), time.now());
    const report = await worker.drain();
    expect(report.done).toBe(1);
    expect(backend.calls.map((c) => c.key)).toEqual(['r1:claim', 'r1:receipt', 'r1:tx']);
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(listEffects(db, id).every((e) => e.state === 'done' && e.outcome === 'applied')).toBe(true);
  });

  it('a transient failure schedules a retry within the backoff, and the retry skips the effects already done', async () => {
    const { db, time, backend, worker } = setup();
    const id = enqueue(db, sale('r1'), time.now());
    backend.script('r1:receipt', { type: 'transient', reason: 'HTTP 503' });
    const start = time.now();
    await worker.drain();
    const env = getEnvelope(db, id);
    expect(env?.state).toBe('retry');
    expect(env?.reason).toBe('HTTP 503');
    expect(env?.nextAttemptAt).toBeGreaterThanOrEqual(start);
    expect(env?.nextAttemptAt).toBeLessThan(start + policy.baseMs);
    expect(listEffects(db, id).map((e) => e.state)).toEqual(['done', 'pending']);

    await worker.drain({ waitForRetriesMs: 10_000 });
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(backend.calls.map((c) => `${c.key}=${c.result}`)).toEqual(['r1:claim=applied', 'r1:receipt=transient', 'r1:receipt=applied']);
    expect(listEffects(db, id)[1]?.attempts).toBe(2);
  });

  it('honours Retry-After: not sent before the time the server gave, sent once it has come', async () => {
    const { db, time, backend, worker } = setup();
    const id = enqueue(db, sale('r1'), time.now());
    const retryAt = time.now() + 30_000;
    backend.script('r1:claim', { type: 'transient', reason: 'HTTP 429', retryAt });
    await worker.drain();
    expect(getEnvelope(db, id)?.nextAttemptAt).toBe(retryAt);
    time.advance(29_999);
    await worker.drain();
    expect(backend.calls).toHaveLength(1);
    time.advance(1);
    await worker.drain();
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(backend.calls).toHaveLength(3);
  });

  it('keeps backing off with growing delays while the server keeps failing, and never drops the envelope', async () => {
    const { db, time, backend, worker } = setup();
    const id = enqueue(db, sale('r1'), time.now());
    for (let i = 0; i < 12; i++) backend.script('r1:claim', { type: 'transient', reason: 'HTTP 502' });
    const gaps: number[] = [];
    let last = time.now();
    for (let i = 0; i < 12; i++) {
      await worker.drain();
      const env = getEnvelope(db, id);
      expect(env?.state).toBe('retry');
      gaps.push((env?.nextAttemptAt ?? 0) - last);
      expect((env?.nextAttemptAt ?? 0) - time.now()).toBeLessThanOrEqual(policy.capMs);
      time.advance((env?.nextAttemptAt ?? 0) - time.now());
      last = time.now();
    }
    await worker.drain();
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(getEnvelope(db, id)?.attempts).toBe(13);
    // Full jitter: individual gaps vary, but late gaps are on average far longer than early ones.
    const early = (gaps[0] ?? 0) + (gaps[1] ?? 0) + (gaps[2] ?? 0);
    const late = (gaps[9] ?? 0) + (gaps[10] ?? 0) + (gaps[11] ?? 0);
    expect(late).toBeGreaterThan(early);
  });

  it('a permanent failure needs attention with the server reason and the amount at risk; the key waits, other keys go on', async () => {
    const { db, time, backend, worker } = setup();
    const first = enqueue(db, sale('r1', 'm1', [{ kind: 'loyalty_payment', idempotencyKey: 'r1:pay:0', payload: {}, amountAtRisk: 2500 }]), time.now());
    const second = enqueue(db, sale('r2', 'm1'), time.now());
    const other = enqueue(db, sale('r3', 'm2'), time.now());
    backend.script('r1:receipt', { type: 'permanent', reason: 'HTTP 400: unknown store' });
    await worker.drain({ waitForRetriesMs: 60_000 });
    expect(getEnvelope(db, first)?.state).toBe('needs_attention');
    expect(getEnvelope(db, first)?.reason).toContain('unknown store');
    expect(getEnvelope(db, second)?.state).toBe('pending');
    expect(getEnvelope(db, other)?.state).toBe('done');
    expect(backend.calls.some((c) => c.key.startsWith('r2:'))).toBe(false);
    const status = outboxStatus(db, time.clock.now());
    expect(status.counts).toMatchObject({ needs_attention: 1, pending: 1, done: 1 });
    expect(status.needsAttention).toEqual([expect.objectContaining({ id: first, reasonCode: 'rejected', amountAtRisk: 2500 })]);
    expect(status.exposure).toBe(2500);
  });

  it('an envelope needing attention can be retried by a manager, and is then delivered', async () => {
    const { db, time, backend, worker } = setup();
    const id = enqueue(db, sale('r1'), time.now());
    backend.script('r1:claim', { type: 'permanent', reason: 'HTTP 422' });
    await worker.drain();
    expect(getEnvelope(db, id)?.state).toBe('needs_attention');
    retryEnvelope(db, id, time.clock.now(), 'store id fixed');
    expect(getEnvelope(db, id)?.state).toBe('pending');
    await worker.drain();
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(listActions(db, id)).toEqual([expect.objectContaining({ action: 'retry', fromState: 'needs_attention', note: 'store id fixed' })]);
  });

  it('resolving by hand marks the rest done with the note, keeps the record, and lets the key move on', async () => {
    const { db, time, backend, worker } = setup();
    const id = enqueue(db, sale('r1', 'm1'), time.now());
    const next = enqueue(db, sale('r2', 'm1'), time.now());
    backend.script('r1:receipt', { type: 'permanent', reason: 'HTTP 400' });
    await worker.drain();
    resolveEnvelope(db, id, 'receipt entered in the back office by hand', time.clock.now());
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(listEffects(db, id).map((e) => e.outcome)).toEqual(['applied', 'resolved']);
    expect(listActions(db, id)[0]).toMatchObject({ action: 'resolve', note: 'receipt entered in the back office by hand' });
    await worker.drain();
    expect(getEnvelope(db, next)?.state).toBe('done');
    expect(() => resolveEnvelope(db, id, 'again', time.clock.now())).toThrow(/done/);
    expect(() => retryEnvelope(db, 999, time.clock.now())).toThrow(/no outbox envelope 999/);
  });

  it('already_applied (409 on our key) counts as done', async () => {
    const { db, time, backend, worker } = setup();
    const id = enqueue(db, sale('r1'), time.now());
    backend.script('r1:claim', { type: 'already_applied' });
    await worker.drain();
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(listEffects(db, id)[0]?.outcome).toBe('already_applied');
  });

  it('a payment whose outcome is unknown is not sent again: it needs attention with reason uncertain', async () => {
    const { db, time, backend, worker } = setup();
    const id = enqueue(db, sale('r1', 'm1', [{ kind: 'loyalty_payment', idempotencyKey: 'r1:pay:0', payload: {}, amountAtRisk: 900 }]), time.now());
    backend.script('r1:pay:0', { type: 'transient', reason: 'timeout after 10000 ms', uncertain: true });
    await worker.drain({ waitForRetriesMs: 3_600_000 });
    expect(getEnvelope(db, id)).toMatchObject({ state: 'needs_attention', reasonCode: 'uncertain' });
    expect(backend.calls.filter((c) => c.key === 'r1:pay:0')).toHaveLength(1);
    expect(outboxStatus(db, time.clock.now()).exposure).toBe(900);
  });

  it('a payment refused with a definite transient answer (429) is retried', async () => {
    const { db, time, backend, worker } = setup();
    const id = enqueue(db, sale('r1', 'm1', [{ kind: 'loyalty_payment', idempotencyKey: 'r1:pay:0', payload: {} }]), time.now());
    backend.script('r1:pay:0', { type: 'transient', reason: 'HTTP 429', retryAt: time.now() + 5_000 });
    await worker.drain({ waitForRetriesMs: 60_000 });
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(backend.calls.filter((c) => c.key === 'r1:pay:0').map((c) => c.result)).toEqual(['transient', 'applied']);
    expect(listEffects(db, id)[2]?.attempts).toBe(2);
  });

  it('a connector that throws or answers nonsense is a transient failure, not a crash', async () => {
    const { db, time } = setup();
    const id = enqueue(db, sale('r1'), time.now());
    const broken = new Proxy({}, { get: () => () => Promise.reject(new Error('socket hang up')) });
    const worker = new OutboxWorker({ db, connector: broken as never, clock: time.clock, sleep: time.sleep, random: () => 0.5, policy });
    await worker.drain();
    expect(getEnvelope(db, id)).toMatchObject({ state: 'retry', reason: 'connector error: socket hang up' });
    const nonsense = new Proxy({}, { get: () => () => Promise.resolve({ type: 'maybe' }) });
    time.advance(policy.capMs);
    await new OutboxWorker({ db, connector: nonsense as never, clock: time.clock, sleep: time.sleep, random: () => 0.5, policy }).drain();
    expect(getEnvelope(db, id)?.reason).toMatch(/unknown delivery result/);
  });

  it('at start-up, an envelope left in flight is retried with the same keys; one with a sent payment needs attention', async () => {
    const { db, time, backend, worker } = setup();
    const plain = enqueue(db, sale('r1', 'm1'), time.now());
    const paid = enqueue(db, sale('r2', 'm2', [{ kind: 'loyalty_payment', idempotencyKey: 'r2:pay:0', payload: {}, amountAtRisk: 300 }]), time.now());
    // What a till that died mid-request leaves behind.
    claimEnvelope(db, plain, time.now());
    claimEnvelope(db, paid, time.now());
    markEffectSent(db, paid, 2, time.now());
    const report = await worker.drain();
    expect(report.recovered).toEqual([
      { id: plain, to: 'retry' },
      { id: paid, to: 'needs_attention' },
    ]);
    expect(getEnvelope(db, plain)?.state).toBe('done');
    expect(backend.calls.filter((c) => c.key.startsWith('r1:')).map((c) => c.key)).toEqual(['r1:claim', 'r1:receipt']);
    expect(getEnvelope(db, paid)).toMatchObject({ state: 'needs_attention', reasonCode: 'uncertain' });
    expect(backend.calls.some((c) => c.key === 'r2:pay:0')).toBe(false);
    expect(listActions(db, paid)[0]).toMatchObject({ action: 'recover', fromState: 'in_flight' });
    // The manager checked the Loyalty back office: not charged. Retry sends it once.
    retryEnvelope(db, paid, time.clock.now(), 'not charged per back office');
    await worker.drain();
    expect(getEnvelope(db, paid)?.state).toBe('done');
    expect(backend.calls.filter((c) => c.key === 'r2:pay:0')).toHaveLength(1);
  });

  it('delivers in order per ordering key and drops nothing, whatever the failures (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom('m1', 'm2', 'm3', 'anonymous'), payments: fc.boolean() }), { minLength: 1, maxLength: 25 }),
        fc.array(fc.constantFrom('ok', 'ok', 'transient', 'retry-after', 'conflict'), { minLength: 0, maxLength: 60 }),
        fc.integer({ min: 1, max: 4 }),
        async (envelopes, faults, concurrency) => {
          const { db, time, backend } = setup(concurrency);
          const worker = new OutboxWorker({ db, connector: backend.connector(), clock: time.clock, sleep: time.sleep, random: seededRandom(1), policy, concurrency });
          const ids = envelopes.map((e, i) =>
            enqueue(db, sale(`r${i}`, e.key, e.payments ? [{ kind: 'loyalty_payment', idempotencyKey: `r${i}:pay:0`, payload: {} }] : []), time.now()),
          );
          const keys = envelopes.flatMap((e, i) => [`r${i}:claim`, `r${i}:receipt`, ...(e.payments ? [`r${i}:pay:0`] : [])]);
          faults.forEach((f, n) => {
            const key = keys[n % keys.length] ?? '';
            if (f === 'transient') backend.script(key, { type: 'transient', reason: 'HTTP 503' });
            if (f === 'retry-after') backend.script(key, { type: 'transient', reason: 'HTTP 429', retryAt: time.now() + 7_000 });
            if (f === 'conflict' && !key.includes(':pay:')) backend.script(key, { type: 'already_applied' });
          });
          await worker.drain({ waitForRetriesMs: 24 * 3_600_000 });
          for (const id of ids) expect(getEnvelope(db, id)?.state).toBe('done');
          // Nothing applied twice, nothing lost.
          const firstSuccess = new Map<string, number>();
          backend.calls.forEach((c, n) => {
            if ((c.result === 'applied' || c.result === 'already_applied') && !firstSuccess.has(c.key)) firstSuccess.set(c.key, n);
          });
          expect(new Set(backend.applied).size).toBe(backend.applied.length);
          expect([...firstSuccess.keys()].sort()).toEqual([...keys].sort());
          // Per ordering key, an envelope's effects all succeed before the next envelope's first attempt.
          for (const key of new Set(envelopes.map((e) => e.key))) {
            const refs = envelopes.map((e, i) => ({ e, i })).filter((x) => x.e.key === key).map((x) => `r${x.i}:`);
            for (let j = 1; j < refs.length; j++) {
              const prevDone = Math.max(...keys.filter((k) => k.startsWith(refs[j - 1] ?? '')).map((k) => firstSuccess.get(k) ?? Infinity));
              const nextStart = backend.calls.findIndex((c) => c.key.startsWith(refs[j] ?? ''));
              expect(nextStart).toBeGreaterThan(prevDone);
            }
          }
        },
      ),
      { seed: 20261123, numRuns: 60 },
    );
  });
});
