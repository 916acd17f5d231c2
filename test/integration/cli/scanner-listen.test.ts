import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_LAYOUTS, withCheckDigit } from '../../../native/barcode';
import { CLI, cleanEnv, runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';
import { PtyPair } from '../scanners/pty-pair';

type Line = { event: 'status' | 'scan'; status?: { state: string }; result?: Record<string, unknown>; raw?: string };

/** A running `till-agent` whose output lines can be awaited one by one. */
class Running {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private readonly lines: string[] = [];
  private readonly waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];

  constructor(args: readonly string[], stream: 'stdout' | 'stderr') {
    this.child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    const source = stream === 'stdout' ? this.child.stdout : this.child.stderr;
    if (source === null) throw new Error('no output stream');
    readline.createInterface({ input: source }).on('line', (line) => {
      this.lines.push(line);
      for (const w of [...this.waiters]) {
        if (w.test(line)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    });
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
  }

  /** Resolves with the first line (already seen or still to come) that passes `test`. */
  waitFor(test: (line: string) => boolean): Promise<string> {
    const seen = this.lines.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  all(): string[] {
    return [...this.lines];
  }
}

const pairs: PtyPair[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const p of pairs.splice(0)) await p.dispose();
});

async function ptyScanner(): Promise<PtyPair> {
  const pair = new PtyPair('cli-scan');
  pairs.push(pair);
  await pair.start();
  return pair;
}

describe('till-agent scanner listen', () => {
  it('prints each scan from the configured serial scanner, parsed, and exits after --count', async () => {
    const pair = await ptyScanner();
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'till-agent.config.json'),
      JSON.stringify({ devices: { scanner: { kind: 'serial', path: pair.device, baudRate: 9600, terminator: 'CR' } } }),
    );
    const run = new Running(['scanner', 'listen', '--json', '--count', '2', '--data-dir', dir], 'stdout');
    children.push(run.child);
    await run.waitFor((l) => (JSON.parse(l) as Line).status?.state === 'connected');
    pair.write(']E05901234123457\r');
    // Same digits with the last one changed: the cashier's message must come through, not a crash.
    pair.write('5901234123458\r');
    expect(await run.exited).toBe(0);
    const scans = run.all().map((l) => JSON.parse(l) as Line).filter((l) => l.event === 'scan');
    expect(scans).toHaveLength(2);
    expect(scans[0]?.result).toMatchObject({ ok: true, kind: 'gtin', format: 'ean13', gtin14: '05901234123457' });
    expect(scans[0]?.raw).toBe(']E05901234123457');
    expect(scans[1]?.result).toMatchObject({ ok: false, code: 'check-digit', message: 'Check digit wrong: scan again or key in the code' });
  });

  it('listens on --serial with --terminator LF in words, and stops cleanly on SIGTERM', async () => {
    const pair = await ptyScanner();
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'till-agent.config.json'),
      JSON.stringify({ devices: { inStoreLayouts: [EXAMPLE_LAYOUTS.price5] } }),
    );
    const run = new Running(['scanner', 'listen', '--serial', pair.device, '--terminator', 'lf', '--data-dir', dir], 'stderr');
    children.push(run.child);
    const out = readline.createInterface({ input: run.child.stdout ?? process.stdin });
    const first = new Promise<string>((resolve) => out.once('line', resolve));
    await run.waitFor((l) => l.includes(`serial:${pair.device} connected`));
    // An in-store price label from the configured layout: item 12345 at 19.95.
    const label = withCheckDigit('221234501995');
    pair.write(`${label}\n`);
    expect(await first).toMatch(new RegExp(` in-store-price item 12345 \\(layout price-5, lookup \\d{14}\\) price 19\\.95  raw "${label}"$`));
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('says what is wrong when there is no scanner, or a bad option', async () => {
    const dir = tempDir();
    const none = await runCli(['scanner', 'listen', '--count', '1', '--data-dir', dir]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No scanner is configured/);
    expect(none.stderr).toMatch(/--serial PATH/);
    const bad = await runCli(['scanner', 'listen', '--serial', '/dev/null', '--terminator', 'TAB', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--terminator TAB is not one of CR, LF, CRLF/);
  });

  it('--help names every option', async () => {
    const help = await runCli(['scanner', 'listen', '--help']);
    expect(help.code).toBe(0);
    for (const o of ['--json', '--serial', '--baud', '--terminator', '--count']) expect(help.stdout).toContain(o);
  });
});
