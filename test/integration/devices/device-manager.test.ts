import { afterEach, describe, expect, it } from 'vitest';
import { TillError } from '../../../main/core/errors';
import { DeviceManager } from '../../../main/devices/device-manager';
import type { ScanEvent } from '../../../main/devices/scanners/scan-stream';
import { minor } from '../../../main/core/money';
import { commitSale } from '../../../main/store/ledger';
import { getPrintJob } from '../../../main/store/print-jobs';
import { decodeEscPos } from '../../../native/printers';
import { NOW, openTill, sampleReceipt, TILL } from '../ledger/fixtures';
import { TcpPrinterServer } from '../printers/printer-emulator';
import { PtyPair } from '../scanners/pty-pair';

const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('DeviceManager', () => {
  it('reports a till without devices as not configured', () => {
    const dm = new DeviceManager({ scanner: { kind: 'none' }, printer: { kind: 'none' }, printerWidth: 80, inStoreLayouts: [] }, clock);
    expect(dm.status()).toEqual({
      scanner: { id: 'none', state: 'not-configured', detail: expect.stringMatching(/keyboard-wedge/), reason: 'device.no-scanner' },
      printer: { id: 'none', state: 'not-configured', detail: 'No receipt printer configured', reason: 'device.no-printer' },
    });
  });

  it('turns bytes on a serial scanner into parsed scans and follows its status', async () => {
    const pty = new PtyPair('dm');
    await pty.start();
    cleanup.push(() => pty.stop());
    const dm = new DeviceManager({ scanner: { kind: 'serial', path: pty.device, baudRate: 9600, terminator: 'CR' }, printer: { kind: 'none' }, printerWidth: 80, inStoreLayouts: [] }, clock);
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
      new DeviceManager({ scanner: { kind: 'none' }, printer: { kind: 'none' }, printerWidth: 80, inStoreLayouts: [bad] }, clock);
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(TillError);
      expect((err as TillError).message).toMatch(/devices\.inStoreLayouts\.0 \("weights"\): .*overlaps/);
    }
  });
});

describe('DeviceManager printing', () => {
  it('prints a committed sale on a network printer, with its drawer kick, and reports the printer ready', async () => {
    const printer = new TcpPrinterServer();
    const port = await printer.listen();
    cleanup.push(() => printer.close());
    const { db } = openTill();
    cleanup.push(() => {
      db.close();
      return Promise.resolve();
    });
    const dm = new DeviceManager({ scanner: { kind: 'none' }, printer: { kind: 'tcp', host: '127.0.0.1', port }, printerWidth: 80, inStoreLayouts: [] }, clock);
    cleanup.push(() => dm.stop());
    const sale = commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(10_000) }], ruleSetVersion: 'v1' }, NOW);
    await dm.startPrinting(db, { store: { name: 'Butikken', addressLines: ['Storgata 1'] }, locale: 'nb-NO', currency: 'NOK', timeZone: 'Europe/Oslo' });
    dm.wakePrinter();
    await expect.poll(() => printer.emulator.receipts().length, { timeout: 10_000 }).toBe(1);
    const [bytes] = printer.emulator.receipts();
    const decoded = decodeEscPos(bytes ?? new Uint8Array());
    const text = decoded.lines.map((l) => l.text).join('\n');
    expect(text).toContain('Butikken');
    expect(text).toContain(sale.entry.receiptId);
    expect(text).toContain('Milk 1 l');
    expect(text).toMatch(/Kontant/);
    expect(decoded.events.some((e) => e.type === 'pulse')).toBe(true);
    // The spool checks the status again after writing, then records the job printed.
    await expect.poll(() => getPrintJob(db, sale.printJobId)?.state).toBe('printed');
    expect(dm.status().printer).toMatchObject({ state: 'connected', detail: 'Ready', reason: 'device.ready' });
  });

  it('says so when the printer is out of paper', async () => {
    const printer = new TcpPrinterServer();
    printer.emulator.paper = 'out';
    const port = await printer.listen();
    cleanup.push(() => printer.close());
    const { db } = openTill();
    cleanup.push(() => {
      db.close();
      return Promise.resolve();
    });
    const dm = new DeviceManager({ scanner: { kind: 'none' }, printer: { kind: 'tcp', host: '127.0.0.1', port }, printerWidth: 58, inStoreLayouts: [] }, clock);
    cleanup.push(() => dm.stop());
    await dm.startPrinting(db, { store: { name: 'Butikken', addressLines: [] }, locale: 'en-GB', currency: 'NOK', timeZone: 'Europe/Oslo' });
    expect(dm.status().printer).toMatchObject({ state: 'unavailable', detail: expect.stringMatching(/out of paper/), reason: 'device.paper-out' });
  });
});
