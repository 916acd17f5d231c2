// A till process for crash tests: opens the database, drains the outbox against the test back end with
// real time, and exits. The parent kills it with SIGKILL at chosen moments and starts it again.
import { openDb } from '../../../main/store';
import { OutboxWorker, realSleep, seededRandom } from '../../../main/sync/outbox';
import { httpTestConnector } from './http-test-connector';

const [file, url, seed, waitMs] = process.argv.slice(2);
if (!file || !url) throw new Error('usage: drain-child.ts DB URL [SEED] [WAIT_FOR_RETRIES_MS]');
const db = openDb(file);
const connector = httpTestConnector(url, { timeoutMs: 500 });
const worker = new OutboxWorker({
  db,
  connector,
  clock: { now: () => new Date() },
  sleep: realSleep,
  random: seededRandom(Number(seed ?? 1)),
  policy: { baseMs: 2, capMs: 20, maxRetryAfterMs: 50 },
  concurrency: 4,
});
const report = await worker.drain({ waitForRetriesMs: Number(waitMs ?? 10_000) });
connector.close();
db.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
