import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPrinterTransport } from '../../../native/printers/create-printer-transport';
import { decodeEscPos } from '../../../native/printers/escpos-decoder';
import type { PrinterTransport } from '../../../native/printers/printer-transport';
import { previewTextLines } from '../../../native/printers/receipt-preview';
import { renderReceiptBytes, renderReceiptPreview } from '../../../native/printers/render-receipt';
import { SAMPLE_OPTIONS, SAMPLE_RECEIPT } from '../../unit/native/printers/sample-receipt';
import { PtyPrinter } from './printer-emulator';

/**
 * Serial and USB device-file printers against a real pseudo-terminal pair (socat): the receipt goes out of
 * the transport, is captured on the other end and decoded back into the preview's text.
 */
describe.each([
  { name: 'serial', config: (device: string) => ({ kind: 'serial', path: device, baudRate: 38400 }) as const },
  { name: 'usb device file', config: (device: string) => ({ kind: 'usb', devicePath: device }) as const },
])('$name printer over a pty', ({ config }) => {
  let pty: PtyPrinter;
  let transport: PrinterTransport;

  beforeEach(async () => {
    pty = new PtyPrinter();
    await pty.start();
    transport = createPrinterTransport(config(pty.device), { statusTimeoutMs: 2_000 });
  });

  afterEach(async () => {
    await transport.close();
    await pty.dispose();
  });

  it('prints a receipt whose decoded text equals the preview, line for line', async () => {
    await transport.open();
    const bytes = renderReceiptBytes(SAMPLE_RECEIPT, SAMPLE_OPTIONS, { openDrawer: true });
    await transport.write(bytes);
    // A status round trip after the receipt proves every receipt byte has reached the printer end.
    expect(await transport.readStatus()).toMatchObject({ online: true, paper: 'ok' });
    const [printed, ...rest] = pty.emulator.receipts();
    expect(rest).toEqual([]);
    expect(Buffer.from(printed ?? []).equals(Buffer.from(bytes))).toBe(true);
    const decoded = decodeEscPos(printed ?? new Uint8Array());
    expect(decoded.text).toEqual(previewTextLines(renderReceiptPreview(SAMPLE_RECEIPT, SAMPLE_OPTIONS)));
    expect(decoded.events.filter((e) => e.type === 'pulse')).toHaveLength(1);
  });

  it('reads paper near end and paper out', async () => {
    await transport.open();
    pty.emulator.paper = 'near-end';
    expect(await transport.readStatus()).toMatchObject({ paper: 'near-end', online: true });
    pty.emulator.paper = 'out';
    expect(await transport.readStatus()).toMatchObject({ paper: 'out', online: false });
  });

  it('fails to open a missing device with DEVICE_DISCONNECTED', async () => {
    const missing = createPrinterTransport(config(`${pty.dir}/nothing-here`));
    await expect(missing.open()).rejects.toMatchObject({ code: 'DEVICE_DISCONNECTED' });
  });
});

describe('a printer that never answers status', () => {
  let pty: PtyPrinter;

  beforeEach(async () => {
    pty = new PtyPrinter();
    await pty.start();
  });

  afterEach(async () => {
    await pty.dispose();
  });

  it('reports the status as unknown instead of hanging', async () => {
    // Stand in for a one-way printer: swallow the requests without answering.
    pty.emulator.receive = () => new Uint8Array();
    const transport = createPrinterTransport({ kind: 'usb', devicePath: pty.device }, { statusTimeoutMs: 50 });
    await transport.open();
    expect(await transport.readStatus()).toBeUndefined();
    await transport.close();
  });
});
