import { describe, expect, it } from 'vitest';
import { TillError } from '../../../../main/core/errors';
import { claimEnvelope, getEnvelope } from '../../../../main/store/outbox';
import { OutboxWorker, seededRandom, type Connector } from '../../../../main/sync/outbox';
import { enqueue, fakeTime, memoryDb, sale, ScriptedConnector } from './fakes';

type Row = { owner: string; host: string; pid: number; expires_at: number };

describe('the delivery lease', () => {
  function till(): { db: ReturnType<typeof memoryDb>; time: ReturnType<typeof fakeTime>; backend: ScriptedConnector } {
    return { db: memoryDb(), time: fakeTime(), backend: new ScriptedConnector() };
  }
  const hold = (db: ReturnType<typeof memoryDb>, row: Row): void => {
    db.prepare('INSERT INTO outbox_lease (id, owner, host, pid, expires_at) VALUES (1, ?, ?, ?, ?)').run(row.owner, row.host, row.pid, row.expires_at);
  };

  it('refuses to drain while another live process holds it, and recovers nothing of that process', async () => {
    const { db, time, backend } = till();
    const id = enqueue(db, sale('r1'), time.now());
    claimEnvelope(db, id, time.now());
    hold(db, { owner: 'till-b:77', host: 'till-b', pid: 77, expires_at: time.now() + 60_000 });
    const worker = new OutboxWorker({ db, connector: backend.connector(), clock: time.clock, sleep: time.sleep, random: seededRandom(1), lease: { host: 'till-a', pid: 5 } });
    const err = await worker.drain().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TillError);
    expect((err as TillError).code).toBe('CONFLICT');
    expect((err as TillError).message).toContain('pid 77 on till-b');
    expect(getEnvelope(db, id)?.state).toBe('in_flight');
    expect(backend.calls).toHaveLength(0);
  });

  it('takes over from a dead process on this host, or an expired lease, and recovers its envelopes', async () => {
    const { db, time, backend } = till();
    const id = enqueue(db, sale('r1'), time.now());
    claimEnvelope(db, id, time.now());
    hold(db, { owner: 'till-a:77', host: 'till-a', pid: 77, expires_at: time.now() + 60_000 });
    const alive = new Set([5]);
    const worker = new OutboxWorker({
      db,
      connector: backend.connector(),
      clock: time.clock,
      sleep: time.sleep,
      random: seededRandom(1),
      lease: { host: 'till-a', pid: 5, isAlive: (pid) => alive.has(pid) },
    });
    const report = await worker.drain();
    expect(report.recovered).toEqual([{ id, to: 'retry' }]);
    expect(getEnvelope(db, id)?.state).toBe('done');
    expect(db.prepare('SELECT COUNT(*) AS n FROM outbox_lease').get()).toEqual({ n: 0 });

    hold(db, { owner: 'till-b:9', host: 'till-b', pid: 9, expires_at: time.now() - 1 });
    enqueue(db, sale('r2'), time.now());
    expect((await worker.drain()).done).toBe(1);
  });

  it('is renewed while a long drain runs', async () => {
    const { db, time, backend } = till();
    for (let i = 0; i < 6; i++) enqueue(db, sale(`r${i}`, 'm1'), time.now());
    const seen: (Row & { at: number })[] = [];
    const slow = backend.connector();
    const connector = new Proxy(slow, {
      get: (target, kind: keyof Connector) => async (...args: Parameters<Connector['receipt']>) => {
        time.advance(1_000);
        seen.push({ ...(db.prepare('SELECT * FROM outbox_lease').get() as Row), at: time.now() });
        return (target[kind] as Connector['receipt'])(...args);
      },
    });
    const start = time.now();
    await new OutboxWorker({ db, connector, clock: time.clock, sleep: time.sleep, random: seededRandom(1), lease: { ttlMs: 6_000 } }).drain();
    // 12 requests of 1 s each against a 6 s lease: it never lapses while the drain runs.
    expect(seen).toHaveLength(12);
    for (const r of seen) expect(r.expires_at).toBeGreaterThan(r.at);
    expect(Math.max(...seen.map((r) => r.expires_at))).toBeGreaterThan(start + 12_000);
  });
});
