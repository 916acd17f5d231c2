import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A pseudo-terminal pair from socat with stable link names: `device` is where the till's scanner driver reads,
 * `host` is where the test writes what the "scanner" sends. Restarting keeps the same names, as a replugged
 * USB-serial adapter comes back under the same udev symlink.
 */
export class PtyPair {
  readonly dir: string;
  readonly device: string;
  readonly host: string;
  private child: ChildProcess | undefined;
  private hostFd: number | undefined;

  constructor(name = 'scan') {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `till-${name}-`));
    this.device = path.join(this.dir, 'device');
    this.host = path.join(this.dir, 'host');
  }

  /** Starts socat and resolves once it reports its transfer loop, i.e. both links exist. */
  start(): Promise<void> {
    const child = spawn('/usr/bin/socat', ['-d', '-d', `pty,raw,echo=0,link=${this.host}`, `pty,raw,echo=0,link=${this.device}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    return new Promise((resolve, reject) => {
      let log = '';
      const onData = (chunk: Buffer): void => {
        log += chunk.toString();
        if (log.includes('starting data transfer loop')) {
          child.stderr?.off('data', onData);
          child.stderr?.resume();
          resolve();
        }
      };
      child.stderr?.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`socat exited early (${String(code)}): ${log}`)));
    });
  }

  /** Kills socat (the "unplug") and resolves when it has exited and removed its links. */
  async stop(): Promise<void> {
    this.closeHost();
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  /** Writes bytes into the host end, as the scanner would send them. */
  write(data: string | Uint8Array): void {
    this.hostFd ??= fs.openSync(this.host, 'r+');
    fs.writeSync(this.hostFd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }

  private closeHost(): void {
    if (this.hostFd !== undefined) fs.closeSync(this.hostFd);
    this.hostFd = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
