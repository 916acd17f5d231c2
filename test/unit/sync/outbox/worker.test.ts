import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  claimEnvelope,
  getEnvelope,
  listActions,
  listEffects,
  markEffectSent,
  outboxStatus,
  resolveEffect,
  resolveEnvelope,
  retryEffect,
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
    expect(listEffects(db, id).map((e) => e.state)).toEqual(['done', 'retry']);

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
    // The receipt does not wait for the claim: effects are independent.
    expect(backend.calls.map((c) => `${c.key}=${c.result}`)).toEqual(['r1:claim=transient', 'r1:receipt=applied']);
    time.advance(29_999);
    await worker.drain();
    expect(backend.calls).toHaveLength(2);
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

  it('a permanent failure needs attention for that effect only, with the server reason and the amount at risk; the rest and the person\'s later sales go on', async () => {
    const { db, time, backend, worker } = setup();
    const first = enqueue(db, sale('r1', 'm1', [{ kind: 'loyalty_payment', idempotencyKey: 'r1:pay:0', payload: {}, amountAtRisk: 2500 }]), time.now());
    const second = enqueue(db, sale('r2', 'm1'), time.now());
    const other = enqueue(db, sale('r3', 'm2'), time.now());
    backend.script('r1:pay:0', { type: 'permanent', reason: 'HTTP 400: 407 balance too low' });
    await worker.drain({ waitForRetriesMs: 60_000 });
    expect(getEnvelope(db, first)?.state).toBe('needs_attention');
    expect(getEnvelope(db, first)?.reason).toContain('balance too low');
    expect(listEffects(db, first).map((e) => e.state)).toEqual(['done', 'done', 'needs_attention']);
    expect(getEnvelope(db, second)?.state).toBe('done');
    expect(getEnvelope(db, other)?.state).toBe('done');
    const status = outboxStatus(db, time.clock.now());
    expect(status.counts).toMatchObject({ needs_attention: 1, done: 2 });
    expect(status.needsAttention).toEqual([expect.objectContaining({ id: first, reasonCode: 'rejected', amountAtRisk: 2500 })]);
    expect(status.needsAttention[0]?.effects.map((e) => [e.id, e.kind, e.mandated])).toEqual([[`${first}.2`, 'loyalty_payment', false]]);
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
    expect(listActions(db, id)).toEqual([
      expect.objectContaining({ action: 'retry', effectSeq: 0, fromState: 'needs_attention', note: 'store id fixed' }),
      expect.objectContaining({ action: 'retry', effectSeq: null, fromState: 'needs_attention', note: 'store id fixed' }),
    ]);
  });

  it('resolving by hand settles the one refused effect with the note and keeps the record; a receipt cannot be resolved away', async () => {
    const { db, time, backend, worker } = setup();
    const id = enqueue(db, sale('r1', 'm1'), time.now());
    backend.script('r1:claim', { type: 'permanent', reason: 'HTTP 400 REPEAT_USAGE_EXCEEDED' });
    backend.script('r1:receipt', { type: 'permanent', reason: 'HTTP 400' });
    await worker.drain();
    expect(() => resolveEnvelope(db, id, '  ', time.clock.now())).toThrow(/needs a note/);
    // Only the claim may be resolved, so naming the envelope is enough.
    resolveEnvelope(db, id, 'discount taken back from the customer', time.clock.now());
    expect(listEffects(db, id).map((e) => [e.state, e.outcome])).toEqual([
      ['done', 'resolved'],
      ['needs_attention', null],
    ]);
    expect(() => resolveEffect(db, { envelopeId: id, seq: 1 }, 'posted by hand', time.clock.now())).toThrow(/cannot be resolved away/);
    expect(listActions(db, id)[0]).toMatchObject({ action: 'resolve', effectSeq: 0, note: 'discount taken back from the customer' });
    retryEffect(db, { envelopeId: id, seq: 1 }, time.clock.now());
    await worker.drain();
    expect(getEnvelope(db, id)?.state).toBe('done');
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

  it('a payment whose answer was lost is checked by the till within seconds, not sent again: landed means done', async () => {
    const { db, time, backend, worker } = setup();
    const id = enqueue(db, sale('r1', 'm1', [{ kind: 'loyalty_payment', idempotencyKey: 'r1:pay:0', payload: {}, amountAtRisk: 900 }]), time.now());
    backend.loseAnswer('r1:pay:0', true);
    const start = time.now();
    await worker.drain({ waitForRetriesMs: 60_000 });
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(backend.calls.filter((c) => c.key === 'r1:pay:0').map((c) => c.result)).toEqual(['transient', 'check:read', 'check:landed']);
    expect(time.now() - start).toBeLessThan(10_000);
    expect(listEffects(db, id)[2]).toMatchObject({ outcome: 'applied', evidence: expect.objectContaining({ verdict: 'landed' }) });
    expect(listActions(db, id).map((a) => a.action)).toEqual(['check']);
  });

  it('an uncertain payment the check finds not landed goes to the manager with a recommendation; only a manager retry resends it, once', async () => {
    const { db, time, backend, worker } = setup();
    const id = enqueue(db, sale('r1', 'm1', [{ kind: 'loyalty_payment', idempotencyKey: 'r1:pay:0', payload: {}, amountAtRisk: 900 }]), time.now());
    const later = enqueue(db, sale('r2', 'm1'), time.now());
    backend.loseAnswer('r1:pay:0', false);
    await worker.drain({ waitForRetriesMs: 3_600_000 });
    expect(getEnvelope(db, id)).toMatchObject({ state: 'needs_attention', reasonCode: 'uncertain' });
    // Never resent on its own, however long the till waits. The member's later sales wait: their payments would
    // move the balance the manager's retry is checked against.
    expect(backend.calls.filter((c) => c.key === 'r1:pay:0' && !c.result.startsWith('check:'))).toHaveLength(1);
    expect(getEnvelope(db, later)?.state).toBe('pending');
    const item = outboxStatus(db, time.clock.now()).needsAttention[0];
    expect(item?.effects[0]).toMatchObject({ reasonCode: 'uncertain', evidence: expect.objectContaining({ verdict: 'not_landed', recommendation: expect.stringMatching(/Retry/) }) });
    expect(outboxStatus(db, time.clock.now()).exposure).toBe(900);
    retryEffect(db, { envelopeId: id, seq: 2 }, time.clock.now(), 'customer still owes it');
    await worker.drain({ waitForRetriesMs: 60_000 });
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(getEnvelope(db, later)?.state).toBe('done');
    expect(backend.calls.filter((c) => c.key === 'r1:pay:0').map((c) => c.result)).toEqual(['transient', 'check:read', 'check:not_landed', 'check:read', 'check:not_landed', 'applied']);
  });

  it('a manager retry of an uncertain payment that did land does not send it again', async () => {
    const { db, time, backend, worker } = setup();
    const id = enqueue(db, sale('r1', 'm1', [{ kind: 'loyalty_payment', idempotencyKey: 'r1:pay:0', payload: {} }]), time.now());
    backend.loseAnswer('r1:pay:0', true);
    const evidence = { asset: 'points', before: 1000, amount: 100, direction: -1 as const, readings: [] };
    backend.scriptCheck('r1:pay:0', { type: 'read', evidence }, { type: 'undecided', detail: 'points moved by -300', evidence });
    await worker.drain({ waitForRetriesMs: 60_000 });
    expect(getEnvelope(db, id)).toMatchObject({ state: 'needs_attention', reasonCode: 'uncertain' });
    retryEnvelope(db, id, time.clock.now(), 'retry pressed');
    await worker.drain({ waitForRetriesMs: 60_000 });
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(backend.calls.filter((c) => c.key === 'r1:pay:0' && !c.result.startsWith('check:'))).toHaveLength(1);
  });

  it("an effect that waits on a payment whose answer was lost (checkPayment) is checked, never retried blind; without the flag it is retried", async () => {
    const { db, time, backend, worker } = setup();
    const tx = { kind: 'loyalty_transaction' as const, idempotencyKey: 'v1:tx', payload: { action: 'cancel' } };
    const id = enqueue(db, { kind: 'void', ref: 'v1', orderingKey: 'm1', effects: [tx] }, time.now());
    backend.script('v1:tx', { type: 'transient', reason: 'refund r1:pay:0:cancel: answer lost', uncertain: true, checkPayment: true });
    const evidence = { asset: 'points', before: 1000, amount: 100, direction: 1 as const, readings: [] };
    backend.scriptCheck('v1:tx', { type: 'read', evidence }, { type: 'not_sent', detail: 'the refund it waits for is settled; it goes on' });
    await worker.drain({ waitForRetriesMs: 60_000 });
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(backend.calls.filter((c) => c.key === 'v1:tx').map((c) => c.result)).toEqual(['transient', 'check:read', 'check:not_sent', 'applied']);

    const plain = enqueue(db, { kind: 'void', ref: 'v2', orderingKey: 'm2', effects: [{ ...tx, idempotencyKey: 'v2:tx' }] }, time.now());
    backend.script('v2:tx', { type: 'transient', reason: 'transaction: connection reset', uncertain: true });
    await worker.drain({ waitForRetriesMs: 60_000 });
    expect(getEnvelope(db, plain)?.state).toBe('done');
    expect(backend.calls.filter((c) => c.key === 'v2:tx').map((c) => c.result)).toEqual(['transient', 'applied']);
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
    expect(listEffects(db, id).map((e) => e.state)).toEqual(['retry', 'retry']);
    const nonsense = new Proxy({}, { get: () => () => Promise.resolve({ type: 'maybe' }) });
    time.advance(policy.capMs);
    await new OutboxWorker({ db, connector: nonsense as never, clock: time.clock, sleep: time.sleep, random: () => 0.5, policy }).drain();
    expect(getEnvelope(db, id)?.reason).toMatch(/unknown delivery result/);
  });

  it('at start-up, an envelope left in flight is retried with the same keys; a sent payment is checked, not resent', async () => {
    const { db, time, backend, worker } = setup();
    const plain = enqueue(db, sale('r1', 'm1'), time.now());
    const paid = enqueue(db, sale('r2', 'm2', [{ kind: 'loyalty_payment', idempotencyKey: 'r2:pay:0', payload: {}, amountAtRisk: 300 }]), time.now());
    // What a till that died mid-request leaves behind.
    claimEnvelope(db, plain, time.now());
    claimEnvelope(db, paid, time.now());
    markEffectSent(db, paid, 2, time.now());
    // The connector proves the request never left (no attempt recorded): it is sent as new, once.
    backend.scriptCheck('r2:pay:0', { type: 'not_sent', detail: 'no attempt was recorded' });
    const report = await worker.drain({ waitForRetriesMs: 60_000 });
    expect(report.recovered).toEqual([
      { id: plain, to: 'retry' },
      { id: paid, to: 'retry' },
    ]);
    expect(getEnvelope(db, plain)?.state).toBe('done');
    expect(backend.calls.filter((c) => c.key.startsWith('r1:')).map((c) => c.key)).toEqual(['r1:claim', 'r1:receipt']);
    expect(listActions(db, paid).map((a) => a.action)).toEqual(['recover', 'check']);
    expect(getEnvelope(db, paid)?.state).toBe('done');
    expect(backend.calls.filter((c) => c.key === 'r2:pay:0').map((c) => c.result)).toEqual(['check:not_sent', 'applied']);
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
