import fs from 'node:fs';
import net from 'node:net';
import { PtyPair } from '../scanners/pty-pair';
import { FEED_AND_CUT } from '../../../native/printers/escpos-receipt';
import { encodeStatusBytes, STATUS_KINDS, type PaperState } from '../../../native/printers/printer-status';

/**
 * The printer end of a connection: takes the byte stream a real ESC/POS printer would get, answers
 * `DLE EOT n` status requests, keeps what it "printed", and can run out of paper after a number of bytes.
 * Bytes that arrive while out of paper are lost, as on a printer that clears its buffer at paper end.
 */
export class PrinterEmulator {
  paper: PaperState = 'ok';
  coverOpen = false;
  /** The drawer's sensor (DLE EOT 1, pin 3, open when high). */
  drawerOpen = false;
  /** Run out of paper after this many more printed bytes. */
  paperOutAfter: number | undefined;
  /** What reached paper, one entry per receipt (split at the cut, or where the paper ran out). */
  readonly segments: number[][] = [[]];
  statusRequests = 0;
  private carry: number[] = [];

  /** Feeds received bytes; returns the answers to send back. */
  receive(chunk: Uint8Array): Uint8Array {
    const answers: number[] = [];
    const bytes = [...this.carry, ...chunk];
    this.carry = [];
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (b === 0x10 && i + 2 >= bytes.length) {
        this.carry = bytes.slice(i);
        break;
      }
      if (b === 0x10 && bytes[i + 1] === 0x04) {
        const n = bytes[i + 2] as number;
        const kind = STATUS_KINDS[n - 1];
        if (kind !== undefined) {
          this.statusRequests++;
          answers.push(encodeStatusBytes({ paper: this.paper, coverOpen: this.coverOpen, drawerOpen: this.drawerOpen })[kind]);
          i += 2;
          continue;
        }
      }
      this.print(b);
    }
    return Uint8Array.from(answers);
  }

  loadPaper(): void {
    this.paper = 'ok';
  }

  /** Complete receipts (ending in the cut) and partial ones, as byte arrays. */
  receipts(): Uint8Array[] {
    return this.segments.filter((s) => s.length > 0).map((s) => Uint8Array.from(s));
  }

  private print(b: number): void {
    if (this.paper === 'out' || this.coverOpen) return;
    const current = this.segments.at(-1) as number[];
    current.push(b);
    if (this.paperOutAfter !== undefined && --this.paperOutAfter <= 0) {
      this.paperOutAfter = undefined;
      this.paper = 'out';
      this.segments.push([]);
      return;
    }
    const tail = current.slice(-FEED_AND_CUT.length);
    if (tail.length === FEED_AND_CUT.length && tail.every((x, k) => x === FEED_AND_CUT[k])) this.segments.push([]);
  }
}

/** A network printer on loopback: port 9100 semantics on a free port. */
export class TcpPrinterServer {
  readonly emulator = new PrinterEmulator();
  private readonly server = net.createServer((socket) => {
    this.sockets.add(socket);
    socket.on('data', (chunk) => {
      const answers = this.emulator.receive(chunk);
      if (answers.length > 0) socket.write(answers);
    });
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  private readonly sockets = new Set<net.Socket>();
  connections = 0;

  async listen(): Promise<number> {
    this.server.on('connection', () => this.connections++);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Drops every open connection, as a printer that is switched off and on. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A socat pseudo-terminal pair: the till's transport opens `device`, the emulator sits on `host`. The host
 * end is read non-blocking on a short poll so closing never waits on a blocked read.
 */
export class PtyPrinter {
  readonly emulator = new PrinterEmulator();
  private readonly pair = new PtyPair('printer');
  readonly dir = this.pair.dir;
  readonly device = this.pair.device;
  readonly host = this.pair.host;
  private fd: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly waiters: (() => void)[] = [];

  async start(): Promise<void> {
    await this.pair.start();
    const { O_RDWR, O_NONBLOCK, O_NOCTTY } = fs.constants;
    const fd = fs.openSync(this.host, O_RDWR | O_NONBLOCK | O_NOCTTY);
    this.fd = fd;
    const buffer = Buffer.alloc(4096);
    this.timer = setInterval(() => {
      for (;;) {
        let n = 0;
        try {
          n = fs.readSync(fd, buffer, 0, buffer.length, null);
        } catch {
          break; // EAGAIN: nothing more for now
        }
        if (n <= 0) break;
        const answers = this.emulator.receive(buffer.subarray(0, n));
        if (answers.length > 0) fs.writeSync(fd, answers);
      }
      for (const w of this.waiters.splice(0)) w();
    }, 2);
  }

  /** Resolves after the next poll of the host end, i.e. once bytes already sent have been taken in. */
  settled(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async dispose(): Promise<void> {
    clearInterval(this.timer);
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    await this.pair.dispose();
  }
}
