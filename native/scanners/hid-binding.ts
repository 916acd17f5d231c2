/**
 * The slice of node-hid the HID scanner uses, as an interface, so a fake binding can stand in for a USB
 * device in tests. node-hid itself is loaded lazily: it is an optional dependency with a native part that
 * needs libusb / hidraw support, and a till without USB scanners must start without it.
 */

export type HidDeviceInfo = {
  readonly path: string | undefined;
  readonly vendorId: number;
  readonly productId: number;
  readonly usagePage: number | undefined;
  readonly usage: number | undefined;
  readonly product: string | undefined;
};

export interface HidDeviceHandle {
  onData(listener: (report: Uint8Array) => void): void;
  onError(listener: (error: Error) => void): void;
  close(): void;
}

export interface HidBinding {
  devices(): HidDeviceInfo[];
  open(path: string): HidDeviceHandle;
}

export type HidBindingLoad = { readonly ok: true; readonly binding: HidBinding } | { readonly ok: false; readonly reason: string };

type NodeHidDevice = {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
  product?: string | undefined;
};
type NodeHidHandle = {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): void;
};
type NodeHidModule = {
  devices(): NodeHidDevice[];
  HID: new (path: string) => NodeHidHandle;
};

/** Why node-hid could not be loaded, in words a store manager can act on. */
export function explainLoadFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/libusb/i.test(message)) return 'USB scanners unavailable: libusb-1.0 is not installed (apt-get install libusb-1.0-0)';
  if (/libudev/i.test(message)) return 'USB scanners unavailable: libudev is not installed (apt-get install libudev1)';
  if (/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/i.test(message)) {
    return 'USB scanners unavailable: the node-hid module is not installed with this build';
  }
  if (/EACCES|permission/i.test(message)) {
    return 'USB scanners unavailable: no permission to USB devices (add a udev rule for the scanner)';
  }
  return `USB scanners unavailable: ${message}`;
}

/** Wraps node-hid in the binding interface. */
export function wrapNodeHid(hid: NodeHidModule): HidBinding {
  return {
    devices: () =>
      hid.devices().map((d) => ({
        path: d.path,
        vendorId: d.vendorId,
        productId: d.productId,
        usagePage: d.usagePage,
        usage: d.usage,
        product: d.product,
      })),
    open: (path) => {
      const device = new hid.HID(path);
      return {
        onData: (listener) => void device.on('data', (data) => listener(new Uint8Array(data))),
        onError: (listener) => void device.on('error', listener),
        close: () => device.close(),
      };
    },
  };
}

/**
 * Loads node-hid with a dynamic import inside try/catch, so a missing module or system library becomes a
 * status and never an exception. `importer` exists for tests.
 */
export async function loadNodeHid(importer: () => Promise<unknown> = () => import('node-hid')): Promise<HidBindingLoad> {
  try {
    const loaded = (await importer()) as Partial<NodeHidModule> & { default?: Partial<NodeHidModule> };
    const hid = typeof loaded.devices === 'function' ? loaded : loaded.default;
    if (hid === undefined || typeof hid.devices !== 'function' || typeof hid.HID !== 'function') {
      return { ok: false, reason: 'USB scanners unavailable: node-hid did not load as expected' };
    }
    const binding = wrapNodeHid(hid as NodeHidModule);
    // Enumerating once proves the native part works (it is where a missing libusb shows up on some systems).
    binding.devices();
    return { ok: true, binding };
  } catch (error) {
    return { ok: false, reason: explainLoadFailure(error) };
  }
}
