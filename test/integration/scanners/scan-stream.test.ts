import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../main/core/clock';
import { ScanStream, type ScanEvent, type ScanStatusEvent } from '../../../main/devices/scanners/scan-stream';
import { EXAMPLE_LAYOUTS } from '../../../native/barcode';
import { FakeHidBinding } from '../../../native/scanners/fake-hid-binding';
import { FakeScanner } from '../../../native/scanners/fake-scanner';
import { HidScanner } from '../../../native/scanners/hid-scanner';
import { SerialScanner } from '../../../native/scanners/serial-scanner';
import { nextEvent } from './events';
import { PtyPair } from './pty-pair';

const clock = fixedClock('2026-11-23T10:00:00Z');

describe('ScanStream', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    cleanups.length = 0;
  });

  it('merges a serial pty scanner, a HID scanner and a fake into one stream of parsed scans', async () => {
    const stream = new ScanStream({ clock, parse: { inStoreLayouts: [EXAMPLE_LAYOUTS.weightGrams] } });
    cleanups.push(() => stream.dispose());

    const pty = new PtyPair('stream');
    await pty.start();
    const serial = new SerialScanner({ path: pty.device, baudRate: 9600, terminator: 'CR' });
    cleanups.push(() => pty.dispose(), () => serial.close());

    const bus = new FakeHidBinding();
    bus.plug({ path: '/dev/hidraw7' });
    const hid = new HidScanner({ loadBinding: () => Promise.resolve({ ok: true, binding: bus }) });
    cleanups.push(() => hid.close());

    const fake = new FakeScanner('fake:kiosk');
    cleanups.push(() => fake.reset());

    for (const source of [serial, hid, fake]) stream.add(source);
    await Promise.all([serial.open(), hid.open(), fake.open()]);

    const events: ScanEvent[] = [];
    stream.onDidScan((e) => events.push(e));

    const fromSerial = nextEvent<ScanEvent>((l) => stream.onDidScan(l), (e) => e.source === serial.id);
    pty.write(']E04006381333931\r');
    await fromSerial;
    bus.scan('/dev/hidraw7', '0109506000134352' + '17271231', ']d2');
    fake.emit('2312345012340');

    expect(events.map((e) => e.source)).toEqual([serial.id, hid.id, 'fake:kiosk']);
    expect(events.every((e) => e.at.toISOString() === '2026-11-23T10:00:00.000Z')).toBe(true);

    const [ean, gs1, weight] = events;
    expect(ean).toMatchObject({ raw: ']E04006381333931', symbology: ']E0', result: { ok: true, kind: 'gtin', gtin14: '04006381333931' } });
    expect(gs1).toMatchObject({ raw: '010950600013435217271231', symbology: ']d2', result: { ok: true, kind: 'gs1', gtin14: '09506000134352' } });
    expect(gs1?.result.ok && gs1.result.kind === 'gs1' && gs1.result.values.expiry).toEqual({ year: 2027, month: 12, day: 31 });
    expect(weight).toMatchObject({ symbology: undefined, result: { ok: true, kind: 'in-store-weight', weightGrams: 1234 } });
  });

  it('uses the clock year for GS1 dates', () => {
    const stream = new ScanStream({ clock: fixedClock('2070-01-01T00:00:00Z') });
    const event = stream.push('wedge', { raw: ']C10109506000134352' + '17191231', symbology: undefined });
    expect(event.result.ok && event.result.kind === 'gs1' && event.result.values.expiry).toEqual({ year: 2119, month: 12, day: 31 });
  });

  it('passes bad codes on as errors with the cashier message, never dropping them', () => {
    const stream = new ScanStream({ clock });
    const events: ScanEvent[] = [];
    stream.onDidScan((e) => events.push(e));
    stream.push('wedge', { raw: '4006381333932', symbology: undefined });
    expect(events).toHaveLength(1);
    expect(events[0]?.result).toMatchObject({ ok: false, code: 'check-digit', message: 'Check digit wrong: scan again or key in the code' });
  });

  it('forwards status changes per source, reports all statuses, and stops after remove', async () => {
    const stream = new ScanStream({ clock });
    const a = new FakeScanner('fake:a');
    const b = new FakeScanner('fake:b');
    const statuses: ScanStatusEvent[] = [];
    stream.onDidChangeStatus((e) => statuses.push(e));
    stream.add(a);
    const handle = stream.add(b);
    await a.open();
    await b.open();
    expect(stream.statuses().map((s) => [s.source, s.status.state])).toEqual([
      ['fake:a', 'connected'],
      ['fake:b', 'connected'],
    ]);
    handle.dispose();
    const events: ScanEvent[] = [];
    stream.onDidScan((e) => events.push(e));
    b.emit('96385074');
    a.emit('96385074');
    expect(events.map((e) => e.source)).toEqual(['fake:a']);
    a.setStatus({ state: 'disconnected', reason: 'unplugged' });
    expect(statuses.at(-1)).toEqual({ source: 'fake:a', status: { state: 'disconnected', reason: 'unplugged' } });
    expect(stream.statuses()).toHaveLength(1);
  });
});
