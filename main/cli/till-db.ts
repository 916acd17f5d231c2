import fs from 'node:fs';
import { dbPath } from '../agent/data-dir';
import { TillError } from '../core/errors';
import { openDb, preflightDb, restrictToOwner, type WritableDb } from '../store';

/** Opens the till's database for a command that writes, creating the data directory if it is new. */
export function openTillDb(dataDir: string): WritableDb {
  const file = dbPath(dataDir);
  preflightDb(file);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  restrictToOwner([dataDir]);
  return openDb(file);
}

/** Opens an existing till database (after the integrity and version checks) with `open`; refuses a missing one. */
export function openExistingTillDb<T>(dataDir: string, open: (file: string) => T): T {
  const file = dbPath(dataDir);
  if (!fs.existsSync(file)) {
    throw new TillError('NOT_FOUND', `There is no till database at ${file}.`, { fix: 'Check --data-dir or --config.' });
  }
  preflightDb(file);
  return open(file);
}
