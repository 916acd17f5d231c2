import { assertNever, TillError } from '../../main/core/errors';
import type { PrinterStatus } from './printer-status';
import type { PrinterTransport, PrinterTransportConfig, TransportTimings } from './printer-transport';
import { SerialPrinterTransport } from './serial-transport';
import { TcpPrinterTransport } from './tcp-transport';
import { UsbPrinterTransport } from './usb-transport';

/** The transport for "no printer configured": every call says so, and nothing crashes. */
export class NoPrinterTransport implements PrinterTransport {
  readonly id = 'none';
  readonly isOpen = false;

  private refuse(): Promise<never> {
    return Promise.reject(new TillError('DEVICE_UNAVAILABLE', 'No receipt printer is configured', { fix: 'Set devices.printer in the configuration' }));
  }

  open(): Promise<void> {
    return this.refuse();
  }

  write(): Promise<void> {
    return this.refuse();
  }

  readStatus(): Promise<PrinterStatus | undefined> {
    return this.refuse();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Builds the transport for a configuration; it does not open it. */
export function createPrinterTransport(config: PrinterTransportConfig, timings: TransportTimings = {}): PrinterTransport {
  switch (config.kind) {
    case 'serial':
      return new SerialPrinterTransport({ path: config.path, baudRate: config.baudRate, ...timings });
    case 'tcp':
      return new TcpPrinterTransport({ host: config.host, port: config.port, ...timings });
    case 'usb':
      return new UsbPrinterTransport({ devicePath: config.devicePath, ...timings });
    case 'none':
      return new NoPrinterTransport();
    default:
      return assertNever(config);
  }
}
