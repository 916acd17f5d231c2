import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { openDb } from '../../../main/store';
import { getEnvelope, listEffects, outboxStatus, retryEffect } from '../../../main/store/outbox';
import { OutboxWorker, seededRandom } from '../../../main/sync/outbox';
import { tempDir } from '../../helpers/temp-dir';
import { enqueue, sale } from '../../unit/sync/outbox/fakes';
import { httpTestConnector } from './http-test-connector';
import { TestBackend, type RequestPhase } from './test-backend';

const CHILD = path.join(import.meta.dirname, 'drain-child.ts');
const backends: TestBackend[] = [];
afterEach(async () => {
  for (const b of backends.splice(0)) await b.stop();
});

function startChild(file: string, url: string, seed: number, waitForRetriesMs = 10_000): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, url, String(seed), String(waitForRetriesMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('SIGKILL during delivery', () => {
  it('after kills at random points and restarts, no effect reaches the server twice and none is lost', async () => {
    const random = seededRandom(20261123);
    const backend = new TestBackend();
    backends.push(backend);
    const url = await backend.start();
    const file = dbPath(tempDir());
    const db = openDb(file);
    const keys: string[] = [];
    const ids: number[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 60; i++) {
      const withPayment = i % 3 === 0;
      const ref = `demo-branch-till-1-${String(i).padStart(6, '0')}`;
      const extra = withPayment ? [{ kind: 'loyalty_payment' as const, idempotencyKey: `${ref}:pay:0`, payload: {}, amountAtRisk: 100 + i }] : [];
      ids.push(enqueue(db, sale(ref, ['anonymous', 'm1', 'm2', 'm3', 'm4'][i % 5], extra), t0));
      keys.push(`${ref}:claim`, `${ref}:receipt`, ...extra.map((e) => e.idempotencyKey));
    }
    db.close();

    // Transient trouble along the way, so kills also land in retries.
    backend.fault({ match: () => random() < 0.08, fault: { type: 'status', status: 503 } });
    backend.fault({ match: (kind) => kind !== 'loyalty_payment' && random() < 0.08, fault: { type: 'reset-after' } });
    backend.fault({ match: () => random() < 0.05, fault: { type: 'reset-before' } });

    let kills = 0;
    for (let round = 0; round < 8; round++) {
      const run = startChild(file, url, round + 1);
      const target = 1 + Math.floor(random() * 20);
      const phase: RequestPhase | 'later' = (['received', 'applied', 'later'] as const)[Math.floor(random() * 3)] ?? 'applied';
      let seen = 0;
      // Kill when the target request arrives, right after the server applied it, or a moment after that.
      backend.onPhase = (p) => {
        if (p === 'received') seen += 1;
        if (seen < target || (phase !== 'received' && p === 'received')) return;
        backend.onPhase = undefined;
        if (phase === 'later') setTimeout(() => run.child.kill('SIGKILL'), Math.floor(random() * 4));
        else run.child.kill('SIGKILL');
      };
      const code = await run.exited;
      backend.onPhase = undefined;
      if (code === 0) break;
      expect(run.child.signalCode, run.stderr()).toBe('SIGKILL');
      kills += 1;
    }
    expect(kills).toBeGreaterThanOrEqual(3);
    // The last run is left to finish: its payment checks read the balance seconds apart, which on a loaded
    // machine outlasts the 10 s a killed run gets. An envelope still waiting after this is a real failure.
    const last = startChild(file, url, 99, 60_000);
    expect(await last.exited, last.stderr()).toBe(0);

    const check = openDb(file);
    try {
      for (const key of keys) expect(backend.count(key), key).toBeLessThanOrEqual(1);
      for (const id of ids) {
        const env = getEnvelope(check, id);
        if (env?.state === 'done') {
          // Nothing lost: every effect of a delivered envelope is on the server once.
          for (const e of listEffects(check, id)) expect(backend.count(e.idempotencyKey), e.idempotencyKey).toBe(1);
        } else if (env?.state === 'pending') {
          // Waiting its turn behind the same person's undecided payment (docs/sync.md, "Order"): nothing sent yet.
          const ahead = ids.filter((other) => other < id).map((other) => getEnvelope(check, other));
          expect(ahead.some((a) => a?.orderingKey === env.orderingKey && a.state === 'needs_attention')).toBe(true);
          for (const e of listEffects(check, id)) if (e.state !== 'done') expect(backend.count(e.idempotencyKey), e.idempotencyKey).toBe(0);
        } else {
          // Only payments the till's own check found not landed wait, for a manager; every other effect went.
          expect(env?.state).toBe('needs_attention');
          for (const e of listEffects(check, id)) {
            if (e.state === 'done') expect(backend.count(e.idempotencyKey), e.idempotencyKey).toBe(1);
            else expect([e.kind, e.reasonCode, backend.count(e.idempotencyKey)]).toEqual(['loyalty_payment', 'uncertain', 0]);
          }
        }
      }
      // The manager retries each: the till checks again and sends it once, because it did not land.
      const connector = httpTestConnector(url);
      const worker = new OutboxWorker({ db: check, connector, clock: { now: () => new Date() }, sleep: () => Promise.resolve(), random: seededRandom(5) });
      for (const item of outboxStatus(check, new Date()).needsAttention) {
        for (const e of item.effects) retryEffect(check, { envelopeId: item.id, seq: e.seq }, new Date(), 'customer still owes it');
      }
      await worker.drain({ waitForRetriesMs: 10_000 });
      connector.close();
      expect(outboxStatus(check, new Date()).counts).toMatchObject({ done: 60, pending: 0, retry: 0, in_flight: 0, needs_attention: 0 });
      for (const key of keys) expect(backend.count(key), key).toBe(1);
    } finally {
      check.close();
    }
  }, 180_000);
});
