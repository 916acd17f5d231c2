import type { HidBinding, HidDeviceHandle, HidDeviceInfo } from './hid-binding';
import { encodeHidPosReports } from './hid-pos-report';

type FakeDevice = { info: HidDeviceInfo; handles: Set<FakeHandle> };
type FakeHandle = HidDeviceHandle & { data: (r: Uint8Array) => void; error: (e: Error) => void; closed: boolean };

/**
 * An in-memory HID bus with the same interface as node-hid's wrapper: plug and unplug devices, make them send
 * reports. Opening a path that is not plugged in throws as node-hid does ("could not open device").
 */
export class FakeHidBinding implements HidBinding {
  private readonly plugged = new Map<string, FakeDevice>();

  devices(): HidDeviceInfo[] {
    return [...this.plugged.values()].map((d) => d.info);
  }

  open(path: string): HidDeviceHandle {
    const device = this.plugged.get(path);
    if (device === undefined) throw new Error('could not open device');
    let onData: (r: Uint8Array) => void = () => undefined;
    let onError: (e: Error) => void = () => undefined;
    const handle: FakeHandle = {
      onData: (l) => void (onData = l),
      onError: (l) => void (onError = l),
      close: () => {
        handle.closed = true;
        device.handles.delete(handle);
      },
      data: (r) => onData(r),
      error: (e) => onError(e),
      closed: false,
    };
    device.handles.add(handle);
    return handle;
  }

  plug(info: Partial<HidDeviceInfo> & { path: string }): void {
    this.plugged.set(info.path, {
      info: { vendorId: 0x0c2e, productId: 0x0b87, usagePage: 0x8c, usage: 0x02, product: 'Fake HID POS scanner', ...info },
      handles: new Set(),
    });
  }

  unplug(path: string): void {
    const device = this.plugged.get(path);
    this.plugged.delete(path);
    for (const handle of device?.handles ?? []) handle.error(new Error('could not read from HID device'));
  }

  /** Sends raw input reports to every open handle of the device. */
  sendReport(path: string, report: Uint8Array): void {
    for (const handle of this.plugged.get(path)?.handles ?? []) handle.data(report);
  }

  /** Sends one code as HID POS reports, split as a scanner would. */
  scan(path: string, text: string, symbology?: string): void {
    for (const report of encodeHidPosReports(new TextEncoder().encode(text), symbology)) this.sendReport(path, report);
  }

  openHandles(path: string): number {
    return this.plugged.get(path)?.handles.size ?? 0;
  }
}
