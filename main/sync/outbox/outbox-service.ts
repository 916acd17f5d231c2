import type { Clock } from '../../core/clock';
import type { ReadableDb } from '../../store/db-types';
import { nextRetryAt } from '../../store/outbox';
import type { DrainReport, OutboxLogger, OutboxWorker, Sleep } from './worker';

export type OutboxServiceOptions = {
  readonly worker: OutboxWorker;
  readonly db: ReadableDb;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** Longest quiet wait between drains when nothing is scheduled (a safety net for missed pokes), ms. */
  readonly idleMs?: number;
  /** Wait after a drain that failed (e.g. a full disk) before trying again, ms. */
  readonly errorBackoffMs?: number;
  readonly logger?: OutboxLogger;
};

/**
 * The agent's long-running delivery loop: drains, then sleeps until the next retry is due, the idle
 * interval passes, or `poke()` says a sale was just committed. One drain runs at a time.
 */
export class OutboxService {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake = new AbortController();
  private readonly stopController = new AbortController();
  private readonly listeners = new Set<(report: DrainReport) => void>();

  constructor(private readonly options: OutboxServiceOptions) {}

  /** Called after every drain, for the manager view and the connection badge. */
  onDidDrain(listener: (report: DrainReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Something was queued: drain now instead of at the next scheduled time. */
  poke(): void {
    this.wake.abort();
  }

  /** Stops after the current request (requests in flight are not aborted; see OutboxWorker). */
  async stop(): Promise<void> {
    this.running = false;
    this.stopController.abort();
    this.wake.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { worker, db, clock, sleep, logger } = this.options;
    const idleMs = this.options.idleMs ?? 60_000;
    while (this.running) {
      this.wake = new AbortController();
      let waitMs = idleMs;
      try {
        const report = await worker.drain({ signal: this.stopController.signal });
        for (const l of this.listeners) l(report);
        const next = nextRetryAt(db);
        if (next !== undefined) waitMs = Math.min(idleMs, Math.max(0, next - clock.now().getTime()));
      } catch (err) {
        logger?.warn({ err }, 'outbox: drain failed; trying again later');
        waitMs = this.options.errorBackoffMs ?? 30_000;
      }
      if (!this.running) break;
      if (!this.wake.signal.aborted) await sleep(waitMs, AbortSignal.any([this.wake.signal, this.stopController.signal]));
    }
  }
}
