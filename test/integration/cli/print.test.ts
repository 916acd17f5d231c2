import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DeviceManager } from '../../../main/devices/device-manager';
import { openDb } from '../../../main/store';
import { decodeEscPos } from '../../../native/printers/escpos-decoder';
import { previewTextLines } from '../../../native/printers/receipt-preview';
import { runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';
import { TcpPrinterServer } from '../printers/printer-emulator';

const STORE = { name: 'Kaffebrenneriet Ås', addressLines: ['Storgata 1', '1430 Ås'], orgNumber: '987 654 321' };
const STATUS_REQUEST_BYTES = [0x10, 0x04, 0x01, 0x10, 0x04, 0x02, 0x10, 0x04, 0x03, 0x10, 0x04, 0x04];

const servers: TcpPrinterServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** A loopback network printer that also keeps every byte it was sent, printed or not. */
async function printer(): Promise<{ server: TcpPrinterServer; port: number; received: number[] }> {
  const server = new TcpPrinterServer();
  servers.push(server);
  const received: number[] = [];
  const receive = server.emulator.receive.bind(server.emulator);
  server.emulator.receive = (chunk) => {
    received.push(...chunk);
    return receive(chunk);
  };
  return { server, port: await server.listen(), received };
}

function tillWith(printerConfig: unknown): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'till-agent.config.json'), JSON.stringify({ store: STORE, devices: { printer: printerConfig, printerWidth: 80 } }));
  return dir;
}

describe('till-agent print test', () => {
  it('reports the status, then prints the code page test, the store header, a QR code of the test id, and cuts', async () => {
    const { server, port } = await printer();
    const dir = tillWith({ kind: 'none' });
    const r = await runCli(['print', 'test', '--printer', `tcp://127.0.0.1:${port}`, '--data-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [statusLine, doneLine] = r.stdout.trim().split('\n');
    expect(statusLine).toBe(`network printer 127.0.0.1:${port} (tcp:127.0.0.1:${port}): Ready`);
    const id = /Printed test receipt (TEST-\d{8}T\d{6})/.exec(doneLine ?? '')?.[1];
    expect(id).toBeDefined();
    const receipts = server.emulator.receipts();
    expect(receipts).toHaveLength(1);
    const decoded = decodeEscPos(receipts[0] ?? new Uint8Array());
    const text = decoded.text.map((l) => l.trim());
    expect(text).toContain('ÆØÅ æøå ñ ¿ €');
    expect(text).toContain(STORE.name);
    expect(text).toContain('1430 Ås');
    expect(text).toContain(`[qr ${String(id)}]`);
    expect(decoded.events.filter((e) => e.type === 'cut')).toHaveLength(1);
    expect(decoded.events.find((e) => e.type === 'code-page')).toMatchObject({ page: 'cp858' });
    // Status before and after the print: four DLE EOT requests each.
    expect(server.emulator.statusRequests).toBe(8);
  });

  it('uses the configured printer when no --printer is given', async () => {
    const { server, port } = await printer();
    const dir = tillWith({ kind: 'tcp', host: '127.0.0.1', port });
    const r = await runCli(['print', 'test', '--data-dir', dir]);
    expect(r.code).toBe(0);
    expect(server.emulator.receipts()).toHaveLength(1);
  });

  it('refuses out of paper and with the cover open, and sends nothing but the status requests', async () => {
    for (const [fault, words] of [
      ['paper', /out of paper: load a new roll; nothing was printed/],
      ['cover', /cover is open: close it; nothing was printed/],
    ] as const) {
      const { server, port, received } = await printer();
      if (fault === 'paper') server.emulator.paper = 'out';
      else server.emulator.coverOpen = true;
      const dir = tillWith({ kind: 'tcp', host: '127.0.0.1', port });
      const r = await runCli(['print', 'test', '--data-dir', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(words);
      expect(received).toEqual(STATUS_REQUEST_BYTES);
    }
  });

  it('says so when no printer is configured, cannot be reached, or the address is wrong', async () => {
    const dir = tillWith({ kind: 'none' });
    const none = await runCli(['print', 'test', '--data-dir', dir]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No receipt printer is configured/);
    const { server, port } = await printer();
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const gone = await runCli(['print', 'test', '--printer', `tcp://127.0.0.1:${port}`, '--data-dir', dir]);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toMatch(/Cannot reach printer tcp:127\.0\.0\.1/);
    expect(gone.stderr).toMatch(/nothing was printed/);
    const bad = await runCli(['print', 'test', '--printer', 'lpt1', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--printer lpt1 is not a printer address/);
  });
});

describe('till-agent print preview', () => {
  it('writes the preview of a committed sale, line for line what the print spool prints for it', async () => {
    const { server, port } = await printer();
    const dir = tillWith({ kind: 'tcp', host: '127.0.0.1', port });
    fs.writeFileSync(
      path.join(dir, 'items.csv'),
      ['id,codes,name,groups,unit_price,vat_rate,unit,age_limit,eligible_for_discount', 'milk,7038010009457,Melk 1 l,dairy:Dairy,21.90,15,piece,,true'].join('\n'),
    );
    expect((await runCli(['catalog', 'import', path.join(dir, 'items.csv'), '--data-dir', dir])).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'sale.json'), JSON.stringify({ operator: 'anna', lines: [{ code: '7038010009457', quantity: 2 }], tenders: [{ kind: 'cash', amount: '50.00' }] }));
    const sold = await runCli(['sale', 'run', path.join(dir, 'sale.json'), '--open-shift', 'anna', '--json', '--data-dir', dir]);
    expect(sold.code).toBe(0);
    const { receiptId } = JSON.parse(sold.stdout) as { receiptId: string };

    const out = path.join(dir, 'preview.html');
    const written = await runCli(['print', 'preview', receiptId, '--out', out, '--data-dir', dir]);
    expect(written.code).toBe(0);
    expect(written.stdout).toBe('');
    const html = fs.readFileSync(out, 'utf8');
    const toStdout = await runCli(['print', 'preview', receiptId, '--data-dir', dir]);
    expect(toStdout.stdout).toBe(html);
    const preview = previewTextLines(html);
    expect(preview.map((l) => l.trim())).toEqual(expect.arrayContaining([STORE.name, `[qr ${receiptId}]`]));
    expect(preview.some((l) => l.startsWith('2 x Melk 1 l'))).toBe(true);
    expect(preview.some((l) => l.includes('KOPI'))).toBe(false);

    // The real print path: the device manager's spool prints the sale's queued job on the loopback printer.
    const printed = new Promise<void>((resolve) => {
      const receive = server.emulator.receive.bind(server.emulator);
      server.emulator.receive = (chunk) => {
        const answers = receive(chunk);
        // The emulator starts a new segment after each cut: a second segment means one whole receipt.
        if (server.emulator.segments.length > 1) resolve();
        return answers;
      };
    });
    const db = openDb(path.join(dir, 'till.sqlite'));
    const devices = new DeviceManager({ scanner: { kind: 'none' }, printer: { kind: 'tcp', host: '127.0.0.1', port }, printerWidth: 80, inStoreLayouts: [] }, { now: () => new Date() });
    try {
      await devices.startPrinting(db, { store: STORE, locale: 'nb-NO', currency: 'NOK', timeZone: 'Europe/Oslo' });
      await printed;
    } finally {
      await devices.stop();
      db.close();
    }
    expect(decodeEscPos(server.emulator.receipts()[0] ?? new Uint8Array()).text).toEqual(preview);

    const copy = await runCli(['print', 'preview', receiptId, '--copy', '--data-dir', dir]);
    expect(previewTextLines(copy.stdout).filter((l) => l.trim() === 'KOPI')).toHaveLength(2);
  });

  it('refuses an unknown receipt id and a till without a database', async () => {
    const empty = tempDir();
    const noDb = await runCli(['print', 'preview', 'x-1', '--data-dir', empty]);
    expect(noDb.code).toBe(1);
    expect(noDb.stderr).toMatch(/There is no till database/);
    await runCli(['sale', 'shift', 'open', '--operator', 'anna', '--data-dir', empty]);
    const unknown = await runCli(['print', 'preview', 'nope-000001', '--data-dir', empty]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/There is no sale nope-000001 on this till/);
  });

  it('--help lists the sub-commands and their options', async () => {
    const help = await runCli(['print', '--help']);
    expect(help.stdout).toMatch(/test/);
    expect(help.stdout).toMatch(/preview/);
    const test = await runCli(['print', 'test', '--help']);
    expect(test.stdout).toContain('--printer');
    expect(test.stdout).toContain('tcp://HOST:PORT');
    const preview = await runCli(['print', 'preview', '--help']);
    for (const o of ['<receipt-id>', '--out', '--copy']) expect(preview.stdout).toContain(o);
  });
});
