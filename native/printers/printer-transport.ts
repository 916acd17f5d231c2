import type { DrawerPolarity, PrinterStatus } from './printer-status';

/**
 * How bytes reach a receipt printer and how its status comes back, in the style of serialport's binding
 * interface: one implementation per connection kind and a fake with the same behaviour. Consumers (the print
 * spool) receive a transport; they never build one (see `createPrinterTransport`).
 *
 * Errors are `TillError`s: `DEVICE_DISCONNECTED` when the printer cannot be reached or went away (worth
 * retrying), `DEVICE_UNAVAILABLE` when it can never work as configured (no permission, nothing configured).
 */
export interface PrinterTransport {
  /** Stable name for logs and status, e.g. `tcp:192.168.1.50:9100`. */
  readonly id: string;
  readonly isOpen: boolean;
  /** Connects; a no-op when already open. */
  open(): Promise<void>;
  /** Resolves once the bytes have left this machine (drained to the port, socket or device). */
  write(bytes: Uint8Array): Promise<void>;
  /** The printer's real-time status, or undefined when it did not answer in time (status unknown). */
  readStatus(): Promise<PrinterStatus | undefined>;
  /** Releases the port, socket or file; safe to call when closed. */
  close(): Promise<void>;
}

/** Printer connection settings; the same shape as `devices.printer` in the agent configuration. */
export type PrinterTransportConfig =
  | { readonly kind: 'serial'; readonly path: string; readonly baudRate: number }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'usb'; readonly devicePath: string }
  | { readonly kind: 'none' };

/** Tuning shared by the real transports; the defaults suit a till on a LAN or a local cable. */
export type TransportTimings = {
  /** How long to wait for each status answer byte. */
  readonly statusTimeoutMs?: number;
  /** How long a TCP connect or a blocked write may take before the printer counts as unreachable. */
  readonly ioTimeoutMs?: number;
  readonly drawerPolarity?: DrawerPolarity;
};

export const DEFAULT_STATUS_TIMEOUT_MS = 500;
export const DEFAULT_IO_TIMEOUT_MS = 5_000;
