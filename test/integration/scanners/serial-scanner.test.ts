import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSerialPorts, SerialScanner } from '../../../native/scanners/serial-scanner';
import type { RawScan, ScannerStatus } from '../../../native/scanners/scanner-source';
import { nextEvent } from './events';
import { PtyPair } from './pty-pair';

/** Serial scanner against a real pseudo-terminal pair (socat). */
describe('SerialScanner over a pty', () => {
  let pty: PtyPair;
  let scanner: SerialScanner | undefined;

  beforeEach(async () => {
    pty = new PtyPair();
    await pty.start();
  });

  afterEach(async () => {
    await scanner?.close();
    scanner = undefined;
    await pty.dispose();
  });

  function collect(s: SerialScanner): RawScan[] {
    const scans: RawScan[] = [];
    s.onDidScan((scan) => scans.push(scan));
    return scans;
  }

  /** Waits until `count` scans have arrived, then one more marker scan so a late duplicate would show up. */
  async function scansAfterMarker(s: SerialScanner, scans: RawScan[], marker: string, end = '\r'): Promise<string[]> {
    const seen = nextEvent<RawScan>((l) => s.onDidScan(l), (scan) => scan.raw === marker);
    pty.write(`${marker}${end}`);
    await seen;
    return scans.map((x) => x.raw).filter((raw) => raw !== marker);
  }

  it('emits each CR-terminated scan exactly once, including codes split across writes', async () => {
    scanner = new SerialScanner({ path: pty.device, baudRate: 9600, terminator: 'CR' });
    const scans = collect(scanner);
    await scanner.open();
    expect(scanner.status.state).toBe('connected');
    pty.write('4006381333931\r96385');
    pty.write('074\r');
    pty.write(']C10109506000134352\u001d10ABC\r');
    expect(await scansAfterMarker(scanner, scans, 'END')).toEqual(['4006381333931', '96385074', ']C10109506000134352\u001d10ABC']);
  });

  it('frames by CRLF', async () => {
    scanner = new SerialScanner({ path: pty.device, baudRate: 115200, terminator: 'CRLF' });
    const scans = collect(scanner);
    await scanner.open();
    pty.write('036000291452\r\n01234565\r\n');
    expect(await scansAfterMarker(scanner, scans, 'END', '\r\n')).toEqual(['036000291452', '01234565']);
  });

  it('frames by inter-byte timeout when the scanner sends no terminator', async () => {
    scanner = new SerialScanner({ path: pty.device, baudRate: 9600, terminator: 'timeout', interByteTimeoutMs: 30 });
    await scanner.open();
    const scan = nextEvent<RawScan>((l) => (scanner as SerialScanner).onDidScan(l));
    pty.write('4006381333931');
    expect((await scan).raw).toBe('4006381333931');
  });

  it('goes disconnected when the device disappears and reconnects when the same path comes back', async () => {
    scanner = new SerialScanner({ path: pty.device, baudRate: 9600, terminator: 'CR', backoff: { initialMs: 20, maxMs: 200 }, healthCheckMs: 50 });
    const s = scanner;
    const scans = collect(s);
    const statuses: ScannerStatus[] = [];
    s.onDidChangeStatus((st) => statuses.push(st));
    await s.open();
    // Bytes still inside socat when it is killed are lost, as on a real unplug; wait until this one is through.
    const first = nextEvent<RawScan>((l) => s.onDidScan(l));
    pty.write('111\r');
    await first;

    const lost = nextEvent<ScannerStatus>((l) => s.onDidChangeStatus(l), (st) => st.state === 'disconnected');
    await pty.stop();
    expect((await lost).state).toBe('disconnected');

    const back = nextEvent<ScannerStatus>((l) => s.onDidChangeStatus(l), (st) => st.state === 'connected');
    await pty.start();
    await back;
    pty.write('222\r');
    expect(await scansAfterMarker(s, scans, 'END')).toEqual(['111', '222']);
    expect(statuses[0]?.state).toBe('connected');
    expect(statuses.at(-1)?.state).toBe('connected');
    expect(statuses.some((st) => st.state === 'disconnected' && /unplugged|not found/.test(st.reason))).toBe(true);
  });

  it('keeps trying when the port is missing at start, and connects when it appears', async () => {
    await pty.stop();
    scanner = new SerialScanner({ path: pty.device, baudRate: 9600, terminator: 'CR', backoff: { initialMs: 20, maxMs: 100 } });
    const s = scanner;
    await s.open();
    expect(s.status).toMatchObject({ state: 'disconnected', reason: expect.stringContaining('not found') });
    const back = nextEvent<ScannerStatus>((l) => s.onDidChangeStatus(l), (st) => st.state === 'connected');
    await pty.start();
    await back;
    const scan = nextEvent<RawScan>((l) => s.onDidScan(l));
    pty.write('4006381333931\r');
    expect((await scan).raw).toBe('4006381333931');
  });

  it('stops retrying after close', async () => {
    scanner = new SerialScanner({ path: pty.device, baudRate: 9600, terminator: 'CR', backoff: { initialMs: 20, maxMs: 20 } });
    await scanner.open();
    await scanner.close();
    expect(scanner.status).toEqual({ state: 'disconnected', reason: 'Closed' });
    // A second open after close works again (the scanner is reusable).
    await scanner.open();
    expect(scanner.status.state).toBe('connected');
  });

  it('lists serial ports without throwing (pseudo-terminals need not appear)', async () => {
    const ports = await listSerialPorts();
    expect(Array.isArray(ports)).toBe(true);
    for (const port of ports) expect(typeof port.path).toBe('string');
  });
});
