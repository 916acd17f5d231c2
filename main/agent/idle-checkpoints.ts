import type { Logger } from '../log';
import { changesSinceOpen, checkpointWal, disableAutoCheckpoint, limitWalFile, walFileBytes, type WritableDb } from '../store';

export type IdleCheckpointOptions = {
  /** How often to look; a look is one cheap query. */
  readonly tickMs?: number;
  /** Checkpoint anyway once this long has passed with writes pending, so a till that is never idle keeps a bounded WAL. */
  readonly maxDelayMs?: number;
  /**
   * Checkpoint anyway once the WAL file is this large, busy or not: a burst of sales (or a bulk import) never
   * quiet for a minute grew it to 16.7 MB beside a 1.5 MB database. The file is cut back to half this when
   * SQLite next restarts it.
   */
  readonly maxWalBytes?: number;
};

export const DEFAULT_MAX_WAL_BYTES = 8 * 1024 * 1024;

export type IdleCheckpoints = { stop(): void };

/**
 * Moves the WAL checkpoint out of the sale commit (see store/wal-checkpoint.ts): every tick, if nothing was
 * written since the last tick (the till is between customers) and something was written since the last
 * checkpoint, checkpoint now. The checkpoint itself blocks the event loop for a few milliseconds, which is
 * why it waits for a quiet moment rather than running on a fixed beat. Two bounds keep the WAL small on a till
 * that is never quiet: a longest delay, and a largest WAL file.
 */
export function startIdleCheckpoints(db: WritableDb, logger: () => Logger, options: IdleCheckpointOptions = {}): IdleCheckpoints {
  const tickMs = options.tickMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const maxWalBytes = options.maxWalBytes ?? DEFAULT_MAX_WAL_BYTES;
  disableAutoCheckpoint(db);
  limitWalFile(db, maxWalBytes / 2);
  let seen = changesSinceOpen(db);
  let atCheckpoint = seen;
  let lastCheckpoint = performance.now();
  const timer = setInterval(() => {
    try {
      const now = changesSinceOpen(db);
      const quiet = now === seen;
      seen = now;
      if (now === atCheckpoint) return;
      if (!quiet && performance.now() - lastCheckpoint < maxDelayMs && walFileBytes(db) < maxWalBytes) return;
      const result = checkpointWal(db);
      // A reader held part of the WAL back: what it still needs must be copied on a later tick.
      if (result.complete) atCheckpoint = now;
      lastCheckpoint = performance.now();
    } catch (err) {
      // A full disk or a closed handle: the next commit reports it to the cashier; the log keeps the detail.
      logger().warn({ err }, 'WAL checkpoint failed');
    }
  }, tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
