import type { Clock } from '../core/clock';
import type { DrainReport, OutboxWorker, Sleep } from './outbox';

export type SyncServiceOptions = {
  readonly worker: Pick<OutboxWorker, 'drain'>;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** When the next scheduled retry falls due (epoch ms), if any. */
  nextRetryAt(): number | undefined;
  /** How long to wait between looks at the queue when nothing is scheduled: new sales show up within this. */
  readonly idleMs: number;
  readonly onDidDrain?: (report: DrainReport) => void;
  readonly onError?: (error: unknown) => void;
};

/**
 * Keeps the outbox moving in the background: drains what is due, then sleeps until the next retry falls due or
 * `idleMs` passes, whichever is sooner; `wake()` cuts the sleep short (a sale was just committed). A drain that
 * throws (the database refused a write) is reported and tried again after the idle wait, never fatal.
 */
export class SyncService {
  private running = false;
  private loop: Promise<void> | undefined;
  private nap: AbortController | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly options: SyncServiceOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  wake(): void {
    this.nap?.abort();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const report = await this.options.worker.drain({ signal: this.stopping.signal });
        this.options.onDidDrain?.(report);
      } catch (error) {
        this.options.onError?.(error);
      }
      if (!this.running) break;
      const now = this.options.clock.now().getTime();
      const due = this.options.nextRetryAt();
      const wait = due === undefined ? this.options.idleMs : Math.max(0, Math.min(this.options.idleMs, due - now));
      this.nap = new AbortController();
      await this.options.sleep(wait, this.nap.signal).catch(() => undefined);
      this.nap = undefined;
    }
  }
}
