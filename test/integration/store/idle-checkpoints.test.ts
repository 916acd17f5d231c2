import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startIdleCheckpoints, type IdleCheckpoints } from '../../../main/agent/idle-checkpoints';
import { silentLogger } from '../../../main/log';
import { openDb, type WritableDb } from '../../../main/store';
import { tempDir } from '../../helpers/temp-dir';

// What a checkpoint does is visible on disk: pages move from the WAL into the database file, which grows.
const dbFileSize = (file: string): number => fs.statSync(file).size;

function openScratch(): { db: WritableDb; file: string } {
  const file = path.join(tempDir(), 'till.sqlite');
  const db = openDb(file);
  db.exec('CREATE TABLE scratch (id INTEGER PRIMARY KEY, body BLOB)');
  return { db, file };
}

/** One commit of about 40 pages. */
function writeSome(db: WritableDb): void {
  db.prepare('INSERT INTO scratch (body) VALUES (?)').run(Buffer.alloc(160_000, 7));
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}

const open: { db: WritableDb; checkpoints: IdleCheckpoints }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) {
    o.checkpoints.stop();
    o.db.close();
  }
});

function start(db: WritableDb, tickMs: number, maxDelayMs: number, maxWalBytes?: number): IdleCheckpoints {
  const checkpoints = startIdleCheckpoints(db, silentLogger, { tickMs, maxDelayMs, ...(maxWalBytes === undefined ? {} : { maxWalBytes }) });
  open.push({ db, checkpoints });
  return checkpoints;
}

describe('idle WAL checkpoints', () => {
  it('takes the automatic checkpoint out of the commits: past 1,000 pages the database file has not grown', () => {
    const { db, file } = openScratch();
    start(db, 60_000, 60_000);
    const before = dbFileSize(file);
    for (let i = 0; i < 40; i++) writeSome(db); // ~1,600 pages, past SQLite's automatic threshold
    expect(dbFileSize(file)).toBe(before);
  });

  it('checkpoints once the till has been quiet for a tick', async () => {
    const { db, file } = openScratch();
    start(db, 25, 60_000);
    const before = dbFileSize(file);
    for (let i = 0; i < 10; i++) writeSome(db);
    expect(await until(() => dbFileSize(file) > before + 1_000_000, 2000)).toBe(true);
  });

  it('waits while writes keep coming, and checkpoints anyway after the longest delay', async () => {
    const busy = openScratch();
    const patient = openScratch();
    start(busy.db, 20, 60_000);
    start(patient.db, 20, 150);
    const sizes = { busy: dbFileSize(busy.file), patient: dbFileSize(patient.file) };
    // A write every 5 ms: no tick ever sees a quiet moment.
    const writer = setInterval(() => {
      writeSome(busy.db);
      writeSome(patient.db);
    }, 5);
    try {
      expect(await until(() => dbFileSize(patient.file) > sizes.patient, 2000)).toBe(true);
      expect(dbFileSize(busy.file)).toBe(sizes.busy);
    } finally {
      clearInterval(writer);
    }
  });

  it('checkpoints a busy till by WAL size too, and cuts the WAL file back: it stays near the limit, not growing with the burst', async () => {
    const bounded = openScratch();
    const unbounded = openScratch();
    const limit = 1024 * 1024;
    start(bounded.db, 20, 60_000, limit);
    // The unbounded twin never ticks: it shows what the burst alone does to a WAL nobody checkpoints.
    start(unbounded.db, 60_000, 60_000, 1024 * 1024 * 1024);
    const walSize = (file: string): number => (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);
    let largest = 0;
    // Forty writes about 5 ms apart, counted rather than timed, so a loaded machine writes the same burst.
    for (let i = 0; i < 40; i++) {
      writeSome(bounded.db);
      writeSome(unbounded.db);
      largest = Math.max(largest, walSize(bounded.file));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Without the size bound the WAL holds the whole burst (about 160 kB a write).
    expect(walSize(unbounded.file)).toBeGreaterThan(4 * limit);
    // With it: the limit plus what a few ticks under load can add before the next checkpoint restarts it.
    expect(largest).toBeLessThan(limit + 2_500_000);
    expect(bounded.db.pragma('journal_size_limit', { simple: true })).toBe(limit / 2);
  });
});
