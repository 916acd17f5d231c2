import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../main/core/clock';
import { createPrinterTransport } from '../../../native/printers/create-printer-transport';
import { decodeEscPos } from '../../../native/printers/escpos-decoder';
import { InMemoryPrintJobQueue, PrintSpoolWorker } from '../../../native/printers/print-spool';
import type { PrinterTransport } from '../../../native/printers/printer-transport';
import { renderReceiptPreview } from '../../../native/printers/render-receipt';
import { previewTextLines } from '../../../native/printers/receipt-preview';
import { SAMPLE_OPTIONS, SAMPLE_RECEIPT } from '../../unit/native/printers/sample-receipt';
import { TcpPrinterServer } from './printer-emulator';

/** Network printer (raw TCP, port 9100 semantics) as a loopback server that answers status requests. */
describe('TCP printer on loopback', () => {
  let server: TcpPrinterServer;
  let port: number;
  let transport: PrinterTransport;

  beforeEach(async () => {
    server = new TcpPrinterServer();
    port = await server.listen();
    transport = createPrinterTransport({ kind: 'tcp', host: '127.0.0.1', port }, { statusTimeoutMs: 2_000 });
  });

  afterEach(async () => {
    await transport.close();
    await server.close();
  });

  it('reads the status of a ready printer and of one out of paper with the cover open', async () => {
    await transport.open();
    expect(await transport.readStatus()).toMatchObject({ online: true, paper: 'ok', coverOpen: false });
    server.emulator.paper = 'out';
    server.emulator.coverOpen = true;
    expect(await transport.readStatus()).toMatchObject({ online: false, paper: 'out', coverOpen: true });
    expect(server.emulator.statusRequests).toBe(8);
  });

  it('reports an unreachable printer as DEVICE_DISCONNECTED', async () => {
    await server.close();
    await expect(transport.open()).rejects.toMatchObject({ code: 'DEVICE_DISCONNECTED' });
    server = new TcpPrinterServer(); // for afterEach
    await server.listen();
  });

  it('paper out in the middle of a receipt: the spool retries and the receipt prints once, complete, as COPY', async () => {
    let now = new Date('2026-03-14T12:00:00Z').getTime();
    const clock: Clock = { now: () => new Date(now) };
    const queue = new InMemoryPrintJobQueue(clock);
    const worker = new PrintSpoolWorker({ queue, transport, clock, layout: SAMPLE_OPTIONS, retry: { notReadyMs: 1_000, initialMs: 1_000, maxMs: 1_000 } });
    queue.enqueue({ id: 'sale-1', receipt: SAMPLE_RECEIPT, openDrawer: true });
    server.emulator.paperOutAfter = 700;

    expect(await worker.runOnce()).toMatchObject({ kind: 'failed', interrupted: true, reason: expect.stringContaining('out of paper') });
    now += 1_000;
    expect(await worker.runOnce()).toMatchObject({ kind: 'waiting' });
    server.emulator.loadPaper();
    now += 1_000;
    expect(await worker.runOnce()).toEqual({ kind: 'printed', jobId: 'sale-1', copy: true });
    now += 60_000;
    expect(await worker.runOnce()).toEqual({ kind: 'idle' });

    const [partial, complete, ...more] = server.emulator.receipts();
    expect(more).toEqual([]);
    expect(partial?.length).toBe(700);
    const printed = decodeEscPos(complete ?? new Uint8Array());
    expect(printed.text).toEqual(previewTextLines(renderReceiptPreview({ ...SAMPLE_RECEIPT, copy: true }, SAMPLE_OPTIONS)));
    expect(printed.events.map((e) => e.type)).toEqual(['initialize', 'code-page', 'feed', 'cut']);
    expect(queue.get('sale-1')).toMatchObject({ state: 'printed', printedCount: 1 });
  });

  it('reconnects after the printer dropped the connection', async () => {
    const clock: Clock = { now: () => new Date('2026-03-14T12:00:00Z') };
    const queue = new InMemoryPrintJobQueue(clock);
    const worker = new PrintSpoolWorker({ queue, transport, clock, layout: SAMPLE_OPTIONS });
    queue.enqueue({ id: 'a', receipt: SAMPLE_RECEIPT });
    expect(await worker.runOnce()).toMatchObject({ kind: 'printed' });
    const closed = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (!transport.isOpen) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    server.dropConnections();
    await closed;
    queue.enqueue({ id: 'b', receipt: { ...SAMPLE_RECEIPT, receiptId: 'T01-000124' } });
    expect(await worker.runOnce()).toEqual({ kind: 'printed', jobId: 'b', copy: false });
    expect(server.connections).toBe(2);
    const texts = server.emulator.receipts().map((r) => decodeEscPos(r).text.map((t) => t.trim()));
    expect(texts.map((t) => t.includes('T01-000124'))).toEqual([false, true]);
  });
});
