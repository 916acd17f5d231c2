/** Timers, injected so tests drive the schedule without waiting. */
export type PullTimers = {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export const REAL_TIMERS: PullTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type PullJob = {
  readonly name: string;
  readonly intervalMs: number;
  run(): Promise<unknown>;
};

/**
 * Runs each pull job on its own interval and on demand. A job never overlaps itself: an on-demand refresh while
 * it runs joins the run in progress. A failing job is simply tried again at its next interval; the caches keep
 * their last good data and their "as of" time says how old it is.
 */
export class PullScheduler {
  private readonly handles = new Map<string, unknown>();
  private readonly running = new Map<string, Promise<unknown>>();
  private started = false;

  constructor(
    private readonly jobs: readonly PullJob[],
    private readonly timers: PullTimers = REAL_TIMERS,
  ) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const job of this.jobs) this.arm(job, 0);
  }

  stop(): void {
    this.started = false;
    for (const handle of this.handles.values()) this.timers.clearTimeout(handle);
    this.handles.clear();
  }

  /** Runs the named job now (or joins its current run); resolves with what it returned, or rejects. */
  refresh(name: string): Promise<unknown> {
    const job = this.jobs.find((j) => j.name === name);
    if (!job) return Promise.reject(new TypeError(`no pull job named ${name}`));
    return this.runOnce(job);
  }

  private runOnce(job: PullJob): Promise<unknown> {
    const current = this.running.get(job.name);
    if (current) return current;
    const run = job.run().finally(() => this.running.delete(job.name));
    this.running.set(job.name, run);
    return run;
  }

  private arm(job: PullJob, delayMs: number): void {
    const handle = this.timers.setTimeout(() => {
      this.runOnce(job)
        .catch(() => undefined)
        .finally(() => {
          if (this.started) this.arm(job, job.intervalMs);
        });
    }, delayMs);
    this.handles.set(job.name, handle);
  }
}
