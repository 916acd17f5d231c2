import { TillError } from '../../main/core/errors';
import { Emitter, StatusCell, type Disposable, type RawScan, type ScannerSource, type ScannerStatus } from './scanner-source';

const INITIAL: ScannerStatus = { state: 'disconnected', reason: 'Not opened yet' };

/**
 * An in-memory scanner with the same contract and status codes as the real ones: for tests and the demo till.
 * `emit` while not connected throws the same `DEVICE_DISCONNECTED` a consumer would see from a dead device.
 */
export class FakeScanner implements ScannerSource {
  private readonly statusCell = new StatusCell(INITIAL);
  private readonly scans = new Emitter<RawScan>();
  /** Every scan emitted, in order, for assertions. */
  readonly recording: RawScan[] = [];
  private opened = false;

  constructor(readonly id = 'fake:scanner') {}

  get status(): ScannerStatus {
    return this.statusCell.value;
  }

  get isOpen(): boolean {
    return this.opened;
  }

  open(): Promise<void> {
    this.opened = true;
    this.statusCell.set({ state: 'connected', detail: 'Fake scanner' });
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.opened = false;
    this.statusCell.set({ state: 'disconnected', reason: 'Closed' });
    return Promise.resolve();
  }

  onDidScan(listener: (scan: RawScan) => void): Disposable {
    return this.scans.on(listener);
  }

  onDidChangeStatus(listener: (status: ScannerStatus) => void): Disposable {
    return this.statusCell.changes.on(listener);
  }

  emit(raw: string, symbology?: string): void {
    if (this.statusCell.value.state !== 'connected') {
      throw new TillError('DEVICE_DISCONNECTED', `Fake scanner is ${this.statusCell.value.state}`);
    }
    const scan: RawScan = { raw, symbology };
    this.recording.push(scan);
    this.scans.fire(scan);
  }

  /** Simulates an unplug, a replug, or a missing driver. */
  setStatus(status: ScannerStatus): void {
    this.statusCell.set(status);
  }

  /** Back to a fresh, unopened scanner with no listeners and no recording. */
  reset(): void {
    this.opened = false;
    this.recording.length = 0;
    this.scans.clear();
    this.statusCell.set(INITIAL);
    this.statusCell.changes.clear();
  }
}
