/**
 * `npm run bench`: runs every entry of test/bench/*.bench.ts and prints a table; `--json` prints only
 * `{"results":[{"name","unit","samples","p50","p99","rss_mb"}]}`; `--only NAME[,NAME]` runs those entries (a NAME without a dot, such as `ui`, runs every `ui.*` entry).
 * Speed and memory targets are read from these figures, never asserted in timed unit tests. Each entry runs in
 * its own process, so its RSS is its own.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchEntry } from './bench-types';

type Result = { name: string; unit: 'ms'; samples: number; p50: number; p99: number; rss_mb: number; target?: string };

function argValues(flag: string): string[] {
  const out: string[] = [];
  process.argv.forEach((a, i) => {
    if (a === flag && process.argv[i + 1]) out.push(...(process.argv[i + 1] ?? '').split(','));
    if (a.startsWith(`${flag}=`)) out.push(...a.slice(flag.length + 1).split(','));
  });
  return out;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? Number.NaN;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

async function runEntry(entry: BenchEntry): Promise<Result> {
  const state = await entry.setup?.();
  const samples = entry.samples ?? 200;
  const warmup = Math.min(5, Math.floor(samples / 10));
  for (let i = 0; i < warmup; i++) {
    await entry.run(state);
    await entry.idle?.(state);
  }
  const times: number[] = [];
  let reportedRss = 0;
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    const out = (await entry.run(state)) as { rssMb?: unknown } | undefined;
    times.push(performance.now() - t0);
    await entry.idle?.(state);
    if (out && typeof out.rssMb === 'number') reportedRss = Math.max(reportedRss, out.rssMb);
  }
  const rss = reportedRss || process.memoryUsage().rss / 1024 / 1024;
  await entry.teardown?.(state);
  times.sort((a, b) => a - b);
  return {
    name: entry.name,
    unit: 'ms',
    samples,
    p50: round(percentile(times, 50)),
    p99: round(percentile(times, 99)),
    rss_mb: Math.round(rss * 10) / 10,
    ...(entry.target ? { target: entry.target } : {}),
  };
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const only = new Set(argValues('--only'));
  const files = fs
    .readdirSync(import.meta.dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  // A child imports only the file of its entry, so the RSS it reports is not inflated by the others.
  const childFile = argValues('--file')[0];
  const entries: (BenchEntry & { file: string })[] = [];
  for (const f of childFile === undefined ? files : [childFile]) {
    const mod = (await import(path.join(import.meta.dirname, f))) as { default: BenchEntry[] };
    entries.push(...mod.default.map((e) => Object.assign(e, { file: f })));
  }
  const matches = (name: string, wanted: string): boolean => name === wanted || (!wanted.includes('.') && name.startsWith(`${wanted}.`));
  const selected = entries.filter((e) => only.size === 0 || [...only].some((n) => matches(e.name, n)));
  const unknown = [...only].filter((n) => !entries.some((e) => matches(e.name, n)));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${entries.map((e) => e.name).join(', ')}`);
    process.exit(2);
  }
  const child = argValues('--child')[0];
  if (child !== undefined) {
    // One entry in a fresh process: its RSS is its own, not what earlier entries left behind.
    const entry = entries.find((e) => e.name === child);
    if (!entry) process.exit(2);
    process.stdout.write(`${JSON.stringify(await runEntry(entry))}\n`);
    process.exit(0);
  }
  const results: Result[] = [];
  for (const entry of selected) {
    if (!json) process.stderr.write(`running ${entry.name}…\n`);
    const run = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, '--child', entry.name, '--file', entry.file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * 1024 * 1024,
    });
    const line = run.stdout.trim().split('\n').pop() ?? '';
    if (run.status !== 0 || !line.startsWith('{')) {
      console.error(`benchmark ${entry.name} failed (exit ${String(run.status)})`);
      process.exit(1);
    }
    results.push(JSON.parse(line) as Result);
  }
  if (json) {
    process.stdout.write(`${JSON.stringify({ results })}\n`);
  } else {
    const rows = results.map((r) => [r.name, String(r.samples), r.p50.toFixed(3), r.p99.toFixed(3), r.rss_mb.toFixed(1), r.target ?? '']);
    const head = ['name', 'samples', 'p50 ms', 'p99 ms', 'rss MB', 'target'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
    console.log(line(head));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
  }
  // Entries may leave handles (servers, children) that their teardown closed late; do not hang on them.
  process.exit(0);
}

await main();
