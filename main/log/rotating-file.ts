import fs from 'node:fs';
import path from 'node:path';

/** Where a line goes when the file cannot take it (tests pass their own). */
export type FallbackSink = (text: string) => void;

const toStderr: FallbackSink = (text) => {
  try {
    process.stderr.write(text);
  } catch {
    // stderr closed as well: nowhere left to say it, and logging must never stop the till.
  }
};

/** After a failure, how long to wait before trying the file again (each try is one syscall or two). */
const RETRY_MS = 5_000;

/**
 * An append-only log file that rotates by size, logrotate style: `till-agent.log` is the current file, and
 * when it passes `maxBytes` it becomes `till-agent.1.log`, the old `.1` becomes `.2`, and so on up to `keep`.
 * Writes are synchronous: a till logs little, and a line written just before a crash or SIGKILL is kept.
 * (pino-roll did this too, but pulled in date-fns and cost a fifth of the start-up time.)
 *
 * Logging never stops the till (docs/logging.md): a line the file cannot take (a full disk, a removed
 * directory) goes to stderr instead, and a line is in the file whole or not at all: a write that fails part
 * way is cut back to the end of the last whole line. The file is tried again every few seconds.
 */
export class RotatingFile {
  private fd: number | undefined;
  private size = 0;
  private failingSince: number | undefined;
  private nextTryAt = 0;
  private lostLines = 0;

  constructor(
    readonly file: string,
    private readonly maxBytes: number,
    private readonly keep: number,
    private readonly fallback: FallbackSink = toStderr,
  ) {
    try {
      this.open();
    } catch (err) {
      this.fail(err, Date.now());
    }
  }

  /** pino's destination interface. Never throws. */
  write(line: string): boolean {
    const data = Buffer.from(line);
    const now = Date.now();
    if (this.failingSince !== undefined && now < this.nextTryAt) {
      this.lostLines++;
      this.fallback(line);
      return true;
    }
    try {
      if (this.fd === undefined) this.open();
      if (this.size > 0 && this.size + data.length > this.maxBytes) this.rotate();
      this.append(data);
      if (this.failingSince !== undefined) this.recovered(now);
    } catch (err) {
      this.fail(err, now);
      this.lostLines++;
      this.fallback(line);
    }
    return true;
  }

  flush(): void {
    try {
      if (this.fd !== undefined) fs.fsyncSync(this.fd);
    } catch {
      // A failed fsync of a log is not worth stopping for; the lines are in the page cache or on stderr.
    }
  }

  close(): void {
    try {
      if (this.fd !== undefined) fs.closeSync(this.fd);
    } catch {
      // Already gone.
    }
    this.fd = undefined;
  }

  private open(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    this.fd = fs.openSync(this.file, 'a', 0o600);
    this.size = fs.fstatSync(this.fd).size;
  }

  /** Writes all of `data` or, when a write fails part way, cuts the file back to where it was and throws. */
  private append(data: Buffer): void {
    const fd = this.fd as number;
    let done = 0;
    try {
      while (done < data.length) done += fs.writeSync(fd, data, done, data.length - done);
    } catch (err) {
      if (done > 0) {
        try {
          fs.ftruncateSync(fd, this.size);
        } catch {
          // The half line stays; readers skip a last line without its newline (docs/logging.md).
        }
      }
      throw err;
    }
    this.size += data.length;
  }

  private fail(err: unknown, now: number): void {
    this.nextTryAt = now + RETRY_MS;
    if (this.failingSince !== undefined) return;
    this.failingSince = now;
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    this.fallback(`till-agent: cannot write the log file ${this.file} (${code}); log lines go to stderr until it can.\n`);
  }

  private recovered(now: number): void {
    const lost = this.lostLines;
    const since = this.failingSince ?? now;
    this.failingSince = undefined;
    this.lostLines = 0;
    // Said in the file itself, so whoever reads it knows a gap is there and where the lines went.
    const note = `${JSON.stringify({ level: 40, time: now, pid: process.pid, msg: `log file was not writable for ${now - since} ms; ${lost} line(s) went to stderr` })}\n`;
    try {
      this.append(Buffer.from(note));
    } catch {
      // Failing again: the next line will say so.
    }
  }

  private rotate(): void {
    const numbered = (n: number): string => this.file.replace(/\.log$/, `.${n}.log`);
    this.close();
    try {
      fs.rmSync(numbered(this.keep), { force: true });
      for (let n = this.keep - 1; n >= 1; n--) {
        if (fs.existsSync(numbered(n))) fs.renameSync(numbered(n), numbered(n + 1));
      }
      fs.renameSync(this.file, numbered(1));
    } finally {
      // Whatever the renames did, writing goes on into till-agent.log (a new one, or the old one when they failed).
      this.open();
    }
  }
}
