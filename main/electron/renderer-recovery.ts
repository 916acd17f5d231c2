/**
 * What the shell does when a screen's renderer process dies or hangs: reload it, since the basket and every
 * other piece of state live in the agent (main process), not in the page, so a reloaded screen shows the
 * same basket. A renderer that keeps crashing is not reloaded in a tight loop: after `maxCrashes` within
 * `windowMs` the shell shows the error instead, so staff can call support.
 */
export type RecoveryAction = { kind: 'reload' } | { kind: 'give-up'; reason: string } | { kind: 'ignore' };
/** A hung renderer is killed; its `render-process-gone` event then goes through `onGone` like any crash. */
export type HangAction = { kind: 'kill' } | { kind: 'ignore' };

export type RecoveryOptions = { readonly maxCrashes: number; readonly windowMs: number; readonly hangMs: number };

export const DEFAULT_RECOVERY: RecoveryOptions = { maxCrashes: 3, windowMs: 60_000, hangMs: 10_000 };

export class RendererRecovery {
  private crashes: number[] = [];
  private hangSince: number | undefined;

  constructor(private readonly options: RecoveryOptions = DEFAULT_RECOVERY) {}

  /** `render-process-gone`: `reason` as Electron reports it. */
  onGone(reason: string, now: number): RecoveryAction {
    if (reason === 'clean-exit') return { kind: 'ignore' };
    this.crashes = this.crashes.filter((t) => now - t < this.options.windowMs);
    this.crashes.push(now);
    if (this.crashes.length > this.options.maxCrashes) {
      return { kind: 'give-up', reason: `The screen stopped ${this.crashes.length} times in ${Math.round(this.options.windowMs / 1000)} s (last: ${reason}).` };
    }
    return { kind: 'reload' };
  }

  onUnresponsive(now: number): void {
    this.hangSince ??= now;
  }

  onResponsive(): void {
    this.hangSince = undefined;
  }

  /** Called on a timer: kill the renderer once a hang has lasted `hangMs`. */
  checkHang(now: number): HangAction {
    if (this.hangSince === undefined || now - this.hangSince < this.options.hangMs) return { kind: 'ignore' };
    this.hangSince = undefined;
    return { kind: 'kill' };
  }
}
