import fs from 'node:fs';
import Database from 'better-sqlite3';
import { TillError } from '../core/errors';
import { atRestKeys, type KeyFileIo, useKeyFileIo } from './at-rest-keys';
import type { Migration, ReadableDb, WritableDb } from './db-types';
import { createOwnerOnlyDbFile, dbFiles, OWNER_ONLY_FILE, restrictToOwner } from './file-modes';
import { DbFromFutureError, latestVersion, migrate, schemaVersion } from './migrate';
import { MIGRATIONS } from './migrations';
import { detectLostSales } from './sale-numbers';
import { translateSqliteError } from './sqlite-errors';

/** Migration 0220 (secrets at rest): the upgrade across it ends with a VACUUM. */
const SECRETS_AT_REST_VERSION = 220;

export type OpenOptions = {
  readonly migrations?: readonly Migration[];
  /** Milliseconds to wait on a lock before SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
  /** Stop migrating at this version (migration tests). */
  readonly migrateTo?: number;
  /**
   * How the key files beside the database are read and written (main/store/at-rest-keys.ts): the desktop app
   * passes its OS key store; the default is a file only the agent's user can read.
   */
  readonly keyFiles?: KeyFileIo;
};

/** How thoroughly `preflightDb` looked at the file: `none` (no file yet), `header` (opened, schema version read), `pages`. */
export type PreflightDepth = 'none' | 'header' | 'pages';

/**
 * Checks an existing database file without changing it: it must be a SQLite file whose schema is not newer than
 * this agent knows, and, when `pages` is asked for or the last process to write it did not close it,
 * `PRAGMA quick_check` must pass. Opened read-only, so a corrupt or future file is left exactly as it was found.
 * A missing file passes (it will be created).
 *
 * Why not `quick_check` on every start: it reads every page, and a year of a busy till is a database of about
 * 650 MB that took over a second to check with the file in memory (more from a cold disk), on every start and
 * every CLI command (docs/performance.md, "Start-up"). Every write goes to the WAL file first, and SQLite
 * deletes the WAL when the last connection closes cleanly (a read-only connection, this check's own, leaves an
 * empty one). A WAL with content beside the file means a writer stopped without closing (a crash, a kill, a
 * power cut), which is when damage is possible, or that another process has the database open now: then the
 * pages are checked. A clean file is still opened and read, so an unreadable header is refused at once; damage
 * SQLite meets later is refused by its own page checks (DB_CORRUPT), and `till-agent doctor` checks every page.
 */
export function preflightDb(file: string, options: { readonly migrations?: readonly Migration[]; readonly pages?: boolean } = {}): PreflightDepth {
  if (!fs.existsSync(file)) return 'none';
  const pages = options.pages === true || walHasContent(file);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    if (pages) {
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') {
        throw new TillError('DB_CORRUPT', `The database ${file} failed its integrity check (${String(check)}).`, {
          fix: 'Keep the file for support and restore the latest backup (till-agent backup makes one), or move it away to start empty. It was not changed.',
        });
      }
    }
    const found = schemaVersion(db as ReadableDb);
    const known = latestVersion(options.migrations ?? MIGRATIONS);
    if (found > known) throw new DbFromFutureError(file, found, known);
    return pages ? 'pages' : 'header';
  } catch (err) {
    throw translateSqliteError(err, file);
  } finally {
    db?.close();
  }
}

function walHasContent(file: string): boolean {
  try {
    return fs.statSync(`${file}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * Opens (creating if needed) the till's database with the pragmas every connection needs, then migrates it.
 * WAL lets the sync worker read while a sale commits; synchronous=FULL makes a committed sale survive a power cut.
 */
export function openDb(file: string, options: OpenOptions = {}): WritableDb {
  const migrations = options.migrations ?? MIGRATIONS;
  let db: Database.Database | undefined;
  try {
    createOwnerOnlyDbFile(file);
    db = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
    db.pragma('journal_mode = WAL');
    // A file an older agent made readable by everyone; its WAL and shared-memory files with it.
    restrictToOwner(dbFiles(file));
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    const writable = db as WritableDb;
    if (options.keyFiles) useKeyFileIo(writable, options.keyFiles);
    const from = schemaVersion(writable);
    const to = migrate(writable, migrations, file, options.migrateTo);
    if (from > 0 && from < SECRETS_AT_REST_VERSION && to >= SECRETS_AT_REST_VERSION) {
      // Migration 0220 moved the lookup key out and sealed or dropped personal data; the old bytes would stay in
      // free pages and the WAL. Rewritten once, so a copy of the file no longer holds them (docs/security.md).
      writable.exec('VACUUM');
      writable.pragma('wal_checkpoint(TRUNCATE)');
    }
    if (options.migrateTo === undefined && migrations === MIGRATIONS) {
      // Behind its sale-number witness: record it, and every commit refuses until a manager acknowledges.
      detectLostSales(writable, new Date());
      // The at-rest keys now, not at the first sale: a missing key file is found (and reported) at start-up.
      loadKeysIfReadable(writable);
    }
    return writable;
  } catch (err) {
    db?.close();
    throw translateSqliteError(err, file);
  }
}

/**
 * Key files the desktop app sealed cannot be opened under plain Node (a CLI command on a desktop till). Most
 * commands never need them; those that do (a gift-card sale, delivering a sealed token) fail then, saying why.
 */
function loadKeysIfReadable(db: WritableDb): void {
  try {
    atRestKeys(db);
  } catch (err) {
    if (!(err instanceof TillError && err.code === 'CONFIG_UNREADABLE')) throw err;
  }
}

/** A read-only connection, for commands that inspect a till's database without changing it. */
export function openReadonlyDb(file: string): ReadableDb {
  try {
    return new Database(file, { readonly: true, fileMustExist: true }) as ReadableDb;
  } catch (err) {
    throw translateSqliteError(err, file);
  }
}

/** An online copy through SQLite's backup API: consistent even while sales are being committed. */
export async function backupDb(db: ReadableDb, destination: string): Promise<{ pages: number }> {
  const result = await db.backup(destination);
  // SQLite creates the copy with the process umask; a backup holds every sale, so it is the owner's only.
  fs.chmodSync(destination, OWNER_ONLY_FILE);
  return { pages: result.totalPages };
}
