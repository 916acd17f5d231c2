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
