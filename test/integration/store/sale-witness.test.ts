import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadFiscalSigningKey } from '../../../main/agent/fiscal-key';
import { ownerOnlyFile } from '../../../main/agent/secret-store';
import { minor } from '../../../main/core/money';
import { disableAutoCheckpoint, lostSales, openDb, walFileBytes, type WritableDb } from '../../../main/store';
import { commitSale, openBusinessDay, openShift } from '../../../main/store/ledger';
import { readWitness, witnessesFlushed, witnessPath } from '../../../main/store/sale-witness-file';
import { runCli } from '../../helpers/cli';
import { expectTillError } from '../../helpers/expect-till-error';
import { tempDir } from '../../helpers/temp-dir';
import { NOW, sampleReceipt, TILL } from '../ledger/fixtures';

const sell = (db: WritableDb): number =>
  commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(10_000) }], ruleSetVersion: 'none' }, NOW).entry.saleNo;


/**
 * A till that sold five sales, whose disk then lost the end of the WAL (a power cut on a disk that lied about
 * its fsync, a storage fault): the database file and the WAL as they were on disk, the WAL cut back to where it
 * ended after sale 3. No shared-memory file, as after a reboot.
 */
function tillWithTruncatedWal(): { dataDir: string; file: string } {
  const live = path.join(tempDir(), 'till.sqlite');
  const db = openDb(live);
  disableAutoCheckpoint(db);
  openBusinessDay(db, NOW);
  openShift(db, 'anna', minor(0), NOW);
  for (let i = 0; i < 3; i++) sell(db);
  const walAfterThree = walFileBytes(db);
  expect(sell(db)).toBe(4);
  expect(sell(db)).toBe(5);
  expect(walFileBytes(db)).toBeGreaterThan(walAfterThree);
  const dataDir = tempDir();
  const file = path.join(dataDir, 'till.sqlite');
  fs.copyFileSync(live, file);
  fs.copyFileSync(`${live}-wal`, `${file}-wal`);
  fs.copyFileSync(witnessPath(live), witnessPath(file));
  fs.truncateSync(`${file}-wal`, walAfterThree);
  db.close();
  return { dataDir, file };
}

describe('sale numbers are never reused', () => {
  it('the witness beside the database holds the last committed sale number, owner-only', () => {
    const { file } = tillWithTruncatedWal();
    expect(readWitness(witnessPath(file)).saleNo).toEqual({ [TILL.posId]: 5 });
    expect(fs.statSync(witnessPath(file)).mode & 0o777).toBe(0o600);
  });

  it('a WAL cut short: the database opens, selling stops with SALES_LOST naming the lost numbers, until a manager acknowledges', () => {
    const { file } = tillWithTruncatedWal();
    const db = openDb(file);
    // The WAL really lost the last two sales: SQLite opened what was left without a word.
    expect((db.prepare('SELECT max(sale_no) AS n FROM sales').get() as { n: number }).n).toBe(3);
    expect(lostSales(db)).toMatchObject({ lost: 2, tills: [{ posId: TILL.posId, witness: 5, database: 3 }] });
    const refused = expectTillError(() => sell(db), 'SALES_LOST');
    expect(refused.message).toMatch(/^2 committed sale\(s\) are missing .*till-1 4–5/);
    expect(refused.fix).toMatch(/till-agent sale acknowledge-lost/);
    // Nothing was written by the refusal, and a restart does not forget it.
    db.close();
    const again = openDb(file);
    expect((again.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n).toBe(3);
    expectTillError(() => sell(again), 'SALES_LOST');
    again.close();
  });

  it('doctor fails the check, and `sale acknowledge-lost` resumes selling above the lost numbers', async () => {
    const { dataDir, file } = tillWithTruncatedWal();
    const before = await runCli(['doctor', '--json', '--data-dir', dataDir]);
    const check = (JSON.parse(before.stdout) as { checks: { name: string; level: string; detail: string }[] }).checks.find((c) => c.name === 'sale-numbers');
    expect(check).toMatchObject({ level: 'fail' });
    expect(check?.detail).toMatch(/2 committed sale\(s\) are missing/);

    const ack = await runCli(['sale', 'acknowledge-lost', '--by', 'mona', '--data-dir', dataDir]);
    expect(ack.code, ack.stderr).toBe(0);
    expect(ack.stdout).toMatch(/Acknowledged: 2 committed sale\(s\).*next sale numbers are above till-1 5/s);
    const db = openDb(file);
    expect(lostSales(db)).toBeUndefined();
    // The CLI made this till's signing key (every command that sells loads it); sell with it, as the agent would.
    loadFiscalSigningKey(dataDir, db, ownerOnlyFile, 'Europe/Oslo', new Date());
    expect(sell(db)).toBe(6);
    db.close();
    const after = await runCli(['doctor', '--json', '--data-dir', dataDir]);
    expect((JSON.parse(after.stdout) as { checks: { name: string; level: string }[] }).checks.find((c) => c.name === 'sale-numbers')).toMatchObject({ level: 'ok' });
    const nothing = await runCli(['sale', 'acknowledge-lost', '--by', 'mona', '--data-dir', dataDir]);
    expect(nothing.stdout).toMatch(/No lost sales to acknowledge/);
  });

  it('a burst of commits writes the witness at once and flushes it with fdatasync afterwards, not once per commit', async () => {
    const db = openDb(path.join(tempDir(), 'till.sqlite'));
    openBusinessDay(db, NOW);
    openShift(db, 'anna', minor(0), NOW);
    await witnessesFlushed();
    const flushes = vi.spyOn(fs, 'fdatasync');
    const waitedFlushes = vi.spyOn(fs, 'fdatasyncSync');
    try {
      for (let i = 1; i <= 20; i++) {
        expect(sell(db)).toBe(i);
        expect(readWitness(witnessPath(db.name)).saleNo[TILL.posId]).toBe(i);
      }
      // The commits did not wait for a flush: none has run yet.
      expect(flushes).not.toHaveBeenCalled();
      expect(waitedFlushes).not.toHaveBeenCalled();
      await witnessesFlushed();
      expect(flushes.mock.calls.length).toBeGreaterThanOrEqual(1);
      expect(flushes.mock.calls.length).toBeLessThanOrEqual(2);
    } finally {
      flushes.mockRestore();
      waitedFlushes.mockRestore();
      db.close();
    }
  });

  it('a torn write of the witness spoils only one slot: the previous number is still read', () => {
    const { file } = tillWithTruncatedWal();
    const w = witnessPath(file);
    const bytes = fs.readFileSync(w);
    const newest = readWitness(w).generation % 2;
    bytes.fill(0x41, newest * 1024 + 10, newest * 1024 + 40);
    fs.writeFileSync(w, bytes);
    expect(readWitness(w).saleNo[TILL.posId]).toBe(4);
  });

  it('a sale committed inside a transaction that then rolls back never raises the witness; one that commits does, at once after', async () => {
    const file = path.join(tempDir(), 'till.sqlite');
    const db = openDb(file);
    openBusinessDay(db, NOW);
    openShift(db, 'anna', minor(0), NOW);
    expect(sell(db)).toBe(1);
    // The sale service's shape: the sale and the stored basket's removal in one outer transaction.
    expect(() =>
      db.transaction(() => {
        sell(db);
        throw new Error('the basket could not be removed (a full disk)');
      })(),
    ).toThrow(/full disk/);
    await Promise.resolve();
    expect(readWitness(witnessPath(file)).saleNo[TILL.posId]).toBe(1);
    db.transaction(() => sell(db))();
    await Promise.resolve();
    expect(readWitness(witnessPath(file)).saleNo[TILL.posId]).toBe(2);
    db.close();
    const again = openDb(file);
    expect(lostSales(again)).toBeUndefined();
    again.close();
  });
});
