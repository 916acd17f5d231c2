import { describe, expect, it } from 'vitest';
import type { DrainReport } from '../../../main/sync/outbox';
import { SyncService } from '../../../main/sync/sync-service';

const REPORT: DrainReport = { recovered: [], attempts: 0, done: 0, retries: 0, needsAttention: 0 };

/** A controllable sleep: records each wait and resolves when the test says so or the signal aborts. */
function fakeSleep() {
  const waits: number[] = [];
  let release: (() => void) | undefined;
  const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      waits.push(ms);
      release = resolve;
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  return { sleep, waits, tick: () => release?.() };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('SyncService', () => {
  it('drains, then sleeps until the next retry is due but never longer than the idle wait', async () => {
    const s = fakeSleep();
    let drains = 0;
    let retryAt: number | undefined = 1_000 + 700;
    const svc = new SyncService({
      worker: { drain: () => Promise.resolve((drains++, REPORT)) },
      clock: { now: () => new Date(1_000) },
      sleep: s.sleep,
      nextRetryAt: () => retryAt,
      idleMs: 2_000,
    });
    svc.start();
    await flush();
    expect(drains).toBe(1);
    expect(s.waits).toEqual([700]);
    retryAt = undefined;
    s.tick();
    await flush();
    expect(drains).toBe(2);
    expect(s.waits).toEqual([700, 2_000]);
    await svc.stop();
  });

  it('wakes at once when told (a sale was committed) and stops cleanly', async () => {
    const s = fakeSleep();
    let drains = 0;
    const svc = new SyncService({ worker: { drain: () => Promise.resolve((drains++, REPORT)) }, clock: { now: () => new Date(0) }, sleep: s.sleep, nextRetryAt: () => undefined, idleMs: 60_000 });
    svc.start();
    await flush();
    svc.wake();
    await flush();
    expect(drains).toBe(2);
    await svc.stop();
    const after = drains;
    await flush();
    expect(drains).toBe(after);
  });

  it('survives a drain that throws and tries again after the idle wait', async () => {
    const s = fakeSleep();
    const errors: unknown[] = [];
    let calls = 0;
    const svc = new SyncService({
      worker: { drain: () => (++calls === 1 ? Promise.reject(new Error('disk full')) : Promise.resolve(REPORT)) },
      clock: { now: () => new Date(0) },
      sleep: s.sleep,
      nextRetryAt: () => undefined,
      idleMs: 5_000,
      onError: (e) => errors.push(e),
    });
    svc.start();
    await flush();
    expect(errors).toHaveLength(1);
    expect(s.waits).toEqual([5_000]);
    s.tick();
    await flush();
    expect(calls).toBe(2);
    await svc.stop();
  });
});
