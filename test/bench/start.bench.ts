import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { BenchEntry } from './bench-types';
import { yearOfSales } from './year-of-sales';

const CLI = path.join(import.meta.dirname, '..', '..', 'bin', 'till-agent.cjs');

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const newDataDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'till-bench-start-'));

/**
 * One sample: `till-agent serve --port 0` on `dataDir` (a new one when absent, removed after), until the ready
 * line; then stop it as the system does at shut-down (SIGTERM: the agent closes its database, so the next start is
 * a start after a clean stop).
 */
async function startOnce(options: { readonly dataDir?: string; readonly lingerMs?: number } = {}): Promise<{ rssMb: number }> {
  const dir = options.dataDir ?? newDataDir();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, TILL_DEMO: 'false' } });
  const rl = readline.createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    rl.once('line', () => resolve());
    child.once('exit', (code) => reject(new Error(`agent exited with ${code}`)));
  });
  const rssMb = child.pid ? rssOf(child.pid) : 0;
  if (options.lingerMs) await new Promise((r) => setTimeout(r, options.lingerMs));
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  if (!options.dataDir) fs.rmSync(dir, { recursive: true, force: true });
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
    // A till's start of every day: its data directory (database, keys, token) is there from the day before. The
    // first start (below) made it, and wrote the bundle's code cache (bin/code-cache.cjs).
    name: 'start.headless',
    target: 'p50 <= 250 ms and <= 3x node.bare, RSS <= 120 MB',
    samples: 15,
    setup: async () => {
      const dataDir = newDataDir();
      await startOnce({ dataDir, lingerMs: 2500 });
      return dataDir;
    },
    run: (dataDir) => startOnce({ dataDir: dataDir as string }),
    teardown: (dataDir) => fs.rmSync(dataDir as string, { recursive: true, force: true }),
  },
  {
    // The same start with a year of a busy till in the database (100,000 sales, about 650 MB): nothing at start
    // may take longer with the data a real till has. About a minute of setup.
    name: 'start.year',
    target: 'p50 <= 1.2x start.headless',
    samples: 10,
    setup: async () => {
      const year = yearOfSales();
      year.db.close();
      await startOnce({ dataDir: year.dir });
      return year.dir;
    },
    run: (dataDir) => startOnce({ dataDir: dataDir as string }),
    teardown: (dataDir) => fs.rmSync(dataDir as string, { recursive: true, force: true }),
  },
  {
    // A till's first start, once in its life: it also creates the database, its tables and the till's keys.
    name: 'start.first',
    target: 'p50 <= 400 ms, RSS <= 120 MB',
    samples: 15,
    setup: () => startOnce({ lingerMs: 2500 }),
    run: () => startOnce(),
  },
];

export default entries;
