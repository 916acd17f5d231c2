import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, REPO } from '../../helpers/cli';

const { lazyBuiltin } = createRequire(import.meta.url)(path.join(REPO, 'scripts', 'lazy-builtin.cjs')) as {
  lazyBuiltin: <T extends object>(load: () => T) => T;
};

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('a module handed to the bundled libraries as a stand-in (scripts/lazy-builtin.cjs)', () => {
  it('is loaded on the first use of one of its members, once, and then behaves as the module', () => {
    let loads = 0;
    const real = { answer: 42, greet: (name: string) => `hello ${name}` };
    const lazy = lazyBuiltin(() => (loads++, real));
    expect(loads).toBe(0);
    expect(lazy.greet('till')).toBe('hello till');
    expect(lazy.answer).toBe(42);
    expect('greet' in lazy).toBe(true);
    expect(Object.keys(lazy)).toEqual(['answer', 'greet']);
    expect({ ...lazy }).toEqual(real);
    expect(loads).toBe(1);
  });
});

/** Node's modules the agent loaded by the time it printed its ready line (a preload reports them to stderr). */
async function builtinsAtReady(): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-lazy-builtins-'));
  dirs.push(dir);
  const probe = path.join(dir, 'probe.cjs');
  fs.writeFileSync(
    probe,
    `const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (...args) => {
  process.stderr.write('BUILTINS ' + JSON.stringify(process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13))) + '\\n');
  process.stdout.write = write;
  return write(...args);
};\n`,
  );
  const child = spawn(process.execPath, ['--require', probe, CLI, 'serve', '--port', '0', '--data-dir', path.join(dir, 'data')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TILL_DEMO: 'false' },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`the agent exited with ${code}: ${stderr}`)));
    });
    const line = /BUILTINS (.*)/.exec(stderr)?.[1];
    expect(line, stderr).toBeDefined();
    return JSON.parse(line ?? '[]') as string[];
  } finally {
    child.kill('SIGKILL');
  }
}

describe('the agent at start-up (scripts/build.mjs, lazy builtins)', () => {
  it('serves without loading the HTTP/2, HTTPS, TLS or compression modules its libraries only may need', async () => {
    const loaded = await builtinsAtReady();
    expect(loaded).toContain('http'); // the probe works: the API server is up
    for (const lazy of ['http2', 'https', 'tls', 'zlib']) expect(loaded, lazy).not.toContain(lazy);
  });
});
