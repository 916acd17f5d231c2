import { TillError } from '../../main/core/errors';
import { decodePrinterStatus, encodeStatusBytes, type PaperState, type PrinterStatus } from './printer-status';
import type { PrinterTransport } from './printer-transport';

export type FakePrinterState = { online?: boolean; coverOpen?: boolean; paper?: PaperState; drawerOpen?: boolean; autocutterError?: boolean };

/**
 * An in-memory printer with the same contract and error codes as the real transports: for unit tests and the
 * demo till. It records every write, answers status from a script (one entry per `readStatus`, then the last
 * state), and can be told to fail a write part-way, as a printer does when its paper runs out mid-receipt.
 */
export class FakePrinter implements PrinterTransport {
  readonly recording: Uint8Array[] = [];
  private opened = false;
  private script: (FakePrinterState | 'no-answer')[] = [];
  private state: FakePrinterState | 'no-answer' = {};
  private failure: { afterBytes: number; error: TillError } | undefined;
  private unreachable: TillError | undefined;
  /** How many times `open` was called, to check reconnect behaviour. */
  opens = 0;
  /** How many status reads were answered or refused, to check the spool's polling. */
  statusReads = 0;

  constructor(readonly id = 'fake:printer') {}

  get isOpen(): boolean {
    return this.opened;
  }

  open(): Promise<void> {
    this.opens++;
    if (this.unreachable !== undefined) return Promise.reject(this.unreachable);
    this.opened = true;
    return Promise.resolve();
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.opened) return Promise.reject(new TillError('DEVICE_DISCONNECTED', `${this.id} is not open`));
    const failure = this.failure;
    if (failure !== undefined) {
      this.failure = undefined;
      this.recording.push(bytes.slice(0, failure.afterBytes));
      this.opened = false;
      return Promise.reject(failure.error);
    }
    this.recording.push(bytes.slice());
    return Promise.resolve();
  }

  readStatus(): Promise<PrinterStatus | undefined> {
    this.statusReads++;
    if (!this.opened) return Promise.reject(new TillError('DEVICE_DISCONNECTED', `${this.id} is not open`));
    const next = this.script.shift();
    if (next !== undefined) this.state = next;
    const state = this.state;
    return Promise.resolve(state === 'no-answer' ? undefined : decodePrinterStatus(encodeStatusBytes(state)));
  }

  close(): Promise<void> {
    this.opened = false;
    return Promise.resolve();
  }

  /** The state every following status read reports. */
  setState(state: FakePrinterState | 'no-answer'): void {
    this.script = [];
    this.state = state;
  }

  /** States for the next status reads, in order; the last one stays. */
  scriptStatus(...states: (FakePrinterState | 'no-answer')[]): void {
    this.script = [...states];
  }

  /** The next write delivers only `afterBytes` bytes and then fails with `DEVICE_DISCONNECTED`. */
  failNextWrite(afterBytes: number, message = 'Connection lost mid-receipt'): void {
    this.failure = { afterBytes, error: new TillError('DEVICE_DISCONNECTED', message) };
  }

  /** Opening fails until `setReachable(true)`, as with a printer that is switched off. */
  setReachable(reachable: boolean): void {
    this.unreachable = reachable ? undefined : new TillError('DEVICE_DISCONNECTED', `${this.id} is switched off`);
    if (!reachable) this.opened = false;
  }

  /** Everything written, joined. */
  bytes(): Uint8Array {
    const total = this.recording.reduce((n, b) => n + b.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const chunk of this.recording) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  /** Back to a fresh, closed printer in a good state with nothing recorded. */
  reset(): void {
    this.recording.length = 0;
    this.opened = false;
    this.script = [];
    this.state = {};
    this.failure = undefined;
    this.unreachable = undefined;
    this.opens = 0;
    this.statusReads = 0;
  }
}
