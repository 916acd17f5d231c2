import type { WritableDb } from '../../store/db-types';
import { commitBatch } from '../../store/outbox';

/**
 * The worker's bookkeeping writes, grouped: writes queued by all lanes in the same turn of the event loop share
 * one commit (docs/sync.md, "Durability of the worker's bookkeeping").
 */
export class GroupCommit {
  private batch: { ops: (() => void)[]; durable: boolean; done: Promise<void> } | undefined;
  private writeError: { error: unknown } | undefined;

  /** `first`: an op to run first in each new batch, if any (the delivery lease's renewal when it is due). */
  constructor(
    private readonly db: WritableDb,
    private readonly first: () => (() => void) | undefined,
  ) {}

  /** A fire-and-forget write failed (e.g. a full disk): the worker stops. */
  get failed(): boolean {
    return this.writeError !== undefined;
  }

  /**
   * Queues a write. Resolves once its commit is on disk (or in the OS, for relaxed commits), so a lane never
   * sends the next request before the record of the previous one is committed. `durable` commits the batch
   * with synchronous=FULL (a payment's sent marker).
   */
  write<T>(op: () => T, durable = false): Promise<T> {
    let result: T | undefined;
    if (!this.batch) {
      const ops: (() => void)[] = [];
      const renew = this.first();
      if (renew) ops.push(renew);
      const batch = {
        ops,
        durable: false,
        done: new Promise<void>((resolve, reject) => {
          setImmediate(() => {
            this.batch = undefined;
            try {
              commitBatch(this.db, ops, batch.durable);
              resolve();
            } catch (err) {
              reject(err instanceof Error ? err : new Error(String(err)));
            }
          });
        }),
      };
      this.batch = batch;
    }
    this.batch.ops.push(() => {
      result = op();
    });
    if (durable) this.batch.durable = true;
    return this.batch.done.then(() => result as T);
  }

  /**
   * Queues a write without waiting for its commit: for records whose loss is harmless (an idempotent effect
   * done, an envelope done), so the lane goes on at once and the record shares the next awaited commit.
   */
  later(op: () => void): void {
    this.write(op).catch((err: unknown) => {
      this.writeError ??= { error: err };
    });
  }

  /** Waits for queued writes; rethrows a failed fire-and-forget commit. */
  async flush(): Promise<void> {
    while (this.batch) await this.batch.done.catch(() => undefined);
    if (this.writeError) {
      const { error } = this.writeError;
      this.writeError = undefined;
      throw error;
    }
  }
}
