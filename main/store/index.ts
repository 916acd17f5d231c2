export type { Migration, ReadableDb, WritableDb } from './db-types';
export { getMeta, setMetaIfAbsent } from './agent-meta';
export { DbFromFutureError, migrate, schemaVersion, latestVersion } from './migrate';
export { MIGRATIONS } from './migrations';
export { backupDb, openDb, openReadonlyDb, preflightDb, type OpenOptions } from './open-db';
export { translateSqliteError } from './sqlite-errors';
export { sqliteVersion } from './sqlite-info';
export { changesSinceOpen, checkpointWal, disableAutoCheckpoint, limitWalFile, walFileBytes, type CheckpointResult } from './wal-checkpoint';
export { createOwnerOnlyDbFile, dbFiles, looseModes, OWNER_ONLY_DIR, OWNER_ONLY_FILE, restrictToOwner, type LooseMode } from './file-modes';
