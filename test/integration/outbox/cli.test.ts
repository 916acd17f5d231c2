import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { syncCommand, formatAge, type Output } from '../../../main/cli/commands/sync';
import { openDb } from '../../../main/store';
import { getEnvelope, listActions, type OutboxStatus } from '../../../main/store/outbox';
import { OutboxWorker, seededRandom } from '../../../main/sync/outbox';
import { runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';
import { enqueue, sale } from '../../unit/sync/outbox/fakes';
import { httpTestConnector } from './http-test-connector';
import { TestBackend } from './test-backend';

let backend: TestBackend;
let url: string;
let dataDir: string;

beforeEach(async () => {
  backend = new TestBackend();
  url = await backend.start();
  dataDir = tempDir();
});
afterEach(async () => {
  process.exitCode = undefined;
  await backend.stop();
});

/** A till with one delivered sale, one refused (with 12.50 at risk), one behind it, and one pending. */
async function prepareTill(): Promise<{ refused: number; blocked: number; pending: number }> {
  const db = openDb(dbPath(dataDir));
  const t = Date.now() - 90_000;
  enqueue(db, sale('s1', 'm9'), t);
  const refused = enqueue(db, sale('s2', 'm1', [{ kind: 'loyalty_payment', idempotencyKey: 's2:pay:0', payload: {}, amountAtRisk: 1250 }]), t);
  const blocked = enqueue(db, sale('s3', 'm1'), t);
  backend.fault({ match: (_k, key) => key === 's2:receipt', fault: { type: 'status', status: 400, body: 'unknown store id' } });
  const connector = httpTestConnector(url);
  await new OutboxWorker({ db, connector, clock: { now: () => new Date() }, sleep: () => Promise.resolve(), random: seededRandom(1) }).drain();
  connector.close();
  const pending = enqueue(db, sale('s4', 'm2'), t);
  db.close();
  return { refused, blocked, pending };
}

function capture(isTTY = false): Output & { text: string } {
  const out = { text: '', isTTY, write: (s: string) => (out.text += s) };
  return out;
}

describe('till-agent sync (built CLI)', () => {
  it('status shows counts, the oldest age, what needs attention with its reason, and the exposure', async () => {
    const { refused } = await prepareTill();
    const json = await runCli(['sync', 'status', '--json', '--data-dir', dataDir]);
    expect(json.code, json.stderr).toBe(0);
    const status = JSON.parse(json.stdout) as OutboxStatus & { currency: string };
    expect(status.counts).toMatchObject({ done: 1, needs_attention: 1, pending: 2 });
    expect(status.oldestPendingAgeMs).toBeGreaterThanOrEqual(90_000);
    expect(status.needsAttention).toEqual([expect.objectContaining({ id: refused, reasonCode: 'rejected', amountAtRisk: 1250 })]);
    expect(status.needsAttention[0]?.reason).toContain('unknown store id');
    expect(status.exposure).toBe(1250);

    const text = await runCli(['sync', 'status', '--data-dir', dataDir]);
    expect(text.stdout).toContain('2 pending, 0 in flight, 0 waiting to retry, 1 need attention, 1 done');
    expect(text.stdout).toMatch(/Oldest undelivered: 1m 3\ds old/);
    expect(text.stdout).toContain(`#${refused} sale s2 [rejected, 12.50 ${status.currency} at risk]`);
    expect(text.stdout).toContain('unknown store id');
  });

  it('retry and resolve change the state, keep a record, and refuse what cannot be done', async () => {
    const { refused, pending } = await prepareTill();
    const retried = await runCli(['sync', 'retry', String(refused), '--note', 'store id fixed', '--data-dir', dataDir]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toContain(`Envelope #${refused} (sale s2) is pending again`);

    const noNote = await runCli(['sync', 'resolve', String(pending), '--data-dir', dataDir]);
    expect(noNote.code).not.toBe(0);
    expect(noNote.stderr).toContain('--note');

    const resolved = await runCli(['sync', 'resolve', String(pending), '--note', 'entered by hand', '--data-dir', dataDir]);
    expect(resolved.code, resolved.stderr).toBe(0);
    const again = await runCli(['sync', 'retry', String(pending), '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is done');
    const missing = await runCli(['sync', 'retry', '4242', '--data-dir', dataDir]);
    expect(missing.stderr).toContain('no outbox envelope 4242');

    const db = openDb(dbPath(dataDir));
    expect(getEnvelope(db, refused)?.state).toBe('pending');
    expect(getEnvelope(db, pending)?.state).toBe('done');
    expect(listActions(db, refused)).toEqual([expect.objectContaining({ action: 'retry', note: 'store id fixed' })]);
    expect(listActions(db, pending)).toEqual([expect.objectContaining({ action: 'resolve', note: 'entered by hand' })]);
    db.close();
  });

  it('drain without a back end says so and exits non-zero without touching the queue', async () => {
    await prepareTill();
    const r = await runCli(['sync', 'drain', '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no back end configured');
    const status = JSON.parse((await runCli(['sync', 'status', '--json', '--data-dir', dataDir])).stdout) as OutboxStatus;
    expect(status.counts.pending).toBe(2);
  });

  it('status on a data directory without a database is a clear error', async () => {
    const r = await runCli(['sync', 'status', '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('There is no till database');
  });
});

describe('sync drain with a connector factory', () => {
  it('delivers what it can, shows progress on a terminal, and exits 1 while something needs attention', async () => {
    const { refused, blocked, pending } = await prepareTill();
    const connector = httpTestConnector(url);
    const stdout = capture();
    const stderr = capture(true);
    await syncCommand({ connectorFactory: () => connector, stdout, stderr }).parseAsync(['drain', '--data-dir', dataDir], { from: 'user' });
    expect(process.exitCode).toBe(1);
    expect(stderr.text).toContain('delivering [');
    expect(stderr.text).toContain('] 1/2');
    expect(stdout.text).toContain('Delivered 1 envelope(s)');
    expect(stdout.text).toContain(`#${refused} sale s2`);

    process.exitCode = undefined;
    const db = openDb(dbPath(dataDir));
    expect(getEnvelope(db, pending)?.state).toBe('done');
    expect(getEnvelope(db, blocked)?.state).toBe('pending');
    db.close();
    await syncCommand({ stdout, stderr }).parseAsync(['retry', String(refused), '--data-dir', dataDir], { from: 'user' });
    const quiet = capture(false);
    await syncCommand({ connectorFactory: () => connector, stdout: quiet, stderr: quiet }).parseAsync(['drain', '--data-dir', dataDir], { from: 'user' });
    connector.close();
    expect(process.exitCode).toBeUndefined();
    expect(quiet.text).toBe('Delivered 2 envelope(s) in 2 attempt(s); 0 still waiting, 0 need attention.\n');
    for (const key of ['s1:claim', 's2:claim', 's2:receipt', 's2:pay:0', 's3:receipt', 's4:receipt']) expect(backend.count(key), key).toBe(1);
  });
});

describe('sync drain next to a running agent', () => {
  it('refuses while another live process holds the delivery lease, and leaves the queue alone', async () => {
    await prepareTill();
    const db = openDb(dbPath(dataDir));
    // The parent of this test process stands in for a running agent on this host.
    db.prepare('INSERT INTO outbox_lease (id, owner, host, pid, expires_at) VALUES (1, ?, ?, ?, ?)').run(
      `${os.hostname()}:${process.ppid}`,
      os.hostname(),
      process.ppid,
      Date.now() + 60_000,
    );
    db.close();
    const connector = httpTestConnector(url);
    const stdout = capture();
    const requestsBefore = backend.log.length;
    await syncCommand({ connectorFactory: () => connector, stdout, stderr: capture() }).parseAsync(['drain', '--data-dir', dataDir], { from: 'user' });
    connector.close();
    expect(process.exitCode).toBe(1);
    expect(backend.log.length).toBe(requestsBefore);
    expect(stdout.text).toBe('');
  });
});

describe('formatAge', () => {
  it('shows the two largest units', () => {
    expect(formatAge(800)).toBe('800 ms');
    expect(formatAge(65_000)).toBe('1m 5s');
    expect(formatAge(2 * 86_400_000 + 3 * 3_600_000 + 59_000)).toBe('2d 3h');
    expect(formatAge(3_600_000)).toBe('1h 0m');
  });
});
