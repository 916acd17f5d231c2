import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupDb, getMeta, MIGRATIONS, type Migration, openDb, openReadonlyDb, preflightDb, schemaVersion, setMetaIfAbsent } from '../../../main/store';
import { expectTillError } from '../../helpers/expect-till-error';
import { snapshotTree, tempDir } from '../../helpers/temp-dir';

const REPO = path.join(import.meta.dirname, '..', '..', '..');

/** A writer in another process commits to `file` and is killed before it can close it, as a power cut would. */
async function killWriterMidWork(file: string): Promise<void> {
  const script = `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(file)});
db.pragma('journal_mode = WAL'); db.exec('CREATE TABLE IF NOT EXISTS crash (x INTEGER)'); db.prepare('INSERT INTO crash VALUES (1)').run();
process.stdout.write('written\\n'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the writer exited with ${code}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
}


describe('openDb', () => {
  it('opens with WAL, synchronous=FULL, foreign keys and a busy timeout, at the latest schema', () => {
    const file = path.join(tempDir(), 'till.sqlite');
    const db = openDb(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)?.version);
    expect(setMetaIfAbsent(db, 'k', 'first')).toBe('first');
    expect(setMetaIfAbsent(db, 'k', 'second')).toBe('first');
    db.close();
  });

  it('applies pending migrations all or nothing', () => {
    const file = path.join(tempDir(), 'till.sqlite');
    const good: Migration = { version: 10, name: 'a', up: (db) => db.exec('CREATE TABLE a (x INTEGER) STRICT') };
    const bad: Migration = { version: 20, name: 'b', up: (db) => db.exec('CREATE TABLE b (x INTEGER) STRICT; THIS IS NOT SQL') };
    expect(() => openDb(file, { migrations: [good, bad] })).toThrow();
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(0);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('a','b')").get()).toEqual({ n: 0 });
    raw.close();
  });

  it('refuses a database from a newer agent and leaves it untouched', () => {
    const dir = tempDir();
    const file = path.join(dir, 'till.sqlite');
    openDb(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 9990');
    raw.close();
    const before = snapshotTree(dir);
    const err = expectTillError(() => preflightDb(file), 'DB_FROM_FUTURE');
    expect(err.message).toMatch(/schema version 9990.*knows versions up to/);
    expectTillError(() => openDb(file), 'DB_FROM_FUTURE');
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('refuses a corrupt file with a clear message and never overwrites it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'till.sqlite');
    fs.writeFileSync(file, Buffer.alloc(8192, 7));
    const before = snapshotTree(dir);
    const err = expectTillError(() => preflightDb(file), 'DB_CORRUPT');
    expect(err.fix).toMatch(/backup/);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('checks every page of a file whose pages are damaged when asked to, or after a writer stopped without closing', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'till.sqlite');
    const db = openDb(file);
    db.exec('CREATE TABLE big (x TEXT); CREATE INDEX big_byX ON big (x);');
    const insert = db.prepare('INSERT INTO big VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`row-${i}-${'x'.repeat(50)}`);
    })();
    db.close();
    const bytes = fs.readFileSync(file);
    bytes.fill(0xff, 4096 * 3, 4096 * 6); // scribble over pages 4-6, keep the header
    fs.writeFileSync(file, bytes);
    // Closed cleanly: the start reads the header only (damage like this is disk failure, found by doctor).
    expect(preflightDb(file)).toBe('header');
    expectTillError(() => preflightDb(file, { pages: true }), 'DB_CORRUPT');
    await killWriterMidWork(file);
    expectTillError(() => preflightDb(file), 'DB_CORRUPT');
  });

  it('reads only the header after a clean close or a read-only look, and every page after a writer was killed', async () => {
    const file = path.join(tempDir(), 'till.sqlite');
    expect(preflightDb(file)).toBe('none');
    openDb(file).close();
    expect(preflightDb(file)).toBe('header');
    openReadonlyDb(file).close(); // leaves an empty WAL behind: nothing was written
    expect(preflightDb(file)).toBe('header');
    await killWriterMidWork(file);
    expect(preflightDb(file)).toBe('pages');
    // The next writer's clean close ends it.
    openDb(file).close();
    expect(preflightDb(file)).toBe('header');
  });

  it('makes an online backup that opens with the same data', async () => {
    const dir = tempDir();
    const db = openDb(path.join(dir, 'till.sqlite'));
    setMetaIfAbsent(db, 'install', 'abc');
    await backupDb(db, path.join(dir, 'copy.sqlite'));
    db.close();
    const copy = openReadonlyDb(path.join(dir, 'copy.sqlite'));
    expect(getMeta(copy, 'install')).toBe('abc');
    copy.close();
  });
});

describe('migrations index', () => {
  it('lists every migration file, in strictly increasing steps of ten', () => {
    const dir = path.join(import.meta.dirname, '..', '..', '..', 'main', 'store', 'migrations');
    const files = fs.readdirSync(dir).filter((f) => /^\d{4}-.*\.ts$/.test(f)).sort();
    expect(MIGRATIONS.map((m) => `${String(m.version).padStart(4, '0')}-${m.name}.ts`)).toEqual(files);
    MIGRATIONS.forEach((m, i) => {
      if (i > 0) expect(m.version).toBeGreaterThan(MIGRATIONS[i - 1]?.version ?? 0);
    });
  });
});
