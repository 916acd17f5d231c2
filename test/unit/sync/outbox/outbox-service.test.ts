import { afterEach, describe, expect, it } from 'vitest';
import { getEnvelope } from '../../../../main/store/outbox';
import { OutboxService, OutboxWorker, seededRandom, type DrainReport } from '../../../../main/sync/outbox';
import type { Sleep } from '../../../../main/sync/outbox/worker';
import { enqueue, fakeTime, memoryDb, sale, ScriptedConnector } from './fakes';

/** A sleep the test ends by hand (or a poke/stop ends through its signal); every requested wait is recorded. */
function manualSleep(time: ReturnType<typeof fakeTime>): { sleep: Sleep; waits: number[]; wakeUp(): void; asleep: () => Promise<void> } {
  const waits: number[] = [];
  let resolveCurrent: (() => void) | undefined;
  let onAsleep: (() => void) | undefined;
  return {
    waits,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        waits.push(ms);
        const done = (): void => {
          resolveCurrent = undefined;
          time.advance(ms);
          resolve();
        };
        resolveCurrent = done;
        signal?.addEventListener('abort', () => resolve(), { once: true });
        onAsleep?.();
      }),
    wakeUp: () => resolveCurrent?.(),
    asleep: () => new Promise<void>((resolve) => (onAsleep = resolve)),
  };
}

const services: OutboxService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
});

describe('OutboxService', () => {
  it('drains on start, sleeps until the next retry is due, drains again then', async () => {
    const db = memoryDb();
    const time = fakeTime();
    const backend = new ScriptedConnector();
    const id = enqueue(db, sale('r1'), time.now());
    backend.script('r1:claim', { type: 'transient', reason: 'HTTP 429', retryAt: time.now() + 5_000 });
    const worker = new OutboxWorker({ db, connector: backend.connector(), clock: time.clock, sleep: time.sleep, random: seededRandom(1) });
    const manual = manualSleep(time);
    const service = new OutboxService({ worker, db, clock: time.clock, sleep: manual.sleep, idleMs: 60_000 });
    services.push(service);
    const reports: DrainReport[] = [];
    service.onDidDrain((r) => reports.push(r));
    let asleep = manual.asleep();
    service.start();
    await asleep;
    expect(manual.waits).toEqual([5_000]);
    expect(getEnvelope(db, id)?.state).toBe('retry');
    asleep = manual.asleep();
    manual.wakeUp();
    await asleep;
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(manual.waits).toEqual([5_000, 60_000]);
    expect(reports.map((r) => r.done)).toEqual([0, 1]);
  });

  it('a poke after a sale is committed drains at once instead of waiting out the idle interval', async () => {
    const db = memoryDb();
    const time = fakeTime();
    const backend = new ScriptedConnector();
    const worker = new OutboxWorker({ db, connector: backend.connector(), clock: time.clock, sleep: time.sleep, random: seededRandom(1) });
    const manual = manualSleep(time);
    const service = new OutboxService({ worker, db, clock: time.clock, sleep: manual.sleep, idleMs: 60_000 });
    services.push(service);
    let asleep = manual.asleep();
    service.start();
    await asleep;
    const id = enqueue(db, sale('r1'), time.now());
    asleep = manual.asleep();
    service.poke();
    await asleep;
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(backend.calls.map((c) => c.key)).toEqual(['r1:claim', 'r1:receipt']);
  });

  it('a failed drain is logged and retried after the error backoff; stop ends the loop', async () => {
    const db = memoryDb();
    const time = fakeTime();
    const worker = { drain: () => Promise.reject(new Error('database is locked')) } as unknown as OutboxWorker;
    const manual = manualSleep(time);
    const warnings: string[] = [];
    const service = new OutboxService({
      worker,
      db,
      clock: time.clock,
      sleep: manual.sleep,
      errorBackoffMs: 7_000,
      logger: { info: () => undefined, warn: (_o, msg) => warnings.push(msg) },
    });
    const asleep = manual.asleep();
    service.start();
    await asleep;
    expect(manual.waits).toEqual([7_000]);
    expect(warnings).toEqual(['outbox: drain failed; trying again later']);
    await service.stop();
  });
});
