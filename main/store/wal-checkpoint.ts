import fs from 'node:fs';
import type { WritableDb } from './db-types';

/**
 * SQLite's automatic checkpoint runs inside whichever commit takes the WAL past 1,000 pages, so about one
 * sale in fifty paid for copying the WAL into the database file and its fsyncs: that was the whole p99 of
 * a commit (8 ms against 0.6 ms on this machine's disk). The agent turns it off on its connection and
 * checkpoints while the till is idle instead (main/agent/idle-checkpoints.ts). Short-lived commands keep the
 * automatic one; SQLite also checkpoints when the last connection closes.
 */
export function disableAutoCheckpoint(db: WritableDb): void {
  db.pragma('wal_autocheckpoint = 0');
}

export type CheckpointResult = {
  /** A reader held back part of the WAL; what it still needs is copied next time. */
  readonly busy: boolean;
  /** Frames in the WAL, and how many of them are now in the database file. */
  readonly walFrames: number;
  readonly checkpointed: number;
  /** Everything in the WAL is in the database file. */
  readonly complete: boolean;
};

/** A PASSIVE checkpoint: copies what no reader still needs and never waits for a lock. */
export function checkpointWal(db: WritableDb): CheckpointResult {
  const [row] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
  const busy = row?.busy === 1;
  const walFrames = row?.log ?? 0;
  const checkpointed = row?.checkpointed ?? 0;
  return { busy, walFrames, checkpointed, complete: !busy && checkpointed >= walFrames };
}

/** Rows changed through this connection since it opened: tells the agent whether anything was written lately. */
export function changesSinceOpen(db: WritableDb): number {
  return (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
}

/**
 * After a checkpoint, the next commit starts the WAL again from its beginning, but the file keeps the size of
 * its largest burst. With this limit SQLite cuts it back to `bytes` when it restarts, so one busy hour does not
 * keep megabytes of disk for good.
 */
export function limitWalFile(db: WritableDb, bytes: number): void {
  db.pragma(`journal_size_limit = ${Math.max(0, Math.floor(bytes))}`);
}

/** The size of the connection's WAL file now (0 when there is none): one stat, cheap enough for every tick. */
export function walFileBytes(db: WritableDb): number {
  try {
    return fs.statSync(`${db.name}-wal`).size;
  } catch {
    return 0;
  }
}
