import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock';
import { because } from '../core/error-reasons';
import { TillError } from '../core/errors';

/** A manager session ends after this long without a call: a manager who walks away leaves no open back office. */
export const MANAGER_IDLE_MS = 5 * 60_000;

/**
 * Short-lived manager sessions, issued by a PIN login and held in memory only (a restart logs everyone out).
 * Every manager call presents its session id next to the API token; each use extends it.
 */
export class ManagerSessions {
  private readonly sessions = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    readonly idleMs: number = MANAGER_IDLE_MS,
  ) {}

  issue(): string {
    this.sweep();
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, this.clock.now().getTime());
    return id;
  }

  /** Throws UNAUTHORIZED for a missing, unknown or expired session; otherwise extends it. */
  require(id: string | undefined): void {
    const now = this.clock.now().getTime();
    const lastUsed = id === undefined ? undefined : this.sessions.get(id);
    if (id === undefined || lastUsed === undefined || now - lastUsed > this.idleMs) {
      if (id !== undefined) this.sessions.delete(id);
      throw new TillError('UNAUTHORIZED', 'The manager session is missing or has expired: log in with the manager PIN again.', because('manager.session-expired', {}));
    }
    this.sessions.set(id, now);
  }

  /** Ends the session; true when it was live. */
  end(id: string): boolean {
    const now = this.clock.now().getTime();
    const lastUsed = this.sessions.get(id);
    this.sessions.delete(id);
    return lastUsed !== undefined && now - lastUsed <= this.idleMs;
  }

  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [id, at] of this.sessions) if (now - at > this.idleMs) this.sessions.delete(id);
  }
}
