import { TillError } from '../core/errors';
import type { PrinterConfig, ScannerConfig } from './schema';

/**
 * Device addresses as a person types them: `tcp://HOST[:PORT]`, `serial:PATH` or `usb:PATH` for a printer,
 * `serial:PATH` for a scanner, `none` for either. Shared by `till-agent print test --printer` and the
 * manager's settings form, so both accept exactly the same text.
 */

/** `label` names where the text came from (`--printer`, `printer`) so the message points at it. */
export function parsePrinterAddress(text: string, baudRate: number, label = 'printer'): PrinterConfig {
  const tcp = /^tcp:\/\/([^:/]+)(?::(\d{1,5}))?\/?$/.exec(text);
  if (tcp) {
    const port = Number(tcp[2] ?? '9100');
    if (port < 1 || port > 65535) throw new TillError('SCHEMA_INVALID', `${label} ${text}: the port must be 1 to 65535.`);
    return { kind: 'tcp', host: tcp[1] ?? '', port };
  }
  if (text.startsWith('serial:') && text.length > 'serial:'.length) return { kind: 'serial', path: text.slice('serial:'.length), baudRate };
  if (text.startsWith('usb:') && text.length > 'usb:'.length) return { kind: 'usb', devicePath: text.slice('usb:'.length) };
  throw new TillError('SCHEMA_INVALID', `${label} ${text} is not a printer address.`, {
    fix: 'Use tcp://HOST:PORT, serial:/dev/ttyUSB0 or usb:/dev/usb/lp0.',
  });
}

/** The address text of a configured printer, the inverse of `parsePrinterAddress` (baud rate aside). */
export function printerAddress(printer: PrinterConfig): string {
  switch (printer.kind) {
    case 'none':
      return 'none';
    case 'tcp':
      return `tcp://${printer.host}:${printer.port}`;
    case 'serial':
      return `serial:${printer.path}`;
    case 'usb':
      return `usb:${printer.devicePath}`;
  }
}

/** A serial scanner's path from `serial:PATH`; the caller keeps or defaults the baud rate and terminator. */
export function parseScannerAddress(text: string, label = 'scanner'): { kind: 'none' } | { kind: 'serial'; path: string } {
  if (text === 'none') return { kind: 'none' };
  if (text.startsWith('serial:') && text.length > 'serial:'.length) return { kind: 'serial', path: text.slice('serial:'.length) };
  throw new TillError('SCHEMA_INVALID', `${label} ${text} is not a scanner address.`, { fix: 'Use none or serial:/dev/ttyACM0 (a USB HID scanner is set in the config file).' });
}

/** The address text of a configured scanner, or undefined for kinds the short syntax cannot express (HID). */
export function scannerAddress(scanner: ScannerConfig): string | undefined {
  if (scanner.kind === 'none') return 'none';
  if (scanner.kind === 'serial') return `serial:${scanner.path}`;
  return undefined;
}
