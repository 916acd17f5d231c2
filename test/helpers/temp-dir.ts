import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { findLogFiles, RUN_ROOT_ENV, secretsInDataDir, SEEN_SECRETS_FILE } from './log-scan';

const made: string[] = [];

/** A fresh directory under the OS temp folder, removed after the test. */
export function tempDir(prefix = 'till-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) {
    keepForLogScan(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * Before a test's directory goes, its log files move under the run root and the secrets it held (API token,
 * back-end credentials) are noted, so the whole-run log scan at teardown (test/global-setup.ts) sees them.
 * A rename keeps a still-open log file writing into the moved file.
 */
function keepForLogScan(dir: string): void {
  const root = process.env[RUN_ROOT_ENV];
  if (!root || !fs.existsSync(dir)) return;
  const kept = path.join(root, 'kept-logs', `${path.basename(dir)}-${process.pid}`);
  for (const file of findLogFiles(dir)) {
    const target = path.join(kept, path.relative(dir, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(file, target);
  }
  const secrets = secretsInDataDir(dir);
  if (secrets.length > 0) fs.appendFileSync(path.join(root, SEEN_SECRETS_FILE), `${secrets.join('\n')}\n`, { mode: 0o600 });
}

/** Every file under `dir` with its size and modification time, to prove a failed start changed nothing. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = fs.statSync(p);
        out[path.relative(dir, p)] = `${st.size}:${st.mtimeMs}:${fs.readFileSync(p).toString('base64').slice(0, 64)}`;
      }
    }
  };
  walk(dir);
  return out;
}
