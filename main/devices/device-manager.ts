import type { Clock } from '../core/clock';
import { TillError } from '../core/errors';
import { layoutProblem, type InStoreLayout } from '../../native/barcode';
import type { ScannerConfig, ScannerSource, ScannerStatus } from '../../native/scanners';
import { ScanStream, type ScanEvent } from './scanners/scan-stream';

export type DeviceState = 'connected' | 'disconnected' | 'unavailable' | 'not-configured';
export type DeviceStatus = { readonly id: string; readonly state: DeviceState; readonly detail: string };
export type DevicesStatus = { readonly scanner: DeviceStatus; readonly printer: DeviceStatus };

export type DevicesConfig = {
  readonly scanner: ScannerConfig;
  readonly printer: { readonly kind: string };
  readonly inStoreLayouts: readonly InStoreLayout[];
};

type Listener = () => void;

function describeScanner(source: ScannerSource | undefined, config: ScannerConfig): DeviceStatus {
  if (config.kind === 'none') return { id: 'none', state: 'not-configured', detail: 'No scanner configured; keyboard-wedge scanners still work' };
  if (!source) return { id: config.kind, state: 'disconnected', detail: 'Starting' };
  const s: ScannerStatus = source.status;
  return s.state === 'connected' ? { id: source.id, state: s.state, detail: s.detail } : { id: source.id, state: s.state, detail: s.reason };
}

/**
 * Wires the configured hardware to the rest of the agent: opens the scanner, turns its bytes into parsed
 * scans (ScanStream), and reports every device's status in words. A missing device or library is a status,
 * never a crash.
 */
export class DeviceManager {
  readonly scans: ScanStream;
  private scanner: ScannerSource | undefined;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly config: DevicesConfig,
    clock: Clock,
    currencyExponent = 2,
  ) {
    config.inStoreLayouts.forEach((layout, i) => {
      const problem = layoutProblem(layout);
      if (problem) {
        throw new TillError('CONFIG_INVALID', `The configuration is invalid:\n  - devices.inStoreLayouts.${i} ("${layout.name}"): ${problem}`, {
          fix: 'Correct the layout in the config file and start again.',
        });
      }
    });
    this.scans = new ScanStream({ clock, parse: { inStoreLayouts: config.inStoreLayouts, currencyExponent } });
    this.scans.onDidChangeStatus(() => this.fire());
  }

  async start(): Promise<void> {
    if (this.config.scanner.kind === 'none') return;
    // Loaded here, not at import: serialport's native binding is not needed to answer the API.
    const { createScanner } = await import('../../native/scanners');
    const scanner = createScanner(this.config.scanner);
    this.scanner = scanner;
    this.scans.add(scanner);
    this.fire();
    await scanner.open();
  }

  async stop(): Promise<void> {
    this.scans.dispose();
    await this.scanner?.close();
  }

  status(): DevicesStatus {
    return {
      scanner: describeScanner(this.scanner, this.config.scanner),
      printer:
        this.config.printer.kind === 'none'
          ? { id: 'none', state: 'not-configured', detail: 'No receipt printer configured' }
          : { id: this.config.printer.kind, state: 'unavailable', detail: 'Receipt printing is not wired into this build yet' },
    };
  }

  onDidScan(listener: (event: ScanEvent) => void): { dispose(): void } {
    return this.scans.onDidScan(listener);
  }

  onDidChangeStatus(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private fire(): void {
    for (const l of this.listeners) l();
  }
}
