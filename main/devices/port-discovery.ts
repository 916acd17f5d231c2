import fs from 'node:fs';
import path from 'node:path';

/** Device paths found on this machine, for the manager's settings choices (serial ports, USB printers). */
export type DevicePorts = {
  readonly serialPorts: readonly { readonly path: string; readonly label: string }[];
  readonly usbPrinters: readonly string[];
};

/**
 * The kernel's USB printer class devices (`/dev/usb/lp0`...), the paths a `usb:` printer is configured with. A
 * missing directory means none; nothing here opens a device.
 */
export function listUsbPrinters(dir = '/dev/usb'): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((name) => /^lp\d+$/.test(name))
      .sort((a, b) => Number(a.slice(2)) - Number(b.slice(2)))
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}

/** Serial ports (with their maker, where the OS knows it) and USB printers; an empty list when a driver is missing. */
export async function findDevicePorts(usbDir?: string): Promise<DevicePorts> {
  // Loaded here, not at import: serialport's native binding is not needed to answer the API.
  const { listSerialPorts } = await import('../../native/scanners');
  const serial = await listSerialPorts();
  return {
    serialPorts: serial.filter((p) => p.path !== '').map((p) => ({ path: p.path, label: p.manufacturer ? `${p.path} (${p.manufacturer})` : p.path })),
    usbPrinters: listUsbPrinters(usbDir),
  };
}
