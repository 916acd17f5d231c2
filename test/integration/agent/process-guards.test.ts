import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/temp-dir';

const run = promisify(execFile);
const child = path.join(import.meta.dirname, 'guard-child.ts');
const tsx = path.resolve('node_modules/.bin/tsx');

async function inject(fault: string, dir: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(tsx, [child, fault, dir], { timeout: 20_000 });
    return { code: 0, stdout };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '' };
  }
}

describe('the agent process guards (a real process, a real SQLite file)', () => {
  it('logs an unhandled rejection with context and keeps running', async () => {
    const dir = tempDir();
    const { code, stdout } = await inject('rejection', dir);
    expect(code).toBe(0);
    expect(stdout).toContain('alive');
    const logged = JSON.parse(stdout.split('\n')[0] ?? '{}') as Record<string, string>;
    expect(logged).toMatchObject({ level: 'error', posId: 'till-9', err: 'Error: injected rejection' });
  });

  it('logs an uncaught exception, closes the database with the committed data in it, and exits 1', async () => {
    const dir = tempDir();
    const { code, stdout } = await inject('exception', dir);
    expect(code).toBe(1);
    expect(stdout).not.toContain('alive');
    expect(stdout).toContain('injected exception');
    const db = new Database(path.join(dir, 'till.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM committed').get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });
});
