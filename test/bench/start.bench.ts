import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { BenchEntry } from './bench-types';

const CLI = path.join(import.meta.dirname, '..', '..', 'bin', 'till-agent.cjs');

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** One sample: a fresh data directory, `till-agent serve --port 0`, until the ready line; then stop it. */
async function startOnce(lingerMs = 0): Promise<{ rssMb: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-bench-start-'));
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TILL_DEMO: 'false' } });
  const rl = readline.createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    rl.once('line', () => resolve());
    child.once('exit', (code) => reject(new Error(`agent exited with ${code}`)));
  });
  const rssMb = child.pid ? rssOf(child.pid) : 0;
  if (lingerMs > 0) await new Promise((r) => setTimeout(r, lingerMs));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(dir, { recursive: true, force: true });
  return { rssMb };
}

/** One run of a command to its exit. */
async function runOnce(args: readonly string[]): Promise<void> {
  const child = spawn(process.execPath, [...args], { stdio: 'ignore' });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`);
}

// `node.bare` is the yardstick the two start-up targets are relative to: the same machine, the same run.
const entries: BenchEntry[] = [
  {
    name: 'node.bare',
    target: 'baseline (node -e 0)',
    samples: 30,
    run: () => runOnce(['-e', '0']),
  },
  {
    name: 'cli.version',
    target: 'p50 <= 1.5x node.bare',
    samples: 30,
    run: () => runOnce([CLI, '--version']),
  },
  {
    name: 'start.headless',
    target: 'p50 <= 250 ms and <= 3x node.bare, RSS <= 120 MB',
    samples: 15,
    // A till's first start writes the bundle's code cache (bin/code-cache.cjs); the samples are the starts after.
    setup: () => startOnce(2500),
    run: () => startOnce(),
  },
];

export default entries;
