import { TillError } from '../../main/core/errors';
import { ScannerBase, type RawScan, type ScannerStatus } from './scanner-source';

/**
 * An in-memory scanner with the same contract and status codes as the real ones: for tests and the demo till.
 * `emit` while not connected throws the same `DEVICE_DISCONNECTED` a consumer would see from a dead device.
 */
export class FakeScanner extends ScannerBase {
  /** Every scan emitted, in order, for assertions. */
  readonly recording: RawScan[] = [];
  private opened = false;

  constructor(readonly id = 'fake:scanner') {
    super();
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
    this.statusCell.set({ state: 'disconnected', reason: 'Not opened yet' });
    this.statusCell.changes.clear();
  }
}
