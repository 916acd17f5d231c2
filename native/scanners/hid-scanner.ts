import { decodeFrame } from './framing';
import { loadNodeHid, type HidBinding, type HidBindingLoad, type HidDeviceHandle, type HidDeviceInfo } from './hid-binding';
import { HID_POS_USAGE_PAGE, HidPosAssembler, parseHidPosReport } from './hid-pos-report';
import { backoffDelay, DEFAULT_BACKOFF, ScannerBase, type Backoff } from './scanner-source';

export type HidScannerOptions = {
  readonly vendorId?: number;
  readonly productId?: number;
  readonly backoff?: Backoff;
  /** Provides the binding; defaults to loading node-hid lazily. */
  readonly loadBinding?: () => Promise<HidBindingLoad>;
};

const hex = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

/** A HID POS scanner (usage page 0x8C). Finds the device, reads scanned-data reports, and re-finds it after an unplug. */
export class HidScanner extends ScannerBase {
  readonly id: string;
  private readonly assembler = new HidPosAssembler();
  private readonly backoff: Backoff;
  private binding: HidBinding | undefined;
  private device: HidDeviceHandle | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private attempt = 0;
  private wanted = false;

  constructor(private readonly options: HidScannerOptions = {}) {
    super();
    const ids = [options.vendorId, options.productId].map((v) => (v === undefined ? '*' : hex(v)));
    this.id = `hid:${ids.join(':')}`;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  async open(): Promise<void> {
    if (this.wanted) return;
    this.wanted = true;
    this.attempt = 0;
    if (this.binding === undefined) {
      const load = await (this.options.loadBinding ?? loadNodeHid)();
      if (!load.ok) {
        // Without the library nothing will change until the till is fixed and restarted: no retries.
        this.statusCell.set({ state: 'unavailable', reason: load.reason });
        return;
      }
      this.binding = load.binding;
    }
    this.tryOpen();
  }

  close(): Promise<void> {
    this.wanted = false;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.release();
    if (this.statusCell.value.state !== 'unavailable') this.statusCell.set({ state: 'disconnected', reason: 'Closed' });
    return Promise.resolve();
  }

  /** HID POS scanners among the devices, narrowed by vendor and product when configured. */
  private findDevice(devices: readonly HidDeviceInfo[]): HidDeviceInfo | undefined {
    return devices.find(
      (d) =>
        d.usagePage === HID_POS_USAGE_PAGE &&
        d.path !== undefined &&
        (this.options.vendorId === undefined || d.vendorId === this.options.vendorId) &&
        (this.options.productId === undefined || d.productId === this.options.productId),
    );
  }

  private tryOpen(): void {
    this.retryTimer = undefined;
    const binding = this.binding;
    if (!this.wanted || binding === undefined) return;
    let info: HidDeviceInfo | undefined;
    try {
      info = this.findDevice(binding.devices());
    } catch (error) {
      this.fail(`Cannot list USB devices: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (info === undefined) {
      this.fail('No USB HID POS scanner found: plug it in, or set it to "USB HID POS" mode; the till keeps looking');
      return;
    }
    try {
      const device = binding.open(info.path as string);
      this.device = device;
      device.onData((report) => this.onReport(device, report));
      device.onError(() => this.onLost(device));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const permission = /permission|EACCES|could not open/i.test(message);
      this.fail(permission ? `No permission to open the USB scanner ${hex(info.vendorId)}:${hex(info.productId)}: add a udev rule for it` : `Cannot open the USB scanner: ${message}`);
      return;
    }
    this.attempt = 0;
    const name = info.product ?? 'USB scanner';
    this.statusCell.set({ state: 'connected', detail: `${name} (${hex(info.vendorId)}:${hex(info.productId)})` });
  }

  private onReport(device: HidDeviceHandle, bytes: Uint8Array): void {
    if (device !== this.device) return;
    const report = parseHidPosReport(bytes);
    // Other reports (status, settings) share the interface; they are not scans.
    if ('error' in report) return;
    const whole = this.assembler.push(report);
    if (whole === undefined || whole.data.length === 0) return;
    this.scans.fire({ raw: decodeFrame(whole.data), symbology: whole.symbology });
  }

  private onLost(device: HidDeviceHandle): void {
    if (device !== this.device) return;
    this.release();
    if (this.wanted) this.fail('USB scanner was unplugged; the till keeps looking');
  }

  private release(): void {
    const device = this.device;
    this.device = undefined;
    this.assembler.reset();
    try {
      device?.close();
    } catch {
      // Closing an unplugged device may fail; it is gone either way.
    }
  }

  private fail(reason: string): void {
    this.statusCell.set({ state: 'disconnected', reason });
    if (!this.wanted || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => this.tryOpen(), backoffDelay(this.backoff, this.attempt++));
  }
}
