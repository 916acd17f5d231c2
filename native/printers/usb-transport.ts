import fs from 'node:fs';
import { TillError } from '../../main/core/errors';
import type { PrinterStatus } from './printer-status';
import { DEFAULT_IO_TIMEOUT_MS, DEFAULT_STATUS_TIMEOUT_MS, type PrinterTransport, type TransportTimings } from './printer-transport';
import { queryStatus, ResponseBuffer } from './response-buffer';

/** How often to retry a read or write the device answered with EAGAIN. */
const POLL_MS = 5;

const isAgain = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && (error.code === 'EAGAIN' || error.code === 'EWOULDBLOCK');

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A USB printer through the kernel's printer class driver (`/dev/usb/lp0`). The file is opened non-blocking,
 * so a printer that never answers a status request cannot tie up a thread: reads that would block return
 * EAGAIN and are retried until the deadline.
 */
export class UsbPrinterTransport implements PrinterTransport {
  readonly id: string;
  private handle: fs.promises.FileHandle | undefined;
  private readonly responses = new ResponseBuffer();
  private readonly statusTimeoutMs: number;
  private readonly ioTimeoutMs: number;

  constructor(private readonly options: { readonly devicePath: string } & TransportTimings) {
    this.id = `usb:${options.devicePath}`;
    this.statusTimeoutMs = options.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS;
    this.ioTimeoutMs = options.ioTimeoutMs ?? DEFAULT_IO_TIMEOUT_MS;
  }

  get isOpen(): boolean {
    return this.handle !== undefined;
  }

  async open(): Promise<void> {
    if (this.handle !== undefined) return;
    const { O_RDWR, O_NONBLOCK, O_NOCTTY } = fs.constants;
    try {
      this.handle = await fs.promises.open(this.options.devicePath, O_RDWR | O_NONBLOCK | O_NOCTTY);
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code === 'EACCES') {
        throw new TillError('DEVICE_UNAVAILABLE', `No permission to open ${this.options.devicePath}`, { cause: e, fix: 'Add the till user to the "lp" group' });
      }
      throw new TillError('DEVICE_DISCONNECTED', `Printer not found at ${this.options.devicePath}: ${e.code ?? e.message}`, { cause: e, fix: 'Check the USB cable and that the printer is on' });
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    const handle = this.requireOpen();
    const deadline = Date.now() + this.ioTimeoutMs;
    let offset = 0;
    while (offset < bytes.length) {
      try {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
        offset += bytesWritten;
      } catch (error) {
        if (!isAgain(error)) throw this.lost(error);
        if (Date.now() > deadline) throw new TillError('DEVICE_DISCONNECTED', `Printer ${this.id} stopped accepting data`);
        await pause(POLL_MS);
      }
    }
  }

  async readStatus(): Promise<PrinterStatus | undefined> {
    const handle = this.requireOpen();
    let reading = true;
    // Pull answers off the device while the query waits on the buffer.
    const pump = (async () => {
      const chunk = new Uint8Array(64);
      while (reading) {
        try {
          const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
          if (bytesRead > 0) this.responses.push(chunk.slice(0, bytesRead));
          else await pause(POLL_MS);
        } catch (error) {
          if (!isAgain(error)) return;
          await pause(POLL_MS);
        }
      }
    })();
    try {
      return await queryStatus((b) => this.write(b), this.responses, this.statusTimeoutMs, this.options.drawerPolarity ?? 'open-when-high');
    } finally {
      reading = false;
      await pump;
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private requireOpen(): fs.promises.FileHandle {
    if (this.handle === undefined) throw new TillError('DEVICE_DISCONNECTED', `Printer ${this.id} is not open`);
    return this.handle;
  }

  private lost(error: unknown): TillError {
    const message = error instanceof Error ? error.message : String(error);
    return new TillError('DEVICE_DISCONNECTED', `Lost printer ${this.id}: ${message}`, { cause: error });
  }
}
