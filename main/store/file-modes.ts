import fs from 'node:fs';

/**
 * The till's database holds sales, customers and the sync queue: it, its WAL and shared-memory files, the data
 * directory, backups and exports are for the agent's user only (docs/security.md, "File modes").
 */
export const OWNER_ONLY_FILE = 0o600;
export const OWNER_ONLY_DIR = 0o700;

/** The database file and the two files SQLite keeps beside it in WAL mode. */
export function dbFiles(file: string): readonly string[] {
  return [file, `${file}-wal`, `${file}-shm`];
}

function inMemory(file: string): boolean {
  return file === '' || file === ':memory:' || file.startsWith('file::memory:');
}

/**
 * Creates an empty database file readable by its owner only, before SQLite opens it. SQLite gives the WAL and
 * shared-memory files the database file's permissions, so all three start owner-only whatever the umask.
 */
export function createOwnerOnlyDbFile(file: string): void {
  if (inMemory(file) || fs.existsSync(file)) return;
  try {
    fs.closeSync(fs.openSync(file, 'a', OWNER_ONLY_FILE));
  } catch {
    // A missing or read-only directory: SQLite's own open reports it, as a typed error (sqlite-errors.ts).
  }
}

/**
 * Takes group and other permissions off files and directories that have them (made by an older agent, or
 * copied in by hand). Best effort: a file owned by someone else is left for `doctor` to report.
 */
export function restrictToOwner(paths: readonly string[]): void {
  for (const p of paths) {
    if (inMemory(p)) continue;
    try {
      const stat = fs.statSync(p);
      if ((stat.mode & 0o077) === 0) continue;
      fs.chmodSync(p, (stat.mode & 0o700) | (stat.isDirectory() ? OWNER_ONLY_DIR : OWNER_ONLY_FILE));
    } catch {
      // Missing (a WAL not created yet) or not ours (EPERM): doctor names what stays open.
    }
  }
}

export type LooseMode = { readonly path: string; readonly mode: number };

/** The existing paths among `paths` that others than the owner can read, write or enter. */
export function looseModes(paths: readonly string[]): readonly LooseMode[] {
  const out: LooseMode[] = [];
  for (const p of paths) {
    try {
      const mode = fs.statSync(p).mode & 0o777;
      if ((mode & 0o077) !== 0) out.push({ path: p, mode });
    } catch {
      // Not there: nothing to expose.
    }
  }
  return out;
}
