/**
 * One till of the soak: a real `till-agent serve` child on its own data directory, started, SIGKILLed and
 * restarted on the same directory, plus the till's CLI commands (`sale run`, `sync drain`, ...) as children.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import { dbPath } from '../../main/agent/data-dir';
import { CLI, cleanEnv } from '../helpers/cli';

export type TillSpec = { readonly index: number; readonly branchId: string; readonly posId: string; readonly dataDir: string };

export type ApiReply = { readonly status: number; readonly body: unknown };

export type CliOutcome = { readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly stdout: string; readonly stderr: string };

const TAIL = 4000;

/** Every child the harness started and that still runs, so a harness that dies leaves no till behind. */
const children = new Set<ChildProcess>();

function track(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

/** SIGKILLs every till process the harness started that is still running (its own crash path). */
export function killAllChildren(): void {
  for (const child of children) child.kill('SIGKILL');
}
const READY_TIMEOUT_MS = 60_000;

/** The environment of every till child: no developer TILL_* settings, quieter logs (the machine is shared). */
function tillEnv(): NodeJS.ProcessEnv {
  return { ...cleanEnv(), TILL_LOG_LEVEL: 'warn' };
}

export class TillProcess {
  private child: ChildProcess | undefined;
  private api: { url: string; token: string } | undefined;
  private stderrTail = '';
  /** Exits the harness did not cause (a crash): each is a finding. */
  readonly crashes: string[] = [];
  private killing = false;

  constructor(readonly spec: TillSpec) {}

  get pid(): number | undefined {
    return this.api && this.child?.exitCode === null ? this.child.pid : undefined;
  }

  get running(): boolean {
    return this.api !== undefined && this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts `till-agent serve` on the till's data directory and waits for its ready line. */
  async start(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) throw new Error(`${this.spec.posId} is already running`);
    this.api = undefined;
    this.killing = false;
    const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', this.spec.dataDir, '--port', '0'], { env: tillEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    track(child);
    child.stderr.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-TAIL);
    });
    const ready = await new Promise<{ url: string; token: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.spec.posId}: no ready line within ${READY_TIMEOUT_MS} ms\n${this.stderrTail}`)), READY_TIMEOUT_MS);
      const lines = readline.createInterface({ input: child.stdout });
      lines.once('line', (line) => {
        clearTimeout(timer);
        try {
          const parsed = JSON.parse(line) as { event?: string; url?: string; token?: string };
          if (parsed.event !== 'ready' || !parsed.url || !parsed.token) throw new Error(`unexpected first line: ${line}`);
          resolve({ url: parsed.url, token: parsed.token });
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${this.spec.posId}: serve exited (${code ?? signal}) before it was ready\n${this.stderrTail}`));
      });
    });
    this.api = ready;
    child.once('exit', (code, signal) => {
      if (this.child === child) this.api = undefined;
      if (!this.killing) this.crashes.push(`${this.spec.posId} exited by itself (${code ?? signal})\n${this.stderrTail}`);
    });
  }

  /**
   * SIGKILL, as a power cut or an OOM kill would: nothing gets to run. Synchronous, so the kill lands in the same
   * event-loop turn as what triggered it (a request arriving at the sandbox); `waitExited()` waits for the exit.
   */
  killNow(): boolean {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return false;
    this.killing = true;
    this.api = undefined;
    child.kill('SIGKILL');
    return true;
  }

  async waitExited(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  }

  /** A clean stop (SIGTERM: the agent closes its database and log). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.killing = true;
    this.api = undefined;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await gone;
    clearTimeout(timer);
  }

  /**
   * One call to the till's local API. Throws on a network failure (the till is down or was killed);
   * `afterSend` runs once the request is handed to the socket (a kill there lands mid-request).
   */
  async call(method: 'GET' | 'POST', route: string, body?: unknown, afterSend?: () => void): Promise<ApiReply> {
    const api = this.api;
    if (!api) throw new TillDown(this.spec.posId);
    const promise = fetch(`${api.url}${route.replace(/^\//, '')}`, {
      method,
      headers: { authorization: `Bearer ${api.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    afterSend?.();
    const res = await promise;
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  /**
   * Runs a till CLI command on this till's data directory. `killAfterMs` SIGKILLs it that long after it
   * started (a crash mid-commit when it lands inside the sale's transaction).
   */
  runCli(args: readonly string[], options: { killAfterMs?: number; timeoutMs?: number } = {}): Promise<CliOutcome> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args, '--data-dir', this.spec.dataDir], { env: tillEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      track(child);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-TAIL)));
      const timers: NodeJS.Timeout[] = [];
      if (options.killAfterMs !== undefined) timers.push(setTimeout(() => child.kill('SIGKILL'), options.killAfterMs));
      timers.push(setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000));
      child.on('close', (code, signal) => {
        for (const t of timers) clearTimeout(t);
        resolve({ code, signal, stdout, stderr });
      });
    });
  }

  /** Resident set size of the serve process in MB (Linux /proc), or undefined when it is not running. */
  rssMb(): number | undefined {
    const pid = this.pid;
    if (pid === undefined) return undefined;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  dbFile(): string {
    return dbPath(this.spec.dataDir);
  }
}

export class TillDown extends Error {
  override readonly name = 'TillDown';
  constructor(posId: string) {
    super(`${posId} is not running`);
  }
}
