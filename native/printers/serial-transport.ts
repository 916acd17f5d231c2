import { TillError } from '../../main/core/errors';
import type { PrinterStatus } from './printer-status';
import { DEFAULT_IO_TIMEOUT_MS, DEFAULT_STATUS_TIMEOUT_MS, type PrinterTransport, type TransportTimings } from './printer-transport';
import { queryStatus, ResponseBuffer } from './response-buffer';

/** What the transport needs from a port; `serialport`'s SerialPort satisfies it. */
export interface PrinterSerialPort {
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  close(callback?: (error: Error | null) => void): void;
  write(data: Uint8Array, callback?: (error: Error | null | undefined) => void): boolean;
  drain(callback?: (error: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'close', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  removeAllListeners(): this;
}

export type SerialPrinterOptions = {
  readonly path: string;
  readonly baudRate: number;
  readonly createPort?: (path: string, baudRate: number) => PrinterSerialPort;
} & TransportTimings;

/** serialport loads a native binding; load it on first use so agents without a serial printer never pay for it. */
async function defaultPort(path: string, baudRate: number): Promise<PrinterSerialPort> {
  const { SerialPort } = await import('serialport');
  return new SerialPort({ path, baudRate, autoOpen: false, lock: true });
}

function openError(path: string, error: Error): TillError {
  const message = error.message;
  if (/EACCES|Permission denied/i.test(message)) {
    return new TillError('DEVICE_UNAVAILABLE', `No permission to open printer port ${path}`, { cause: error, fix: 'Add the till user to the "dialout" group' });
  }
  if (/\block|EBUSY|Resource busy/i.test(message)) {
    return new TillError('DEVICE_UNAVAILABLE', `Printer port ${path} is in use by another program`, { cause: error });
  }
  return new TillError('DEVICE_DISCONNECTED', `Cannot open printer port ${path}: ${message}`, { cause: error, fix: 'Check the printer cable and power' });
}

/** A printer on an RS-232 port or a USB-serial adapter. Status answers come back on the same port. */
export class SerialPrinterTransport implements PrinterTransport {
  readonly id: string;
  private port: PrinterSerialPort | undefined;
  private readonly responses = new ResponseBuffer();
  private readonly statusTimeoutMs: number;
  private readonly ioTimeoutMs: number;

  constructor(private readonly options: SerialPrinterOptions) {
    this.id = `serial:${options.path}`;
    this.statusTimeoutMs = options.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS;
    this.ioTimeoutMs = options.ioTimeoutMs ?? DEFAULT_IO_TIMEOUT_MS;
  }

  get isOpen(): boolean {
    return this.port?.isOpen === true;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    const port = this.options.createPort
      ? this.options.createPort(this.options.path, this.options.baudRate)
      : await defaultPort(this.options.path, this.options.baudRate);
    await new Promise<void>((resolve, reject) => {
      port.open((error) => (error ? reject(openError(this.options.path, error)) : resolve()));
    });
    port.on('data', (chunk: Buffer) => this.responses.push(chunk));
    port.on('close', () => {
      if (this.port === port) this.port = undefined;
    });
    // Errors surface through the next write or status read.
    port.on('error', () => undefined);
    this.port = port;
  }

  write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (port === undefined || !port.isOpen) {
      return Promise.reject(new TillError('DEVICE_DISCONNECTED', `Printer ${this.id} is not connected`));
    }
    return new Promise((resolve, reject) => {
      // Hardware flow control can hold a write forever when the printer is off; give up after a while.
      const timer = setTimeout(() => reject(new TillError('DEVICE_DISCONNECTED', `Printer ${this.id} stopped accepting data`)), this.ioTimeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        reject(new TillError('DEVICE_DISCONNECTED', `Writing to printer ${this.id} failed: ${error.message}`, { cause: error }));
      };
      port.write(bytes, (error) => {
        if (error) fail(error);
      });
      port.drain((error) => {
        if (error) return fail(error);
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async readStatus(): Promise<PrinterStatus | undefined> {
    return queryStatus((b) => this.write(b), this.responses, this.statusTimeoutMs, this.options.drawerPolarity ?? 'open-when-high');
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port === undefined || !port.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
    port.removeAllListeners();
  }
}
