import { TillError } from '../core/errors';
import type { Migration, ReadableDb, WritableDb } from './db-types';

export class DbFromFutureError extends TillError {
  override readonly name = 'DbFromFutureError';
  constructor(file: string, found: number, known: number) {
    super(
      'DB_FROM_FUTURE',
      `The database ${file} has schema version ${found}, but this till-agent knows versions up to ${known}: it was written by a newer till-agent.`,
      { fix: 'Install the newer till-agent again (or restore a backup made by this version). The file was not changed.' },
    );
  }
}

export function assertMonotonic(migrations: readonly Migration[]): void {
  let last = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= last) {
      throw new TypeError(`Migration versions must increase strictly: ${m.version} (${m.name}) after ${last}`);
    }
    last = m.version;
  }
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

export function schemaVersion(db: ReadableDb): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies the pending migrations in one transaction and records the version in the file's `user_version`.
 * Either every pending step is applied or none is. A file from a newer agent is refused untouched.
 */
export function migrate(db: WritableDb, migrations: readonly Migration[], file: string, upTo?: number): number {
  assertMonotonic(migrations);
  const known = latestVersion(migrations);
  const current = schemaVersion(db);
  if (current > known) throw new DbFromFutureError(file, current, known);
  const target = upTo ?? known;
  const pending = migrations.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return current;
  db.transaction(() => {
    for (const m of pending) {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
  return schemaVersion(db);
}
