import { because, type Reasoned } from '../core/error-reasons';
import { assertNever } from '../core/errors';
import type { PrinterTransportConfig } from '../../native/printers';
import type { ScannerConfig } from '../../native/scanners';

/** The configured printer in words, for `till-agent devices`, `print test` and the manager's device view. */
export function describePrinter(config: PrinterTransportConfig): string {
  switch (config.kind) {
    case 'tcp':
      return `network printer ${config.host}:${config.port}`;
    case 'serial':
      return `serial printer ${config.path} at ${config.baudRate} baud`;
    case 'usb':
      return `USB printer ${config.devicePath}`;
    case 'none':
      return 'no printer configured';
    default:
      return assertNever(config);
  }
}

export function describeScannerConfig(config: ScannerConfig): string {
  switch (config.kind) {
    case 'serial':
      return `serial scanner ${config.path} at ${config.baudRate} baud, terminator ${config.terminator}`;
    case 'hid': {
      const hex = (n: number | undefined): string => (n === undefined ? '*' : `0x${n.toString(16).padStart(4, '0')}`);
      return `USB HID POS scanner ${hex(config.vendorId)}:${hex(config.productId)}`;
    }
    case 'none':
      return 'no scanner configured';
    default:
      return assertNever(config);
  }
}

/** The configured printer as a reason a screen words (the manager's device list); `describePrinter` is its English. */
export function printerConfigReason(config: PrinterTransportConfig): Reasoned {
  switch (config.kind) {
    case 'tcp':
      return because('device.printer-network', { address: `${config.host}:${config.port}` });
    case 'serial':
      return because('device.printer-serial', { address: config.path, baud: config.baudRate });
    case 'usb':
      return because('device.printer-usb', { address: config.devicePath });
    case 'none':
      return because('device.no-printer-configured', {});
    default:
      return assertNever(config);
  }
}

/** The configured scanner as a reason a screen words; `describeScannerConfig` is its English. */
export function scannerConfigReason(config: ScannerConfig): Reasoned {
  switch (config.kind) {
    case 'serial':
      return because('device.scanner-serial', { address: config.path, baud: config.baudRate });
    case 'hid': {
      const hex = (n: number | undefined): string => (n === undefined ? '*' : `0x${n.toString(16).padStart(4, '0')}`);
      return because('device.scanner-hid', { address: `${hex(config.vendorId)}:${hex(config.productId)}` });
    }
    case 'none':
      return because('device.no-scanner-configured', {});
    default:
      return assertNever(config);
  }
}
