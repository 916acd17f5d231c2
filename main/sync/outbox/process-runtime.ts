/** The worker's contact with the process and the clock, kept apart so tests inject fakes. */

/** Sleeps `ms`; resolves early (never rejects) when `signal` aborts. Injected so tests run on fake time. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Whether a process on this host is alive: signal 0 checks without sending anything (EPERM: alive, not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Real sleep for production: a timer that an abort ends early. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
