import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { formatHits, RUN_ROOT_ENV, scanLogs, seededNeedles, SEEN_SECRETS_FILE } from './helpers/log-scan';

const REPO = path.join(import.meta.dirname, '..');

/**
 * Before any test: build the agent once (CLI and end-to-end tests run the built agent), and make one run root
 * that every temp directory of the run lives under: it becomes TMPDIR (tempDir(), pseudo-terminals, the
 * browser profile, child processes) and XDG_DATA_HOME (an agent started without --data-dir). Workers and their
 * children inherit both.
 *
 * After the last test: scan every log file written under the run root for the seeded secrets and tokens, and
 * for e-mail addresses and phone numbers, and fail the run naming file:line. `TILL_LOG_SCAN_MIN_FILES` (set
 * by `npm test` for a whole run) makes the scan fail when it saw fewer log files than that, so a change that
 * stops keeping the logs cannot turn the scan into a check of nothing.
 */
export default async function setup(): Promise<() => Promise<void>> {
  execFileSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
  const heldPort = await holdDefaultPort();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'till-run-'));
  const saved = { TMPDIR: process.env.TMPDIR, XDG_DATA_HOME: process.env.XDG_DATA_HOME, [RUN_ROOT_ENV]: process.env[RUN_ROOT_ENV] };
  process.env[RUN_ROOT_ENV] = root;
  process.env.TMPDIR = root;
  process.env.XDG_DATA_HOME = path.join(root, 'xdg-data');
  return async () => {
    await new Promise<void>((resolve) => (heldPort ? heldPort.close(() => resolve()) : resolve()));
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    teardown(root);
  };
}

/** The till's default API port (main/config/schema.ts). */
export const DEFAULT_TILL_PORT = 7420;

/**
 * Tests never bind a fixed port: `npm test` must pass while a till runs on this machine. To prove it on every
 * run, not only on a till, the run holds 127.0.0.1:7420 itself for its whole length when it is free (when it
 * is not, a till or something else holds it, which proves the same). A test that still starts an agent on the
 * default port then fails with PORT_IN_USE instead of passing by luck.
 */
async function holdDefaultPort(): Promise<net.Server | undefined> {
  const server = net.createServer((socket) => socket.destroy());
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(DEFAULT_TILL_PORT, '127.0.0.1', () => {
      server.unref();
      resolve(server);
    });
  });
}

function teardown(root: string): void {
  const seen = fs.existsSync(path.join(root, SEEN_SECRETS_FILE)) ? fs.readFileSync(path.join(root, SEEN_SECRETS_FILE), 'utf8').split('\n').filter((s) => s.length > 0) : [];
  const needles = [...new Set([...seededNeedles([path.join(REPO, 'test'), path.join(REPO, 'main', 'sandbox'), path.join(REPO, 'demo')]), ...seen])];
  const { files, hits } = scanLogs(root, needles);
  const minimum = Number(process.env.TILL_LOG_SCAN_MIN_FILES ?? 0);
  process.stdout.write(`log scan: ${files.length} log file(s) from this run, ${needles.length} seeded value(s) looked for, ${hits.length} hit(s)\n`);
  if (hits.length > 0) {
    // The run root stays for inspection. vitest reports a teardown error but keeps its exit code: set ours.
    process.exitCode = 1;
    throw new Error(`Log scan: secrets or personal data in log files written during the tests (run root ${root} kept):\n${formatHits(hits.slice(0, 50))}`);
  }
  if (files.length < minimum) {
    process.exitCode = 1;
    throw new Error(`Log scan: saw ${files.length} log file(s), expected at least ${minimum}: the tests' logs are no longer kept under ${root} for the scan.`);
  }
  fs.rmSync(root, { recursive: true, force: true });
}
