import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';
import { TcpPrinterServer } from '../printers/printer-emulator';
import { PtyPair } from '../scanners/pty-pair';

type Report = {
  serialPorts: { path: string }[];
  hid: { libusb: { present: boolean; detail: string }; nodeHid: { loaded: boolean; detail: string } };
  scanner: { configured: string; state: string; detail: string };
  printer: { configured: string; state: string; detail: string };
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function tillWith(devices: unknown): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'till-agent.config.json'), JSON.stringify({ devices }));
  return dir;
}

async function devicesJson(dir: string): Promise<{ code: number | null; report: Report; stderr: string }> {
  const r = await runCli(['devices', '--json', '--data-dir', dir]);
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

describe('till-agent devices', () => {
  it('shows the configured pty scanner and loopback printer as working, and releases both', async () => {
    const pair = new PtyPair('cli-devices');
    cleanups.push(() => pair.dispose());
    await pair.start();
    const printer = new TcpPrinterServer();
    cleanups.push(() => printer.close());
    const port = await printer.listen();
    printer.emulator.paper = 'near-end';
    const dir = tillWith({ scanner: { kind: 'serial', path: pair.device, baudRate: 19200, terminator: 'CR' }, printer: { kind: 'tcp', host: '127.0.0.1', port } });

    const first = await devicesJson(dir);
    expect(first.code).toBe(0);
    expect(first.report.scanner).toEqual({ configured: `serial scanner ${pair.device} at 19200 baud, terminator CR`, state: 'ok', detail: `${pair.device} at 19200 baud` });
    expect(first.report.printer).toEqual({ configured: `network printer 127.0.0.1:${port}`, state: 'ok', detail: 'Ready, but the paper is running low' });
    expect(printer.emulator.statusRequests).toBe(4);
    expect(printer.emulator.receipts()).toHaveLength(0);
    expect(Array.isArray(first.report.serialPorts)).toBe(true);
    expect(typeof first.report.hid.libusb.present).toBe('boolean');
    expect(first.report.hid.nodeHid.detail.length).toBeGreaterThan(0);
    // The command ended by itself (runCli fails on a hang): the scanner's health-check timer and the printer
    // socket would otherwise keep the process alive.
    expect(printer.connections).toBe(1);
  });

  it('says in words what is wrong with a missing scanner and an unreachable printer, without crashing (exit 1)', async () => {
    const closed = new TcpPrinterServer();
    const port = await closed.listen();
    await closed.close();
    const dir = tillWith({ scanner: { kind: 'serial', path: path.join(tempDir(), 'no-such-tty') }, printer: { kind: 'tcp', host: '127.0.0.1', port } });
    const r = await runCli(['devices', '--data-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/unexpected error/);
    expect(r.stdout).toMatch(/Scanner: serial scanner .*no-such-tty at 9600 baud, terminator CR\n {2}FAIL {2}Scanner not found at .*no-such-tty: check the cable/);
    expect(r.stdout).toMatch(new RegExp(`Printer: network printer 127\\.0\\.0\\.1:${port}\\n {2}FAIL {2}Cannot reach printer tcp:127\\.0\\.0\\.1:${port}`));
    expect(r.stdout).toMatch(/^Serial ports:\n/);
    expect(r.stdout).toMatch(/USB HID:\n {2}(ok|warn) {2,}libusb/);
  });

  it('reports a printer that is out of paper as a problem', async () => {
    const printer = new TcpPrinterServer();
    cleanups.push(() => printer.close());
    const port = await printer.listen();
    printer.emulator.paper = 'out';
    const { code, report } = await devicesJson(tillWith({ printer: { kind: 'tcp', host: '127.0.0.1', port } }));
    expect(code).toBe(1);
    expect(report.printer).toMatchObject({ state: 'problem', detail: 'The printer is out of paper: load a new roll' });
    expect(report.scanner).toMatchObject({ state: 'not-configured' });
  });

  it('is content with nothing configured (exit 0)', async () => {
    const { code, report } = await devicesJson(tillWith({}));
    expect(code).toBe(0);
    expect(report.scanner).toEqual({ configured: 'no scanner configured', state: 'not-configured', detail: 'No scanner configured; keyboard-wedge scanners still work' });
    expect(report.printer).toEqual({ configured: 'no printer configured', state: 'not-configured', detail: 'No receipt printer configured' });
  });

  it('--help describes the command', async () => {
    const help = await runCli(['devices', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/serial ports, USB HID support/);
    for (const o of ['--json', '--data-dir', '--config']) expect(help.stdout).toContain(o);
  });
});
