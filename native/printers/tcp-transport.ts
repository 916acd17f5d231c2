import net from 'node:net';
import { TillError } from '../../main/core/errors';
import type { PrinterStatus } from './printer-status';
import { DEFAULT_IO_TIMEOUT_MS, DEFAULT_STATUS_TIMEOUT_MS, type PrinterTransport, type TransportTimings } from './printer-transport';
import { queryStatus, ResponseBuffer } from './response-buffer';

/**
 * A network printer on a raw TCP port (9100, "JetDirect" style): bytes go in as they are, status answers
 * come back on the same connection. The connection is kept open between receipts and reopened after a drop.
 */
export class TcpPrinterTransport implements PrinterTransport {
  readonly id: string;
  private socket: net.Socket | undefined;
  private readonly responses = new ResponseBuffer();
  private readonly statusTimeoutMs: number;
  private readonly ioTimeoutMs: number;

  constructor(
    private readonly options: { readonly host: string; readonly port: number } & TransportTimings,
  ) {
    this.id = `tcp:${options.host}:${options.port}`;
    this.statusTimeoutMs = options.statusTimeoutMs ?? DEFAULT_STATUS_TIMEOUT_MS;
    this.ioTimeoutMs = options.ioTimeoutMs ?? DEFAULT_IO_TIMEOUT_MS;
  }

  get isOpen(): boolean {
    return this.socket !== undefined && !this.socket.destroyed;
  }

  async open(): Promise<void> {
    if (this.isOpen) return;
    const socket = net.createConnection({ host: this.options.host, port: this.options.port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TillError('DEVICE_DISCONNECTED', `Printer ${this.id} did not answer within ${this.ioTimeoutMs} ms`));
      }, this.ioTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new TillError('DEVICE_DISCONNECTED', `Cannot reach printer ${this.id}: ${error.message}`, { cause: error, fix: 'Check that the printer is on and its network cable is in' }));
      });
    });
    socket.on('data', (chunk: Buffer) => this.responses.push(chunk));
    // After connect, errors surface through write or readStatus; the listener keeps them from crashing the process.
    socket.on('error', () => socket.destroy());
    this.socket = socket;
  }

  write(bytes: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (socket === undefined || socket.destroyed) {
      return Promise.reject(new TillError('DEVICE_DISCONNECTED', `Printer ${this.id} is not connected`));
    }
    return new Promise((resolve, reject) => {
      // A printer that stopped reading (paper out with a full buffer) must not hang the spool forever.
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TillError('DEVICE_DISCONNECTED', `Printer ${this.id} stopped accepting data`));
      }, this.ioTimeoutMs);
      socket.write(bytes, (error) => {
        clearTimeout(timer);
        if (error) reject(new TillError('DEVICE_DISCONNECTED', `Lost the connection to printer ${this.id}: ${error.message}`, { cause: error }));
        else resolve();
      });
    });
  }

  async readStatus(): Promise<PrinterStatus | undefined> {
    return queryStatus((b) => this.write(b), this.responses, this.statusTimeoutMs, this.options.drawerPolarity ?? 'open-when-high');
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket === undefined || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      // A peer that never closes its side must not keep us waiting.
      setTimeout(() => socket.destroy(), 1_000).unref();
    });
  }
}
