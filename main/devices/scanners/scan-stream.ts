import type { Clock } from '../../core/clock';
import { parseScan, type ParseScanOptions, type ScanResult } from '../../../native/barcode';
import type { Disposable, RawScan, ScannerSource, ScannerStatus } from '../../../native/scanners';

/** One scan from any source, with what it means. */
export type ScanEvent = {
  /** The source's id, e.g. `serial:/dev/ttyACM0`, `hid:0x0c2e:*`, `wedge`. */
  readonly source: string;
  /** The data as the scanner sent it (no terminator). */
  readonly raw: string;
  /** AIM symbology identifier, from the transport or from the start of the data; undefined when none was sent. */
  readonly symbology: string | undefined;
  /** When the till received it, from the injected clock. */
  readonly at: Date;
  readonly result: ScanResult;
};

export type ScanStatusEvent = { readonly source: string; readonly status: ScannerStatus };

export type ScanStreamOptions = {
  readonly clock: Clock;
  /** In-store layouts and currency; the reference year for GS1 dates comes from the clock. */
  readonly parse?: Omit<ParseScanOptions, 'referenceYear'>;
};

/**
 * Merges any number of scanner sources (and keyboard-wedge scans pushed in by the UI) into one ordered stream
 * of parsed scans. It does not open or close the sources: whoever owns them does.
 */
export class ScanStream {
  private readonly scanListeners = new Set<(event: ScanEvent) => void>();
  private readonly statusListeners = new Set<(event: ScanStatusEvent) => void>();
  private readonly attached = new Map<string, { source: ScannerSource; subscriptions: Disposable[] }>();

  constructor(private readonly options: ScanStreamOptions) {}

  /** Starts listening to a source; returns a handle that detaches it. */
  add(source: ScannerSource): Disposable {
    this.remove(source.id);
    const subscriptions = [
      source.onDidScan((scan) => this.accept(source.id, scan)),
      source.onDidChangeStatus((status) => this.fireStatus({ source: source.id, status })),
    ];
    this.attached.set(source.id, { source, subscriptions });
    return { dispose: () => this.remove(source.id) };
  }

  remove(id: string): void {
    const entry = this.attached.get(id);
    if (entry === undefined) return;
    for (const s of entry.subscriptions) s.dispose();
    this.attached.delete(id);
  }

  /** Current status of every attached source, for the manager screen and `till-agent devices`. */
  statuses(): ScanStatusEvent[] {
    return [...this.attached.values()].map(({ source }) => ({ source: source.id, status: source.status }));
  }

  /** A scan from a source that is not a `ScannerSource`, e.g. a keyboard wedge detected in the renderer. */
  push(source: string, scan: RawScan): ScanEvent {
    return this.accept(source, scan);
  }

  onDidScan(listener: (event: ScanEvent) => void): Disposable {
    const wrapped = (event: ScanEvent): void => listener(event);
    this.scanListeners.add(wrapped);
    return { dispose: () => this.scanListeners.delete(wrapped) };
  }

  onDidChangeStatus(listener: (event: ScanStatusEvent) => void): Disposable {
    const wrapped = (event: ScanStatusEvent): void => listener(event);
    this.statusListeners.add(wrapped);
    return { dispose: () => this.statusListeners.delete(wrapped) };
  }

  dispose(): void {
    for (const id of [...this.attached.keys()]) this.remove(id);
    this.scanListeners.clear();
    this.statusListeners.clear();
  }

  private accept(source: string, scan: RawScan): ScanEvent {
    const at = this.options.clock.now();
    // HID POS reports carry the identifier apart from the data; parseScan expects it in front.
    const hasInlineAim = /^\][A-Za-z][0-9A-Za-z]/.test(scan.raw);
    const text = scan.symbology !== undefined && !hasInlineAim ? `${scan.symbology}${scan.raw}` : scan.raw;
    const result = parseScan(text, { ...this.options.parse, referenceYear: at.getUTCFullYear() });
    const symbology = scan.symbology ?? (hasInlineAim ? scan.raw.slice(0, 3) : undefined);
    const event: ScanEvent = { source, raw: scan.raw, symbology, at, result };
    for (const listener of [...this.scanListeners]) {
      try {
        listener(event);
      } catch {
        // One faulty consumer must not stop the basket from getting the scan.
      }
    }
    return event;
  }

  private fireStatus(event: ScanStatusEvent): void {
    for (const listener of [...this.statusListeners]) {
      try {
        listener(event);
      } catch {
        // As above: status consumers are independent.
      }
    }
  }
}
