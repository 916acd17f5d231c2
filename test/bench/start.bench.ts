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
async function startOnce(): Promise<{ rssMb: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-bench-start-'));
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TILL_DEMO: 'false' } });
  const rl = readline.createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    rl.once('line', () => resolve());
    child.once('exit', (code) => reject(new Error(`agent exited with ${code}`)));
  });
  const rssMb = child.pid ? rssOf(child.pid) : 0;
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  fs.rmSync(dir, { recursive: true, force: true });
  return { rssMb };
}

const entries: BenchEntry[] = [
  {
    name: 'start.headless',
    target: 'p50 <= 400 ms, RSS <= 120 MB',
    samples: 15,
    run: () => startOnce(),
  },
];

export default entries;
