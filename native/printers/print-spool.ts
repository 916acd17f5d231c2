import type { Clock } from '../../main/core/clock';
import { TillError } from '../../main/core/errors';
import { printerReadiness } from './printer-status';
import type { PrinterTransport } from './printer-transport';
import type { ReceiptDocument } from './receipt-document';
import type { ReceiptLayoutOptions } from './receipt-layout';
import { renderReceiptBytes } from './render-receipt';
import { drawerPulseBytes } from './escpos-receipt';
import { type PrintedReport, renderReportBytes } from './report-layout';

/** One job of the spool table: a sale's receipt (the usual), a report, or a drawer kick alone. */
export type PrintJob = ReceiptPrintJob | ReportPrintJob | DrawerPrintJob;

type JobBase = {
  readonly id: string;
  /** True once `markPrinting` was called: bytes may have reached the printer on an earlier attempt. */
  readonly mayHaveReachedPaper: boolean;
  readonly attempts: number;
};

/** A manager's report (X/Z): laid out by report-layout.ts; never kicks the drawer. */
export type ReportPrintJob = JobBase & { readonly kind: 'report'; readonly report: PrintedReport };

/** "Open drawer" without a receipt: the kick alone, not repeated once it may have gone out. */
export type DrawerPrintJob = JobBase & { readonly kind: 'drawer' };

/** One receipt to print (`kind` absent or "receipt"). */
export type ReceiptPrintJob = {
  readonly kind?: 'receipt';
  readonly id: string;
  readonly receipt: ReceiptDocument;
  /** Kick the cash drawer with this receipt (a cash tender). */
  readonly openDrawer: boolean;
  /** A reprint someone asked for: always printed as COPY and never kicks the drawer. */
  readonly reprint: boolean;
  /**
   * True once `markPrinting` was called for this job: bytes may have reached the printer on an earlier
   * attempt, so the next attempt prints the whole receipt again, marked COPY, without the drawer kick.
   */
  readonly mayHaveReachedPaper: boolean;
  /** Failed attempts so far, for the retry backoff. */
  readonly attempts: number;
};

/**
 * The spool table as the worker sees it. Calls are synchronous because the store (better-sqlite3) is; each
 * `mark*` must be durable when it returns, because the copy rule relies on `markPrinting` surviving a crash.
 */
export interface PrintJobQueue {
  /**
   * The oldest job that is pending, or failed with `retryAt` reached. A job still marked printing is one a
   * crashed worker left behind (one worker per till), so it counts as pending too, with `mayHaveReachedPaper`.
   */
  nextPending(): PrintJob | undefined;
  /** Called right before the first byte is written. Sets `mayHaveReachedPaper` for good. */
  markPrinting(id: string): void;
  /** The receipt is printed; the job is never returned again. */
  markPrinted(id: string): void;
  /** This attempt did not print the receipt; try again at `retryAt`. The reason is for the manager's screen. */
  markFailed(id: string, reason: string, retryAt: Date): void;
}

export type SpoolOutcome =
  | { readonly kind: 'idle' }
  | { readonly kind: 'printed'; readonly jobId: string; readonly copy: boolean }
  /** The printer is not ready (paper out, cover open, offline); nothing was written. */
  | { readonly kind: 'waiting'; readonly jobId: string; readonly reason: string; readonly retryAt: Date }
  /** The printer could not be reached, or the receipt was interrupted; it will be printed again as a whole. */
  | { readonly kind: 'failed'; readonly jobId: string; readonly reason: string; readonly retryAt: Date; readonly interrupted: boolean };

export type SpoolRetry = {
  /** Wait before asking a printer that is not ready again: the cashier is loading paper or closing the cover. */
  readonly notReadyMs: number;
  /** Backoff after a connection failure or an interrupted receipt: doubles per attempt up to `maxMs`. */
  readonly initialMs: number;
  readonly maxMs: number;
};

export const DEFAULT_SPOOL_RETRY: SpoolRetry = { notReadyMs: 3_000, initialMs: 1_000, maxMs: 30_000 };

export type PrintSpoolOptions = {
  readonly queue: PrintJobQueue;
  readonly transport: PrinterTransport;
  readonly clock: Clock;
  readonly layout: ReceiptLayoutOptions;
  readonly retry?: SpoolRetry;
  /** How often to look for new jobs when idle, besides `wake()`. */
  readonly pollMs?: number;
  /** Every outcome of the loop, for logs and the device status screen. */
  readonly onOutcome?: (outcome: SpoolOutcome) => void;
  /** Errors from the queue itself (e.g. the database), which the loop survives. */
  readonly onError?: (error: unknown) => void;
  /**
   * The drawer's sensor read closed after it read open (a real close, journaled by the caller: docs/fiscal-no.md).
   * After a drawer kick the spool reads the status every `drawerPollMs` while idle, until the drawer reads closed.
   */
  readonly onDrawerClosed?: () => void;
  /** How often the drawer is read while it may be open; default 1 s. */
  readonly drawerPollMs?: number;
};

/**
 * After a kick, a closed reading within this time may be the drawer not open yet: the watch goes on. After it, a
 * drawer that never read open (no sensor, or opened and shut between two readings) is no longer watched.
 */
export const DRAWER_OPEN_GRACE_MS = 5_000;
/** A drawer that reads open this long (a sensor wired the other way round) is no longer polled for. */
export const DRAWER_WATCH_MAX_MS = 30 * 60_000;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Whether the receipt prints as COPY and whether it kicks the drawer; see docs/printing.md. */
export function printPlan(job: PrintJob): { copy: boolean; openDrawer: boolean } {
  if (job.kind === 'report') return { copy: job.mayHaveReachedPaper, openDrawer: false };
  if (job.kind === 'drawer') return { copy: false, openDrawer: !job.mayHaveReachedPaper };
  const copy = job.reprint || job.receipt.copy || job.mayHaveReachedPaper;
  // The drawer kick is the first command of a receipt: if any bytes got out, it most likely fired already.
  return { copy, openDrawer: job.openDrawer && !job.reprint && !job.mayHaveReachedPaper };
}

/**
 * Prints queued receipts one at a time: take the next job, check the printer is ready, write the whole
 * receipt, check again, and mark it printed. A receipt is never marked printed unless all of it was written
 * while the printer reported nothing wrong, and never printed again once marked, unless a reprint is queued.
 */
export class PrintSpoolWorker {
  private readonly retry: SpoolRetry;
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  /** The drawer as last read: undefined until a status was read. */
  private drawerOpen: boolean | undefined;
  /** While set, the drawer may be open: read it when idle. `since` is the kick (or first open reading). */
  private drawerWatch: { readonly since: number } | undefined;

  constructor(private readonly options: PrintSpoolOptions) {
    this.retry = options.retry ?? DEFAULT_SPOOL_RETRY;
  }

  /** Processes at most one job. */
  async runOnce(): Promise<SpoolOutcome> {
    const { queue, transport } = this.options;
    const job = queue.nextPending();
    if (job === undefined) {
      if (this.drawerWatch !== undefined) await this.pollDrawer();
      return { kind: 'idle' };
    }

    try {
      await transport.open();
    } catch (error) {
      return this.fail(job, `Printer unreachable: ${message(error)}`, false);
    }

    let before;
    try {
      before = await transport.readStatus();
    } catch (error) {
      await transport.close();
      return this.fail(job, `Printer status unreadable: ${message(error)}`, false);
    }
    this.observeDrawer(before);
    if (before !== undefined) {
      const ready = printerReadiness(before);
      if (!ready.ready) {
        const retryAt = this.after(this.retry.notReadyMs);
        queue.markFailed(job.id, ready.message, retryAt);
        return { kind: 'waiting', jobId: job.id, reason: ready.message, retryAt };
      }
    }

    const plan = printPlan(job);
    const bytes = this.render(job, plan);
    queue.markPrinting(job.id);
    try {
      await transport.write(bytes);
    } catch (error) {
      await transport.close();
      return this.fail(job, `Receipt interrupted: ${message(error)}`, true);
    }

    // The printer takes bytes into its buffer before it prints them: ask again, so a roll that ran out or a
    // cover opened during this receipt sends it round again instead of counting as printed.
    let after;
    try {
      after = await transport.readStatus();
    } catch (error) {
      await transport.close();
      return this.fail(job, `Receipt may be incomplete: ${message(error)}`, true);
    }
    if (plan.openDrawer) this.drawerWatch = { since: this.options.clock.now().getTime() };
    this.observeDrawer(after);
    if (after !== undefined) {
      const ready = printerReadiness(after);
      if (!ready.ready) return this.fail(job, `Receipt interrupted: ${ready.message}`, true, this.retry.notReadyMs);
    }
    queue.markPrinted(job.id);
    return { kind: 'printed', jobId: job.id, copy: plan.copy };
  }

  /** Runs the loop until `stop()`: prints what is due, sleeps until the next retry or poll, wakes on `wake()`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** New work: stop sleeping and look at the queue now. */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    this.loopDone = undefined;
    await this.options.transport.close();
  }

  private async loop(): Promise<void> {
    const pollMs = this.options.pollMs ?? 2_000;
    while (this.running) {
      let delay = pollMs;
      try {
        const outcome = await this.runOnce();
        this.options.onOutcome?.(outcome);
        if (outcome.kind === 'printed') delay = 0;
        else if (outcome.kind === 'idle' && this.drawerWatch !== undefined) delay = Math.min(pollMs, this.options.drawerPollMs ?? 1_000);
        else if (outcome.kind !== 'idle') delay = Math.max(0, Math.min(pollMs, outcome.retryAt.getTime() - this.options.clock.now().getTime()));
      } catch (error) {
        this.options.onError?.(error);
      }
      if (this.running && delay > 0) await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** Reads the drawer while it may be open; an unreachable printer is tried again at the next poll. */
  private async pollDrawer(): Promise<void> {
    try {
      await this.options.transport.open();
      this.observeDrawer(await this.options.transport.readStatus());
    } catch {
      // The next job or poll reports the printer's trouble; the watch goes on.
    }
  }

  /** One status reading: a close after an open is reported once; the watch ends when the drawer is shut. */
  private observeDrawer(status: { readonly drawerOpen: boolean } | undefined): void {
    if (status === undefined) {
      // A printer that does not report its status tells nothing of its drawer either.
      this.drawerWatch = undefined;
      return;
    }
    const now = this.options.clock.now().getTime();
    const wasOpen = this.drawerOpen === true;
    this.drawerOpen = status.drawerOpen;
    if (status.drawerOpen) {
      // Opened by hand (a key) or by a kick: watched until it shuts, for at most DRAWER_WATCH_MAX_MS.
      if (!wasOpen && this.drawerWatch === undefined) this.drawerWatch = { since: now };
      else if (this.drawerWatch !== undefined && now - this.drawerWatch.since > DRAWER_WATCH_MAX_MS) this.drawerWatch = undefined;
      return;
    }
    if (wasOpen) {
      this.drawerWatch = undefined;
      try {
        this.options.onDrawerClosed?.();
      } catch (error) {
        // Never lets a receipt's marking fail: the close is the caller's to record.
        this.options.onError?.(error);
      }
      return;
    }
    if (this.drawerWatch !== undefined && now - this.drawerWatch.since > DRAWER_OPEN_GRACE_MS) this.drawerWatch = undefined;
  }

  private render(job: PrintJob, plan: { copy: boolean; openDrawer: boolean }): Uint8Array {
    if (job.kind === 'report') return renderReportBytes({ ...job.report, copy: job.report.copy || plan.copy }, this.options.layout);
    // A drawer kick that may already have fired is not sent again: the drawer may be open with a cashier at it.
    if (job.kind === 'drawer') return plan.openDrawer ? drawerPulseBytes() : new Uint8Array();
    return renderReceiptBytes({ ...job.receipt, copy: plan.copy }, this.options.layout, { openDrawer: plan.openDrawer });
  }

  private after(ms: number): Date {
    return new Date(this.options.clock.now().getTime() + ms);
  }

  private fail(job: PrintJob, reason: string, interrupted: boolean, delayMs?: number): SpoolOutcome {
    const delay = delayMs ?? Math.min(this.retry.maxMs, this.retry.initialMs * 2 ** Math.min(job.attempts, 20));
    const retryAt = this.after(delay);
    this.options.queue.markFailed(job.id, reason, retryAt);
    return { kind: 'failed', jobId: job.id, reason, retryAt, interrupted };
  }
}

type JobState = 'pending' | 'printing' | 'printed' | 'failed';

export type PrintJobRecord = PrintJob & {
  readonly state: JobState;
  readonly retryAt: Date | undefined;
  readonly lastError: string | undefined;
  /** How often `markPrinted` was called: 1 at most, or the queue has a bug. */
  readonly printedCount: number;
};

/** The spool table in memory, with the same rules a SQLite implementation must keep; for tests and the demo. */
export class InMemoryPrintJobQueue implements PrintJobQueue {
  private readonly jobs = new Map<string, PrintJobRecord>();

  constructor(private readonly clock: Clock) {}

  enqueue(job: { id: string; receipt: ReceiptDocument; openDrawer?: boolean; reprint?: boolean }): void {
    if (this.jobs.has(job.id)) throw new TillError('CONFLICT', `Print job ${job.id} already exists`);
    this.jobs.set(job.id, {
      id: job.id,
      receipt: job.receipt,
      openDrawer: job.openDrawer ?? false,
      reprint: job.reprint ?? false,
      mayHaveReachedPaper: false,
      attempts: 0,
      state: 'pending',
      retryAt: undefined,
      lastError: undefined,
      printedCount: 0,
    });
  }

  /** Queues a reprint of an earlier job's receipt under a new id: printed as COPY, without the drawer. */
  requestReprint(ofId: string, newId: string): void {
    const original = this.require(ofId);
    if (original.kind === 'report' || original.kind === 'drawer') throw new TillError('CONFLICT', `Print job ${ofId} is not a receipt`);
    this.enqueue({ id: newId, receipt: original.receipt, openDrawer: false, reprint: true });
  }

  nextPending(): PrintJob | undefined {
    const now = this.clock.now().getTime();
    for (const job of this.jobs.values()) {
      if (job.state === 'pending' || job.state === 'printing') return job;
      if (job.state === 'failed' && (job.retryAt?.getTime() ?? 0) <= now) return job;
    }
    return undefined;
  }

  markPrinting(id: string): void {
    const job = this.require(id);
    if (job.state === 'printed') throw new TillError('CONFLICT', `Print job ${id} is already printed`);
    this.jobs.set(id, { ...job, state: 'printing', mayHaveReachedPaper: true });
  }

  markPrinted(id: string): void {
    const job = this.require(id);
    if (job.state === 'printed') throw new TillError('CONFLICT', `Print job ${id} is already printed`);
    this.jobs.set(id, { ...job, state: 'printed', retryAt: undefined, printedCount: job.printedCount + 1 });
  }

  markFailed(id: string, reason: string, retryAt: Date): void {
    const job = this.require(id);
    if (job.state === 'printed') throw new TillError('CONFLICT', `Print job ${id} is already printed`);
    this.jobs.set(id, { ...job, state: 'failed', retryAt, lastError: reason, attempts: job.attempts + 1 });
  }

  get(id: string): PrintJobRecord | undefined {
    return this.jobs.get(id);
  }

  all(): PrintJobRecord[] {
    return [...this.jobs.values()];
  }

  private require(id: string): PrintJobRecord {
    const job = this.jobs.get(id);
    if (job === undefined) throw new TillError('NOT_FOUND', `No print job ${id}`);
    return job;
  }
}
