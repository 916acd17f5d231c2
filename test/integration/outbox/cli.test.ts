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

/**
 * A till with one delivered sale; one whose payment (12.50 at risk) and receipt were refused while its claim went;
 * a later sale of the same member, delivered (a refusal holds back nothing else); and one pending.
 */
async function prepareTill(): Promise<{ refused: number; later: number; pending: number }> {
  const db = openDb(dbPath(dataDir));
  const t = Date.now() - 90_000;
  enqueue(db, sale('s1', 'm9'), t);
  const refused = enqueue(db, sale('s2', 'm1', [{ kind: 'loyalty_payment', idempotencyKey: 's2:pay:0', payload: {}, amountAtRisk: 1250 }]), t);
  const later = enqueue(db, sale('s3', 'm1'), t);
  backend.fault({ match: (_k, key) => key === 's2:receipt', fault: { type: 'status', status: 400, body: 'unknown store id' } });
  backend.fault({ match: (_k, key) => key === 's2:pay:0', fault: { type: 'status', status: 400, body: '407 balance too low' } });
  const connector = httpTestConnector(url);
  await new OutboxWorker({ db, connector, clock: { now: () => new Date() }, sleep: () => Promise.resolve(), random: seededRandom(1) }).drain();
  connector.close();
  const pending = enqueue(db, sale('s4', 'm2'), t);
  db.close();
  return { refused, later, pending };
}

function capture(isTTY = false): Output & { text: string } {
  const out = { text: '', isTTY, write: (s: string) => (out.text += s) };
  return out;
}

describe('till-agent sync (built CLI)', () => {
  it('status shows counts, the oldest age, each effect needing attention with its reason, and the exposure', async () => {
    const { refused } = await prepareTill();
    const json = await runCli(['sync', 'status', '--json', '--data-dir', dataDir]);
    expect(json.code, json.stderr).toBe(0);
    const status = JSON.parse(json.stdout) as OutboxStatus & { currency: string };
    expect(status.counts).toMatchObject({ done: 2, needs_attention: 1, pending: 1 });
    expect(status.oldestPendingAgeMs).toBeGreaterThanOrEqual(90_000);
    expect(status.needsAttention).toEqual([expect.objectContaining({ id: refused, reasonCode: 'rejected', amountAtRisk: 1250 })]);
    expect(status.needsAttention[0]?.effects.map((e) => [e.id, e.kind, e.mandated])).toEqual([
      [`${refused}.1`, 'receipt', true],
      [`${refused}.2`, 'loyalty_payment', false],
    ]);
    expect(status.exposure).toBe(1250);

    const text = await runCli(['sync', 'status', '--data-dir', dataDir]);
    expect(text.stdout).toContain('1 pending, 0 in flight, 0 waiting to retry, 1 need attention, 2 done');
    expect(text.stdout).toMatch(/Oldest undelivered: 1m 3\ds old/);
    expect(text.stdout).toContain(`#${refused} sale s2`);
    expect(text.stdout).toContain(`${refused}.2 loyalty_payment [rejected, 12.50 ${status.currency} at risk]`);
    expect(text.stdout).toContain('unknown store id');
    expect(text.stdout).toContain(`sync write-off ${refused}.1 --note TEXT`);
  });

  it('retry, resolve and write-off act on one effect, keep a record, and refuse what cannot be done', async () => {
    const { refused, pending } = await prepareTill();
    const noNote = await runCli(['sync', 'resolve', `${refused}.2`, '--data-dir', dataDir]);
    expect(noNote.code).not.toBe(0);
    expect(noNote.stderr).toContain('--note');
    // Only the payment can be resolved (the receipt is mandated), so naming the envelope settles that one alone.
    const resolved = await runCli(['sync', 'resolve', String(refused), '--note', 'paid in cash instead', '--data-dir', dataDir]);
    expect(resolved.code, resolved.stderr).toBe(0);
    expect(resolved.stdout).toContain('its one waiting effect is resolved by hand');
    const receipt = await runCli(['sync', 'resolve', `${refused}.1`, '--note', 'x', '--data-dir', dataDir]);
    expect(receipt.code).toBe(1);
    expect(receipt.stderr).toContain('cannot be resolved away');
    const nothingLeft = await runCli(['sync', 'resolve', String(refused), '--note', 'x', '--data-dir', dataDir]);
    expect(nothingLeft.stderr).toContain('name one');
    const retried = await runCli(['sync', 'retry', `${refused}.1`, '--note', 'store id fixed', '--data-dir', dataDir]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.stdout).toContain(`Effect ${refused}.1 (receipt) is pending again`);
    const writtenOff = await runCli(['sync', 'write-off', `${refused}.1`, '--note', 'posted in the back office', '--data-dir', dataDir]);
    expect(writtenOff.code, writtenOff.stderr).toBe(0);
    expect(writtenOff.stdout).toContain("The day's X/Z report counts it");
    const again = await runCli(['sync', 'retry', String(refused), '--data-dir', dataDir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is done');
    const notWaiting = await runCli(['sync', 'retry', String(pending), '--data-dir', dataDir]);
    expect(notWaiting.stderr).toContain('is pending');
    const missing = await runCli(['sync', 'retry', '4242', '--data-dir', dataDir]);
    expect(missing.stderr).toContain('no outbox envelope 4242');
    const bad = await runCli(['sync', 'write-off', String(refused), '--note', 'x', '--data-dir', dataDir]);
    expect(bad.stderr).toContain('names an envelope');

    const db = openDb(dbPath(dataDir));
    expect(getEnvelope(db, refused)?.state).toBe('done');
    expect(listActions(db, refused).map((a) => [a.action, a.effectSeq, a.note])).toEqual([
      ['resolve', 2, 'paid in cash instead'],
      ['retry', 1, 'store id fixed'],
      ['write_off', 1, 'posted in the back office'],
    ]);
    db.close();
  });

  it('drain without a back end says so and exits non-zero without touching the queue', async () => {
    await prepareTill();
    const r = await runCli(['sync', 'drain', '--data-dir', dataDir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no back end configured');
    const status = JSON.parse((await runCli(['sync', 'status', '--json', '--data-dir', dataDir])).stdout) as OutboxStatus;
    expect(status.counts.pending).toBe(1);
  });

  it('status on a data directory without a database is a clear error', async () => {
    const r = await runCli(['sync', 'status', '--data-dir', dataDir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('There is no till database');
  });
});

describe('sync drain with a connector factory', () => {
  it('delivers what it can, shows progress on a terminal, and exits 1 while something needs attention', async () => {
    const { refused, later, pending } = await prepareTill();
    const connector = httpTestConnector(url);
    const stdout = capture();
    const stderr = capture(true);
    await syncCommand({ connectorFactory: () => connector, stdout, stderr }).parseAsync(['drain', '--data-dir', dataDir], { from: 'user' });
    expect(process.exitCode).toBe(1);
    expect(stderr.text).toContain('delivering [');
    expect(stderr.text).toContain('] 1/1');
    expect(stdout.text).toContain('Delivered 1 envelope(s)');
    expect(stdout.text).toContain(`#${refused} sale s2`);

    process.exitCode = undefined;
    const db = openDb(dbPath(dataDir));
    expect(getEnvelope(db, pending)?.state).toBe('done');
    expect(getEnvelope(db, later)?.state).toBe('done');
    db.close();
    await syncCommand({ stdout, stderr }).parseAsync(['retry', String(refused), '--data-dir', dataDir], { from: 'user' });
    const quiet = capture(false);
    await syncCommand({ connectorFactory: () => connector, stdout: quiet, stderr: quiet }).parseAsync(['drain', '--data-dir', dataDir], { from: 'user' });
    connector.close();
    expect(process.exitCode).toBeUndefined();
    expect(quiet.text).toBe('Delivered 1 envelope(s) in 1 attempt(s); 0 still waiting, 0 need attention.\n');
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
