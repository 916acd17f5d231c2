import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeHidBinding } from '../../../../native/scanners/fake-hid-binding';
import { explainLoadFailure, loadNodeHid } from '../../../../native/scanners/hid-binding';
import { HidScanner } from '../../../../native/scanners/hid-scanner';
import type { RawScan, ScannerStatus } from '../../../../native/scanners/scanner-source';

const backoff = { initialMs: 100, maxMs: 400 };

describe('HidScanner with a fake HID bus', () => {
  let bus: FakeHidBinding;
  let scanner: HidScanner;
  let scans: RawScan[];
  let statuses: ScannerStatus[];

  beforeEach(() => {
    vi.useFakeTimers();
    bus = new FakeHidBinding();
    scanner = new HidScanner({ backoff, vendorId: 0x0c2e, loadBinding: () => Promise.resolve({ ok: true, binding: bus }) });
    scans = [];
    statuses = [];
    scanner.onDidScan((s) => scans.push(s));
    scanner.onDidChangeStatus((s) => statuses.push(s));
  });

  afterEach(async () => {
    await scanner.close();
    vi.useRealTimers();
  });

  it('reads scans with their symbology, each once', async () => {
    bus.plug({ path: '/dev/hidraw3' });
    await scanner.open();
    expect(scanner.status.state).toBe('connected');
    bus.scan('/dev/hidraw3', '4006381333931', ']E0');
    bus.scan('/dev/hidraw3', '96385074', ']E4');
    expect(scans).toEqual([
      { raw: '4006381333931', symbology: ']E0' },
      { raw: '96385074', symbology: ']E4' },
    ]);
  });

  it('ignores devices on other usage pages and other vendors', async () => {
    bus.plug({ path: '/dev/hidraw0', usagePage: 0x01, usage: 0x06 });
    bus.plug({ path: '/dev/hidraw1', vendorId: 0x05e0 });
    await scanner.open();
    expect(scanner.status).toMatchObject({ state: 'disconnected', reason: expect.stringContaining('No USB HID POS scanner found') });
    expect(bus.openHandles('/dev/hidraw0')).toBe(0);
  });

  it('goes disconnected on unplug and comes back when the device reappears', async () => {
    bus.plug({ path: '/dev/hidraw3' });
    await scanner.open();
    bus.unplug('/dev/hidraw3');
    expect(scanner.status).toMatchObject({ state: 'disconnected', reason: expect.stringContaining('unplugged') });
    await vi.advanceTimersByTimeAsync(100);
    expect(scanner.status.state).toBe('disconnected');
    bus.plug({ path: '/dev/hidraw4' });
    await vi.advanceTimersByTimeAsync(200);
    expect(scanner.status.state).toBe('connected');
    bus.scan('/dev/hidraw4', '123', ']E0');
    expect(scans).toEqual([{ raw: '123', symbology: ']E0' }]);
    expect(statuses.map((s) => s.state)).toEqual(['connected', 'disconnected', 'disconnected', 'connected']);
  });

  it('stops looking after close', async () => {
    await scanner.open();
    await scanner.close();
    bus.plug({ path: '/dev/hidraw3' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(bus.openHandles('/dev/hidraw3')).toBe(0);
    expect(scanner.status).toEqual({ state: 'disconnected', reason: 'Closed' });
  });

  it('says in words when node-hid cannot load, and does not throw', async () => {
    const broken = new HidScanner({
      loadBinding: () => loadNodeHid(() => Promise.reject(new Error('libusb-1.0.so.0: cannot open shared object file'))),
    });
    await expect(broken.open()).resolves.toBeUndefined();
    expect(broken.status).toEqual({
      state: 'unavailable',
      reason: 'USB scanners unavailable: libusb-1.0 is not installed (apt-get install libusb-1.0-0)',
    });
  });
});

describe('loading node-hid', () => {
  it('explains the usual failures', () => {
    expect(explainLoadFailure(new Error("Cannot find module 'node-hid'"))).toContain('not installed');
    expect(explainLoadFailure(new Error('libudev.so.1: cannot open'))).toContain('libudev');
    expect(explainLoadFailure('EACCES')).toContain('permission');
  });

  it('loads the installed node-hid or reports why not, without throwing', async () => {
    const load = await loadNodeHid();
    if (load.ok) expect(Array.isArray(load.binding.devices())).toBe(true);
    else expect(load.reason).toMatch(/^USB scanners unavailable: /);
  });

  it('refuses a module without the expected API', async () => {
    expect(await loadNodeHid(() => Promise.resolve({ default: {} }))).toMatchObject({ ok: false });
  });
});
