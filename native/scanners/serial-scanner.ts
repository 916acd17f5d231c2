import fs from 'node:fs';
import { SerialPort } from 'serialport';
import { decodeFrame, FrameSplitter, type Terminator } from './framing';
import { backoffDelay, DEFAULT_BACKOFF, ScannerBase, type Backoff, type ScannerStatus } from './scanner-source';

/** What the serial scanner needs from a port; `serialport`'s SerialPort satisfies it, and so can a test double. */
export interface SerialPortLike {
  open(callback: (error: Error | null) => void): void;
  close(callback?: (error: Error | null) => void): void;
  readonly isOpen: boolean;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'close', listener: (error?: Error & { disconnected?: boolean }) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  removeAllListeners(): this;
}

export type SerialScannerOptions = {
  readonly path: string;
  readonly baudRate: number;
  readonly terminator: Terminator;
  /** Quiet time that ends a scan when `terminator` is `timeout`. */
  readonly interByteTimeoutMs?: number;
  readonly backoff?: Backoff;
  /** How often to check, while connected, that the device node is still the one we opened. */
  readonly healthCheckMs?: number;
  /** Builds the port; defaults to `serialport`. */
  readonly createPort?: (path: string, baudRate: number) => SerialPortLike;
};

const defaultCreatePort = (path: string, baudRate: number): SerialPortLike =>
  new SerialPort({ path, baudRate, autoOpen: false, lock: true });

/** Turns an open error into words a manager can act on. */
export function describeOpenError(path: string, error: Error): ScannerStatus {
  const message = error.message;
  if (/EACCES|Permission denied/i.test(message)) {
    return { state: 'unavailable', reason: `No permission to open ${path}: add the till user to the "dialout" group` };
  }
  if (/\block|EBUSY|Resource busy|temporarily unavailable/i.test(message)) {
    return { state: 'unavailable', reason: `${path} is in use by another program` };
  }
  if (/ENOENT|No such file|not found/i.test(message)) {
    return { state: 'disconnected', reason: `Scanner not found at ${path}: check the cable; the till keeps looking` };
  }
  return { state: 'disconnected', reason: `Cannot open ${path}: ${message}` };
}

/**
 * A scanner on a serial port (RS-232, or USB in CDC/virtual COM mode). Frames scans by terminator or by
 * inter-byte timeout, and reopens the port with backoff after an unplug until it is back.
 */
export class SerialScanner extends ScannerBase {
  readonly id: string;
  private readonly splitter: FrameSplitter;
  private readonly backoff: Backoff;
  private readonly createPort: (path: string, baudRate: number) => SerialPortLike;
  private port: SerialPortLike | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private quietTimer: NodeJS.Timeout | undefined;
  private healthTimer: NodeJS.Timeout | undefined;
  private openedDevice: string | undefined;
  private attempt = 0;
  private wanted = false;
  /** Bumped by open and close, so an open still in flight from before a close cannot revive the port. */
  private generation = 0;

  constructor(private readonly options: SerialScannerOptions) {
    super();
    this.id = `serial:${options.path}`;
    this.splitter = new FrameSplitter(options.terminator);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.createPort = options.createPort ?? defaultCreatePort;
  }

  async open(): Promise<void> {
    if (this.wanted) return;
    this.wanted = true;
    this.attempt = 0;
    this.generation++;
    await this.tryOpen();
  }

  async close(): Promise<void> {
    this.wanted = false;
    this.generation++;
    this.clearTimers();
    const port = this.port;
    this.port = undefined;
    this.splitter.discard();
    if (port !== undefined) {
      port.removeAllListeners();
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    this.statusCell.set({ state: 'disconnected', reason: 'Closed' });
  }

  private async tryOpen(): Promise<void> {
    this.retryTimer = undefined;
    if (!this.wanted) return;
    const generation = this.generation;
    const port = this.createPort(this.options.path, this.options.baudRate);
    const error = await new Promise<Error | null>((resolve) => port.open(resolve));
    if (!this.wanted || generation !== this.generation) {
      if (error === null) port.close();
      return;
    }
    if (error !== null) {
      this.statusCell.set(describeOpenError(this.options.path, error));
      this.scheduleRetry();
      return;
    }
    this.port = port;
    this.attempt = 0;
    this.openedDevice = resolveDevice(this.options.path);
    this.startHealthCheck(port);
    port.on('data', (chunk) => this.onData(chunk));
    // A hang-up seen by the poller arrives as 'close' (disconnected); one seen by a pending read (EIO) arrives
    // as 'error' only, after which the port reads no more. Both mean the device is gone.
    port.on('error', () => this.onClosed(port));
    port.on('close', () => this.onClosed(port));
    this.statusCell.set({ state: 'connected', detail: `${this.options.path} at ${this.options.baudRate} baud` });
  }

  /**
   * The serial binding does not always report a hang-up: when the device vanishes right after a read, the port
   * can stay "open" forever. So, while connected, check that the path still leads to the device node we
   * opened; a missing path or a different node (the same udev link or socat link, but a new device) means the
   * one we hold is gone.
   */
  private startHealthCheck(port: SerialPortLike): void {
    if (this.healthTimer !== undefined) clearInterval(this.healthTimer);
    this.healthTimer = setInterval(() => {
      const now = resolveDevice(this.options.path);
      if (now === undefined || now !== this.openedDevice) this.onClosed(port);
    }, this.options.healthCheckMs ?? 1000);
    this.healthTimer.unref();
  }

  private onData(chunk: Buffer): void {
    for (const frame of this.splitter.push(chunk)) this.emitFrame(frame);
    if (this.options.terminator === 'timeout' && this.splitter.pending > 0) {
      if (this.quietTimer !== undefined) clearTimeout(this.quietTimer);
      this.quietTimer = setTimeout(() => {
        this.quietTimer = undefined;
        const frame = this.splitter.flush();
        if (frame !== undefined) this.emitFrame(frame);
      }, this.options.interByteTimeoutMs ?? 50);
    }
  }

  private emitFrame(frame: Uint8Array): void {
    this.scans.fire({ raw: decodeFrame(frame), symbology: undefined });
  }

  private onClosed(port: SerialPortLike): void {
    if (this.port !== port) return;
    port.removeAllListeners();
    // Keep a no-op error listener: a late error from the dead port must not become an uncaught exception.
    port.on('error', () => undefined);
    if (port.isOpen) port.close();
    this.port = undefined;
    if (this.healthTimer !== undefined) clearInterval(this.healthTimer);
    this.healthTimer = undefined;
    // Half a code before an unplug is noise; never glue it to the first code after the replug.
    this.splitter.discard();
    if (this.quietTimer !== undefined) clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
    if (!this.wanted) return;
    this.statusCell.set({ state: 'disconnected', reason: `Scanner at ${this.options.path} was unplugged; the till keeps looking` });
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (!this.wanted || this.retryTimer !== undefined) return;
    const delay = backoffDelay(this.backoff, this.attempt++);
    this.retryTimer = setTimeout(() => void this.tryOpen(), delay);
  }

  private clearTimers(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    if (this.quietTimer !== undefined) clearTimeout(this.quietTimer);
    if (this.healthTimer !== undefined) clearInterval(this.healthTimer);
    this.retryTimer = undefined;
    this.quietTimer = undefined;
    this.healthTimer = undefined;
  }
}

/** The device node a path leads to (following udev or socat links), or undefined when it is gone. */
function resolveDevice(path: string): string | undefined {
  try {
    const real = fs.realpathSync(path);
    const { rdev, ino } = fs.statSync(real);
    return `${real}#${rdev}#${ino}`;
  } catch {
    return undefined;
  }
}

export type SerialPortEntry = {
  readonly path: string;
  readonly manufacturer: string | undefined;
  readonly vendorId: string | undefined;
  readonly productId: string | undefined;
  readonly serialNumber: string | undefined;
};

/** Serial ports the system knows, for `till-agent devices` and `doctor`. Never throws: no ports is an empty list. */
export async function listSerialPorts(): Promise<SerialPortEntry[]> {
  try {
    // Typed here because the binding's PortInfo type sits in a nested package the linter cannot always see.
    const ports = (await SerialPort.list()) as unknown as readonly Partial<Record<keyof SerialPortEntry, string>>[];
    return ports.map((p) => ({
      path: p.path ?? '',
      manufacturer: p.manufacturer,
      vendorId: p.vendorId,
      productId: p.productId,
      serialNumber: p.serialNumber,
    }));
  } catch {
    return [];
  }
}
