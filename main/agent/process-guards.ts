import type { Logger } from '../log';

export type ProcessGuardOptions = {
  logger(): Logger;
  /** What the till was doing, for the log line (till identity, the sale's revision); never personal data. */
  context(): object;
  /** Closes the database (a checkpoint of what is committed) before the process ends after an uncaught exception. */
  closeDb(): void;
  /** Ends the process; process.exit unless a test passes its own. */
  exit?(code: number): void;
};

/**
 * Process-level handlers for the agent. Node 20 ends the process on an unhandled rejection: for a till that is
 * the worst outcome (the cashier loses the screen mid-sale). Every sale transaction is synchronous and
 * committed or not before any await, so after a rejection nobody handled the committed data is consistent:
 * it is logged with context and the agent keeps running. An uncaught exception leaves the process in an
 * unknown state (Node's own advice is to stop): it is logged, the database closed cleanly, and the process ends
 * with code 1 so the launcher restarts it and the open basket is restored from disk.
 * Returns a function that removes the handlers (agent close).
 */
export function installProcessGuards(options: ProcessGuardOptions): () => void {
  const context = (): object => {
    try {
      return options.context();
    } catch {
      return {};
    }
  };
  const onRejection = (reason: unknown): void => {
    options.logger().error({ err: reason, ...context() }, 'an asynchronous step failed and nothing handled it; the agent keeps running');
  };
  const onException = (err: Error): void => {
    options.logger().fatal({ err, ...context() }, 'an uncaught exception: the agent closes its database and stops so it can be restarted');
    try {
      options.closeDb();
    } catch {
      // Already closed, or the disk is gone: committed transactions are in the file either way.
    }
    (options.exit ?? ((code: number) => process.exit(code)))(1);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
