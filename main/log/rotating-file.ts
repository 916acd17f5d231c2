import fs from 'node:fs';
import path from 'node:path';

/**
 * An append-only log file that rotates by size, logrotate style: `till-agent.log` is the current file, and
 * when it passes `maxBytes` it becomes `till-agent.1.log`, the old `.1` becomes `.2`, and so on up to `keep`.
 * Writes are synchronous: a till logs little, and a line written just before a crash or SIGKILL is kept.
 * (pino-roll did this too, but pulled in date-fns and cost a fifth of the start-up time.)
 */
export class RotatingFile {
  private fd: number;
  private size: number;

  constructor(
    readonly file: string,
    private readonly maxBytes: number,
    private readonly keep: number,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.fd = fs.openSync(file, 'a', 0o600);
    this.size = fs.fstatSync(this.fd).size;
  }

  /** pino's destination interface. */
  write(line: string): boolean {
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    fs.writeSync(this.fd, line);
    this.size += bytes;
    return true;
  }

  flush(): void {
    fs.fsyncSync(this.fd);
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private rotate(): void {
    fs.closeSync(this.fd);
    const numbered = (n: number): string => this.file.replace(/\.log$/, `.${n}.log`);
    fs.rmSync(numbered(this.keep), { force: true });
    for (let n = this.keep - 1; n >= 1; n--) {
      if (fs.existsSync(numbered(n))) fs.renameSync(numbered(n), numbered(n + 1));
    }
    fs.renameSync(this.file, numbered(1));
    this.fd = fs.openSync(this.file, 'a', 0o600);
    this.size = 0;
  }
}
