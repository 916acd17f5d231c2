import { ScanStream, type ScanEvent } from '../../main/devices/scanners/scan-stream';
import { EXAMPLE_LAYOUTS, parseScan } from '../../native/barcode';
import { SerialScanner } from '../../native/scanners/serial-scanner';
import { PtyPair } from '../integration/scanners/pty-pair';
import type { BenchEntry } from './bench-types';

type PtyState = { pty: PtyPair; scanner: SerialScanner; stream: ScanStream; next: () => Promise<ScanEvent>; n: number };

const CODES = ['4006381333931', ']C10109506000134352\u001d10ABC123\u001d17271231', '2312345012340', '96385074'];
const layouts = [EXAMPLE_LAYOUTS.weightGrams];

async function setupPty(): Promise<PtyState> {
  const pty = new PtyPair('bench');
  await pty.start();
  const scanner = new SerialScanner({ path: pty.device, baudRate: 115200, terminator: 'CR' });
  const stream = new ScanStream({ clock: { now: () => new Date() }, parse: { inStoreLayouts: layouts } });
  stream.add(scanner);
  await scanner.open();
  let waiting: ((event: ScanEvent) => void) | undefined;
  stream.onDidScan((event) => waiting?.(event));
  const next = (): Promise<ScanEvent> => new Promise((resolve) => (waiting = resolve));
  return { pty, scanner, stream, next, n: 0 };
}

/**
 * `scan.pty`: bytes written into one end of a pseudo-terminal until the parsed scan event comes out of the scan
 * stream on the other end (serial driver, framing, parseScan). The basket is not wired yet, so this stops at
 * the scan-stream event, not at the basket line.
 */
const entries: BenchEntry[] = [
  {
    name: 'scan.pty',
    target: 'p99 <= 10 ms (bytes in pty -> scan-stream event)',
    samples: 500,
    setup: setupPty,
    run: async (state) => {
      const s = state as PtyState;
      const code = CODES[s.n++ % CODES.length] as string;
      const arrived = s.next();
      s.pty.write(`${code}\r`);
      const event = await arrived;
      if (!event.result.ok || event.raw !== code) throw new Error(`bench scan went wrong: ${JSON.stringify(event)}`);
    },
    teardown: async (state) => {
      const s = state as PtyState;
      s.stream.dispose();
      await s.scanner.close();
      await s.pty.dispose();
    },
  },
  {
    name: 'scan.parse',
    target: 'p99 <= 0.1 ms per code (pure parseScan)',
    samples: 4000,
    setup: () => ({ n: 0 }),
    run: (state) => {
      const s = state as { n: number };
      return parseScan(CODES[s.n++ % CODES.length] as string, { inStoreLayouts: layouts, referenceYear: 2026 });
    },
  },
];

export default entries;
