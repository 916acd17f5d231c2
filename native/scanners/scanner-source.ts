/**
 * The contract every scanner driver implements, in the style of serialport's binding interface: a real
 * implementation per transport and a fake with the same behaviour. Consumers receive a source; they never
 * build one themselves (see `createScanner`).
 */

export type ScannerStatus =
  | { readonly state: 'connected'; readonly detail: string }
  | { readonly state: 'disconnected'; readonly reason: string }
  | { readonly state: 'unavailable'; readonly reason: string };

/** One decoded barcode as the scanner delivered it, before interpretation. */
export type RawScan = {
  /** The data, decoded as UTF-8, without the transport's terminator. */
  readonly raw: string;
  /** AIM symbology identifier (e.g. `]E0`) when the transport reports it apart from the data (HID POS). */
  readonly symbology: string | undefined;
};

export type Disposable = { dispose(): void };

export interface ScannerSource {
  /** Stable name for logs and the scan stream, e.g. `serial:/dev/ttyACM0`. */
  readonly id: string;
  readonly status: ScannerStatus;
  /** Starts reading. Never rejects for a missing device: the status says so and the source keeps trying. */
  open(): Promise<void>;
  /** Stops reading and retrying; releases the device. */
  close(): Promise<void>;
  onDidScan(listener: (scan: RawScan) => void): Disposable;
  onDidChangeStatus(listener: (status: ScannerStatus) => void): Disposable;
}

/** A tiny synchronous event emitter; a listener that throws does not stop the others. */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  on(listener: (value: T) => void): Disposable {
    // Wrap so that the same function registered twice is two subscriptions, each disposed on its own.
    const wrapped = (value: T): void => listener(value);
    this.listeners.add(wrapped);
    return { dispose: () => this.listeners.delete(wrapped) };
  }

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // A faulty listener must not cost the other listeners their scan.
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }

  get size(): number {
    return this.listeners.size;
  }
}

/** Status holder that fires only on real changes, so listeners are not flooded during retries. */
export class StatusCell {
  private current: ScannerStatus;
  readonly changes = new Emitter<ScannerStatus>();

  constructor(initial: ScannerStatus) {
    this.current = initial;
  }

  get value(): ScannerStatus {
    return this.current;
  }

  set(next: ScannerStatus): void {
    if (sameStatus(this.current, next)) return;
    this.current = next;
    this.changes.fire(next);
  }
}

export function sameStatus(a: ScannerStatus, b: ScannerStatus): boolean {
  if (a.state !== b.state) return false;
  const textA = a.state === 'connected' ? a.detail : a.reason;
  const textB = b.state === 'connected' ? b.detail : b.reason;
  return textA === textB;
}

/** Backoff for reopening a device: doubles from `initialMs` up to `maxMs`. No jitter: one till, one device. */
export type Backoff = { readonly initialMs: number; readonly maxMs: number };
export const DEFAULT_BACKOFF: Backoff = { initialMs: 250, maxMs: 5_000 };

export function backoffDelay(backoff: Backoff, attempt: number): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 20));
}

/**
 * What every scanner driver shares: its status (changes fired only when they are real) and its scan events.
 * Drivers extend this and implement how they open, read and close.
 */
export abstract class ScannerBase implements ScannerSource {
  abstract readonly id: string;
  protected readonly statusCell = new StatusCell({ state: 'disconnected', reason: 'Not opened yet' });
  protected readonly scans = new Emitter<RawScan>();

  get status(): ScannerStatus {
    return this.statusCell.value;
  }

  onDidScan(listener: (scan: RawScan) => void): Disposable {
    return this.scans.on(listener);
  }

  onDidChangeStatus(listener: (status: ScannerStatus) => void): Disposable {
    return this.statusCell.changes.on(listener);
  }

  abstract open(): Promise<void>;
  abstract close(): Promise<void>;
}
