import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../../main/store';
import { enqueueEnvelope, outboxStatus } from '../../main/store/outbox';
import { OutboxWorker, realSleep, seededRandom } from '../../main/sync/outbox';
import { httpTestConnector } from '../integration/outbox/http-test-connector';
import type { BenchEntry } from './bench-types';

const ENVELOPES = 10_000;
/** Customers the sales are spread over: deliveries are ordered per customer, so this bounds the parallelism. */
const CUSTOMERS = 1_000;

type DrainState = { dir: string; template: string; backend: ChildProcess; url: string; n: number };

function request(url: string, method: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The loopback test back end in a child process, so this process's CPU and RSS are the till's alone. */
function startBackend(): Promise<{ child: ChildProcess; url: string }> {
  const script = path.join(import.meta.dirname, '..', 'integration', 'outbox', 'backend-process.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve({ child, url: d.toString().trim() }));
    child.once('exit', (code) => reject(new Error(`test back end exited with ${code}`)));
  });
}

/** One till database holding ENVELOPES pending sale envelopes (discount claim + receipt each), built once. */
async function setupDrain(): Promise<DrainState> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-bench-outbox-'));
  const template = path.join(dir, 'template.sqlite');
  const db = openDb(template);
  const at = new Date();
  db.transaction(() => {
    for (let i = 0; i < ENVELOPES; i++) {
      const ref = `demo-branch-till-1-${String(i).padStart(6, '0')}`;
      enqueueEnvelope(
        db,
        {
          kind: 'sale',
          ref,
          orderingKey: `member-${i % CUSTOMERS}`,
          effects: [
            { kind: 'discount_claim', idempotencyKey: `${ref}:claim`, payload: { ref, amount: 1000 + i } },
            { kind: 'receipt', idempotencyKey: `${ref}:receipt`, payload: { ref, lines: 3 } },
          ],
        },
        at,
      );
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const { child, url } = await startBackend();
  return { dir, template, backend: child, url, n: 0 };
}

/**
 * `sync.drain.10000`: one sample is a whole drain of 10,000 pending envelopes (20,000 effects) over loopback
 * HTTP to the test back end (in its own process), from a fresh copy of the same database (the copy is inside
 * the sample and costs a few ms). RSS is this process's: the till's side.
 */
const entries: BenchEntry[] = [
  {
    name: 'sync.drain.10000',
    target: '<= 5000 ms per drain, RSS <= 200 MB',
    samples: 3,
    setup: setupDrain,
    run: async (state) => {
      const s = state as DrainState;
      await request(`${s.url}/reset`, 'POST');
      const file = path.join(s.dir, `run-${s.n++}.sqlite`);
      fs.copyFileSync(s.template, file);
      const db = openDb(file);
      const connector = httpTestConnector(s.url, { timeoutMs: 10_000 });
      try {
        const worker = new OutboxWorker({ db, connector, clock: { now: () => new Date() }, sleep: realSleep, random: seededRandom(1), concurrency: 16 });
        const report = await worker.drain();
        const done = outboxStatus(db, new Date()).counts.done;
        const stats = JSON.parse(await request(`${s.url}/stats`, 'GET')) as { keys: number; requests: number };
        if (report.done !== ENVELOPES || done !== ENVELOPES || stats.keys !== 2 * ENVELOPES || stats.requests !== 2 * ENVELOPES) {
          throw new Error(`bench drain incomplete: ${JSON.stringify(report)}, ${done} done, server ${JSON.stringify(stats)}`);
        }
      } finally {
        connector.close();
        db.close();
        fs.rmSync(file, { force: true });
        fs.rmSync(`${file}-wal`, { force: true });
        fs.rmSync(`${file}-shm`, { force: true });
      }
    },
    teardown: (state) => {
      const s = state as DrainState;
      s.backend.kill();
      fs.rmSync(s.dir, { recursive: true, force: true });
    },
  },
];

export default entries;
