import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock';
import { because } from '../core/error-reasons';
import { TillError } from '../core/errors';

/** A manager session ends after this long without a call: a manager who walks away leaves no open back office. */
export const MANAGER_IDLE_MS = 5 * 60_000;

/** How often live sessions are checked for expiry, so a timed-out one is journaled near the time it ended. */
export const MANAGER_SWEEP_MS = 15_000;

export type ManagerSessionsOptions = {
  readonly idleMs?: number;
  /**
   * A session ended by timing out (the regulation's log-out, docs/fiscal-no.md): called once per session, at
   * the first of the periodic sweep, a later login, or a call that presents it. `expiredAt` is when it timed out.
   */
  readonly onDidExpire?: (expiredAt: Date) => void;
  /** Milliseconds between sweeps while a session is live; 0 turns the timer off (tests sweep by hand). */
  readonly sweepMs?: number;
};

/**
 * Short-lived manager sessions, issued by a PIN login and held in memory only (a restart logs everyone out).
 * Every manager call presents its session id next to the API token; each use extends it. A timer runs only while
 * a session is live (unref'd: it never keeps the process up).
 */
export class ManagerSessions {
  private readonly sessions = new Map<string, number>();
  readonly idleMs: number;
  private readonly onDidExpire: ((expiredAt: Date) => void) | undefined;
  private readonly sweepMs: number;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly clock: Clock,
    options: number | ManagerSessionsOptions = {},
  ) {
    const o = typeof options === 'number' ? { idleMs: options } : options;
    this.idleMs = o.idleMs ?? MANAGER_IDLE_MS;
    this.onDidExpire = o.onDidExpire;
    this.sweepMs = o.sweepMs ?? MANAGER_SWEEP_MS;
  }

  issue(): string {
    this.sweep();
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, this.clock.now().getTime());
    this.startTimer();
    return id;
  }

  /** Throws UNAUTHORIZED for a missing, unknown or expired session; otherwise extends it. */
  require(id: string | undefined): void {
    const now = this.clock.now().getTime();
    const lastUsed = id === undefined ? undefined : this.sessions.get(id);
    if (id === undefined || lastUsed === undefined || now - lastUsed > this.idleMs) {
      if (id !== undefined && lastUsed !== undefined) this.expire(id, lastUsed);
      throw new TillError('UNAUTHORIZED', 'The manager session is missing or has expired: log in with the manager PIN again.', because('manager.session-expired', {}));
    }
    this.sessions.set(id, now);
  }

  /** Ends the session; true when it was live (an expired one is reported as expired, not as logged out). */
  end(id: string): boolean {
    const now = this.clock.now().getTime();
    const lastUsed = this.sessions.get(id);
    if (lastUsed === undefined) return false;
    if (now - lastUsed > this.idleMs) {
      this.expire(id, lastUsed);
      return false;
    }
    this.sessions.delete(id);
    this.stopTimerIfIdle();
    return true;
  }

  /** Ends every session that has timed out, reporting each; the timer calls it. */
  sweep(): void {
    const now = this.clock.now().getTime();
    for (const [id, at] of [...this.sessions]) if (now - at > this.idleMs) this.expire(id, at);
  }

  /** Stops the timer (the agent is closing). Sessions stay as they are. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private expire(id: string, lastUsed: number): void {
    if (!this.sessions.delete(id)) return;
    this.stopTimerIfIdle();
    this.onDidExpire?.(new Date(lastUsed + this.idleMs));
  }

  private startTimer(): void {
    if (this.timer !== undefined || this.sweepMs <= 0 || this.onDidExpire === undefined) return;
    this.timer = setInterval(() => this.sweep(), this.sweepMs);
    this.timer.unref();
  }

  private stopTimerIfIdle(): void {
    if (this.sessions.size === 0) this.stop();
  }
}
