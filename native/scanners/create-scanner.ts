import { assertNever } from '../../main/core/errors';
import { HidScanner } from './hid-scanner';
import { Emitter, type Disposable, type RawScan, type ScannerSource, type ScannerStatus } from './scanner-source';
import { SerialScanner } from './serial-scanner';
import type { Terminator } from './framing';

/** Scanner configuration; the same shape as `devices.scanner` in the till's config file. */
export type ScannerConfig =
  | { readonly kind: 'serial'; readonly path: string; readonly baudRate: number; readonly terminator: Terminator }
  | { readonly kind: 'hid'; readonly vendorId?: number | undefined; readonly productId?: number | undefined }
  | { readonly kind: 'none' };

/** The source for a till without a scanner (keyboard wedge only): always "unavailable", never scans. */
export class NoScanner implements ScannerSource {
  readonly id = 'none';
  readonly status: ScannerStatus = { state: 'unavailable', reason: 'No scanner configured (keyboard-wedge scanners still work)' };
  private readonly never = new Emitter<never>();

  open(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  onDidScan(_listener: (scan: RawScan) => void): Disposable {
    return this.never.on(() => undefined);
  }

  onDidChangeStatus(_listener: (status: ScannerStatus) => void): Disposable {
    return this.never.on(() => undefined);
  }
}

/** Builds the scanner the configuration describes. Nothing is opened until `open()`. */
export function createScanner(config: ScannerConfig): ScannerSource {
  switch (config.kind) {
    case 'serial':
      return new SerialScanner({ path: config.path, baudRate: config.baudRate, terminator: config.terminator });
    case 'hid':
      return new HidScanner({
        ...(config.vendorId === undefined ? {} : { vendorId: config.vendorId }),
        ...(config.productId === undefined ? {} : { productId: config.productId }),
      });
    case 'none':
      return new NoScanner();
    default:
      return assertNever(config);
  }
}
