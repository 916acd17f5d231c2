import { TillError } from '../core/errors';

/** Node's error codes for a file system with no room left (ENOSPC) or a user over quota (EDQUOT). */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);

/**
 * Turns better-sqlite3's `SqliteError.code`, and a file write that found no space (ENOSPC, EDQUOT), into the
 * agent's typed errors; other errors pass through. `file` names the database when the caller knows it.
 */
export function translateSqliteError(err: unknown, file?: string): unknown {
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return err;
  if (NO_SPACE.has(code)) {
    return new TillError('DB_FULL', `The disk holding ${file ?? "the till's database"} is full; nothing of this operation was saved.`, {
      cause: err,
      fix: 'Free disk space on the till, then try again. Earlier sales and the sync queue are intact.',
    });
  }
  if (!code.startsWith('SQLITE_')) return err;
  if (code === 'SQLITE_FULL') {
    return new TillError('DB_FULL', `The till's database${file ? ` ${file}` : ''} is full (the disk or its size limit is reached); nothing of this operation was saved.`, {
      cause: err,
      fix: 'Free disk space on the till (or raise the limit), then try again. Earlier sales and the sync queue are intact.',
    });
  }
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT' || code.startsWith('SQLITE_CORRUPT')) {
    return new TillError('DB_CORRUPT', `The database ${file ?? "of this till"} is damaged or is not a till-agent database.`, {
      cause: err,
      fix: 'Keep the file for support, restore the latest backup (till-agent backup makes one) or move it away to start empty.',
    });
  }
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY')) {
    return new TillError('DB_BUSY', `The database ${file ?? "of this till"} is locked by another process.`, {
      cause: err,
      fix: 'Stop the other till-agent that uses this data directory.',
    });
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') {
    return new TillError('DATA_DIR_UNWRITABLE', `The database ${file ?? "of this till"} cannot be opened for writing (${code}).`, {
      cause: err,
      fix: 'Make the data directory and its files writable by the user that runs till-agent.',
    });
  }
  return err;
}
