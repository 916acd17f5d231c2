import type { Statement, Transaction } from 'better-sqlite3';
import type { WritableDb } from './db-types';

/**
 * Runs `fn` in one transaction committed with synchronous=NORMAL, then restores the connection's setting. In WAL
 * mode such a commit survives a crashed or killed process (the write is in the OS); only a power cut can lose
 * it. For writes that may be lost that way and are frequent enough that an fsync each would cost: the outbox
 * worker's bookkeeping (outbox.ts) and the open basket on every scan (open-baskets.ts). Never for a sale.
 * Inside a caller's transaction the caller's setting holds.
 */
export function withNormalSync<T>(db: WritableDb, fn: () => T): T {
  if (db.inTransaction) return fn();
  const c = relaxedCache(db);
  const previous = c.read.get() as number;
  c.normal.run();
  try {
    return c.run.immediate(fn) as T;
  } finally {
    if (previous !== 1) (c.restore.get(previous) ?? c.full).run();
  }
}

type RelaxedCache = {
  readonly read: Statement<unknown[]>;
  readonly normal: Statement<unknown[]>;
  readonly full: Statement<unknown[]>;
  readonly restore: Map<number, Statement<unknown[]>>;
  /** Called with `.immediate`: the agent and CLI commands write the same file (tools/eslint-rules/immediate-transaction.ts). */
  readonly run: Transaction<(fn: () => unknown) => unknown>;
};
// Creating a transaction function and a PRAGMA statement per call costs more than the write itself.
const relaxedCaches = new WeakMap<WritableDb, RelaxedCache>();
function relaxedCache(db: WritableDb): RelaxedCache {
  let c = relaxedCaches.get(db);
  if (!c) {
    const restore = new Map<number, Statement<unknown[]>>();
    for (const level of [0, 2, 3]) restore.set(level, db.prepare<unknown[]>(`PRAGMA synchronous = ${level}`));
    c = {
      read: db.prepare<unknown[]>('PRAGMA synchronous').pluck(),
      normal: db.prepare<unknown[]>('PRAGMA synchronous = NORMAL'),
      full: db.prepare<unknown[]>('PRAGMA synchronous = FULL'),
      restore,
      run: db.transaction((fn: () => unknown) => fn()),
    };
    relaxedCaches.set(db, c);
  }
  return c;
}

/** Runs `fn` in one transaction at the connection's own setting (a cached transaction function: cheaper than a new one per call). */
export function withTransaction<T>(db: WritableDb, fn: () => T): T {
  return relaxedCache(db).run.immediate(fn) as T;
}
