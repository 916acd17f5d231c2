import { describe, expect, it } from 'vitest';
import { parsePrinterAddress, parseScannerAddress, printerAddress, scannerAddress } from '../../../main/config';
import { PrinterConfigSchema } from '../../../main/config/schema';

describe('device addresses shared by the CLI and the manager settings', () => {
  it('parses each printer address into a config the schema accepts, and prints it back the same', () => {
    const cases: [string, unknown][] = [
      ['tcp://10.0.0.5:9100', { kind: 'tcp', host: '10.0.0.5', port: 9100 }],
      ['tcp://printer.local', { kind: 'tcp', host: 'printer.local', port: 9100 }],
      ['serial:/dev/ttyUSB0', { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 19200 }],
      ['usb:/dev/usb/lp0', { kind: 'usb', devicePath: '/dev/usb/lp0' }],
    ];
    for (const [text, expected] of cases) {
      const parsed = parsePrinterAddress(text, 19200);
      expect(parsed).toEqual(expected);
      expect(PrinterConfigSchema.parse(parsed)).toEqual(expected);
    }
    expect(printerAddress(parsePrinterAddress('tcp://10.0.0.5:9100', 1))).toBe('tcp://10.0.0.5:9100');
    expect(printerAddress(parsePrinterAddress('serial:COM3', 1))).toBe('serial:COM3');
    expect(printerAddress(parsePrinterAddress('usb:/dev/usb/lp1', 1))).toBe('usb:/dev/usb/lp1');
    expect(printerAddress({ kind: 'none' })).toBe('none');
  });

  it('names where a bad address came from', () => {
    expect(() => parsePrinterAddress('lpt1', 38400, '--printer')).toThrow('--printer lpt1 is not a printer address.');
    expect(() => parsePrinterAddress('tcp://h:0', 38400)).toThrow('printer tcp://h:0: the port must be 1 to 65535.');
    expect(() => parsePrinterAddress('usb:', 38400)).toThrow('printer usb: is not a printer address.');
    expect(() => parseScannerAddress('usb:/dev/hidraw0')).toThrow('scanner usb:/dev/hidraw0 is not a scanner address.');
  });

  it('expresses none and serial scanners, and says when a scanner needs the config file (HID)', () => {
    expect(parseScannerAddress('none')).toEqual({ kind: 'none' });
    expect(parseScannerAddress('serial:/dev/ttyACM0')).toEqual({ kind: 'serial', path: '/dev/ttyACM0' });
    expect(scannerAddress({ kind: 'serial', path: '/dev/ttyACM0', baudRate: 9600, terminator: 'CR' })).toBe('serial:/dev/ttyACM0');
    expect(scannerAddress({ kind: 'none' })).toBe('none');
    expect(scannerAddress({ kind: 'hid', vendorId: 0x05e0 })).toBeUndefined();
  });
});
