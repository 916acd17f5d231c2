import { afterEach, describe, expect, it } from 'vitest';
import { TillError } from '../../../main/core/errors';
import { DeviceManager } from '../../../main/devices/device-manager';
import type { ScanEvent } from '../../../main/devices/scanners/scan-stream';
import { PtyPair } from '../scanners/pty-pair';

const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('DeviceManager', () => {
  it('reports a till without devices as not configured', () => {
    const dm = new DeviceManager({ scanner: { kind: 'none' }, printer: { kind: 'none' }, inStoreLayouts: [] }, clock);
    expect(dm.status()).toEqual({
      scanner: { id: 'none', state: 'not-configured', detail: expect.stringMatching(/keyboard-wedge/) },
      printer: { id: 'none', state: 'not-configured', detail: 'No receipt printer configured' },
    });
  });

  it('turns bytes on a serial scanner into parsed scans and follows its status', async () => {
    const pty = new PtyPair('dm');
    await pty.start();
    cleanup.push(() => pty.stop());
    const dm = new DeviceManager({ scanner: { kind: 'serial', path: pty.device, baudRate: 9600, terminator: 'CR' }, printer: { kind: 'none' }, inStoreLayouts: [] }, clock);
    cleanup.push(() => dm.stop());
    const changes: string[] = [];
    dm.onDidChangeStatus(() => changes.push(dm.status().scanner.state));
    await dm.start();
    await expect.poll(() => dm.status().scanner.state).toBe('connected');
    const scanned = new Promise<ScanEvent>((resolve) => dm.onDidScan(resolve));
    pty.write('7038010009457\r');
    const event = await scanned;
    expect(event.raw).toBe('7038010009457');
    expect(event.at.toISOString()).toBe('2026-11-23T10:00:00.000Z');
    expect(event.result).toMatchObject({ ok: true, kind: 'gtin' });
    await pty.stop();
    await expect.poll(() => dm.status().scanner.state, { timeout: 5000 }).toBe('disconnected');
    expect(changes).toContain('disconnected');
  });

  it('refuses an in-store layout that cannot work, naming it', () => {
    const bad = { name: 'weights', prefix: '23', kind: 'weight' as const, itemCode: { offset: 2, length: 5 }, value: { offset: 5, length: 5 }, decimals: 3 };
    try {
      new DeviceManager({ scanner: { kind: 'none' }, printer: { kind: 'none' }, inStoreLayouts: [bad] }, clock);
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(TillError);
      expect((err as TillError).message).toMatch(/devices\.inStoreLayouts\.0 \("weights"\): .*overlaps/);
    }
  });
});
