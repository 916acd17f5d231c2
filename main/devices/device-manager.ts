import type { Clock } from '../core/clock';
import type { ErrorReason } from '../core/error-reasons';
import { assertNever, TillError } from '../core/errors';
import { layoutProblem, type InStoreLayout } from '../../native/barcode';
import type { PrinterTransportConfig, PrintSpoolWorker, ReceiptStore, SpoolOutcome } from '../../native/printers';
import type { ScannerConfig, ScannerSource, ScannerStatus } from '../../native/scanners';
import type { WritableDb } from '../store';
import { recordFiscalEvent } from '../store/fiscal-events';
import { recoverPrinting } from '../store/print-jobs';
import { receiptLayoutOptions } from './printing/layout-options';
import { sqlitePrintQueue } from './printing/sqlite-print-queue';
import { ScanStream, type ScanEvent } from './scanners/scan-stream';

export type DeviceState = 'connected' | 'disconnected' | 'unavailable' | 'not-configured';
/** `reason` words `detail` on a screen (main/core/error-reasons.ts); absent when only a driver's own text is known. */
export type DeviceStatus = { readonly id: string; readonly state: DeviceState; readonly detail: string; readonly reason?: ErrorReason };

const READINESS_REASON: Readonly<Record<string, ErrorReason>> = {
  'paper-out': 'device.paper-out',
  'cover-open': 'device.cover-open',
  error: 'device.printer-error',
  offline: 'device.printer-offline',
};
export type DevicesStatus = { readonly scanner: DeviceStatus; readonly printer: DeviceStatus };

export type DevicesConfig = {
  readonly scanner: ScannerConfig;
  readonly printer: PrinterTransportConfig;
  readonly printerWidth: 58 | 80;
  readonly inStoreLayouts: readonly InStoreLayout[];
};

/** What a printed receipt needs from the till's settings. */
export type ReceiptSettings = { readonly store: ReceiptStore; readonly locale: string; readonly currency: string; readonly timeZone: string };

type Listener = () => void;

function readinessReason(code: string): { reason?: ErrorReason } {
  const reason = READINESS_REASON[code];
  return reason ? { reason } : {};
}

function describeScanner(source: ScannerSource | undefined, config: ScannerConfig): DeviceStatus {
  if (config.kind === 'none') return { id: 'none', state: 'not-configured', detail: 'No scanner configured; keyboard-wedge scanners still work', reason: 'device.no-scanner' };
  if (!source) return { id: config.kind, state: 'disconnected', detail: 'Starting', reason: 'device.starting' };
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
  private spool: PrintSpoolWorker | undefined;
  private printer: DeviceStatus;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly config: DevicesConfig,
    private readonly clock: Clock,
    currencyExponent = 2,
  ) {
    this.printer =
      config.printer.kind === 'none'
        ? { id: 'none', state: 'not-configured', detail: 'No receipt printer configured', reason: 'device.no-printer' }
        : { id: config.printer.kind, state: 'disconnected', detail: 'Starting', reason: 'device.starting' };
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

  /**
   * Starts the print spool on the ledger's print queue once the database is open. Jobs a crash left half
   * printed go back to the queue first (they print as COPY). The printer's real status is read at once.
   */
  async startPrinting(db: WritableDb, settings: ReceiptSettings): Promise<void> {
    if (this.config.printer.kind === 'none') return;
    const printers = await import('../../native/printers');
    recoverPrinting(db);
    const transport = printers.createPrinterTransport(this.config.printer);
    const id = transport.id;
    try {
      await transport.open();
      const status = await transport.readStatus();
      const readiness = status ? printers.printerReadiness(status) : undefined;
      this.setPrinter(
        readiness === undefined
          ? { id, state: 'connected', detail: 'Connected; the printer does not report its status', reason: 'device.printer-no-status' }
          : readiness.ready
            ? readiness.warning === 'paper-near-end'
              ? { id, state: 'connected', detail: 'Paper is running low', reason: 'device.paper-low' }
              : { id, state: 'connected', detail: 'Ready', reason: 'device.ready' }
            : { id, state: 'unavailable', detail: readiness.message, ...readinessReason(readiness.reason) },
      );
    } catch (err) {
      this.setPrinter({ id, state: 'disconnected', detail: err instanceof Error ? err.message : String(err) });
    }
    this.spool = new printers.PrintSpoolWorker({
      queue: sqlitePrintQueue(db, this.clock, settings.store, settings.locale),
      transport,
      clock: this.clock,
      layout: receiptLayoutOptions(this.config.printerWidth, settings),
      onOutcome: (o) => this.onSpoolOutcome(id, o),
      // The drawer's sensor read closed after it read open: the regulation's drawer-closed event (13006).
      onDrawerClosed: () => void recordFiscalEvent(db, 'drawer_close', {}, this.clock.now()),
    });
    this.spool.start();
  }

  /** A sale was committed: print its receipt now rather than at the next poll. */
  wakePrinter(): void {
    this.spool?.wake();
  }

  async stop(): Promise<void> {
    this.scans.dispose();
    await this.spool?.stop();
    await this.scanner?.close();
  }

  private onSpoolOutcome(id: string, outcome: SpoolOutcome): void {
    switch (outcome.kind) {
      case 'idle':
        return;
      case 'printed':
        this.setPrinter({ id, state: 'connected', detail: 'Ready', reason: 'device.ready' });
        return;
      case 'waiting':
        this.setPrinter({ id, state: 'unavailable', detail: outcome.reason });
        return;
      case 'failed':
        this.setPrinter({ id, state: 'disconnected', detail: outcome.reason });
        return;
      default:
        assertNever(outcome);
    }
  }

  private setPrinter(next: DeviceStatus): void {
    if (next.state === this.printer.state && next.detail === this.printer.detail) return;
    this.printer = next;
    this.fire();
  }

  status(): DevicesStatus {
    return {
      scanner: describeScanner(this.scanner, this.config.scanner),
      printer: this.printer,
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
