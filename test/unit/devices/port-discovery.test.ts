import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findDevicePorts, listUsbPrinters } from '../../../main/devices/port-discovery';
import { addressOf, addressParts } from '../../../renderer/manager/device-choices';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("the settings' device choices", () => {
  it('lists the USB printer class devices in number order, and nothing else of the directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-usb-'));
    dirs.push(dir);
    for (const name of ['lp10', 'lp2', 'lp0', 'hiddev0', 'lpx']) fs.writeFileSync(path.join(dir, name), '');
    expect(listUsbPrinters(dir)).toEqual(['lp0', 'lp2', 'lp10'].map((n) => path.join(dir, n)));
    expect(listUsbPrinters(path.join(dir, 'missing'))).toEqual([]);
    // The serial ports come from serialport's own listing; whatever this machine has, each has a path and a label.
    const ports = await findDevicePorts(dir);
    expect(ports.usbPrinters).toHaveLength(3);
    for (const p of ports.serialPorts) expect(p.label.startsWith(p.path)).toBe(true);
  });

  it('splits an address into the connection and its host or path, and joins them back', () => {
    for (const address of ['none', 'tcp://10.0.0.5:9100', 'serial:/dev/ttyUSB0', 'usb:/dev/usb/lp0']) expect(addressOf(addressParts(address))).toBe(address);
    expect(addressParts('tcp://printer.local:9101')).toEqual({ kind: 'tcp', detail: 'printer.local:9101' });
    expect(addressOf({ kind: 'serial', detail: ' /dev/ttyACM0 ' })).toBe('serial:/dev/ttyACM0');
  });
});
