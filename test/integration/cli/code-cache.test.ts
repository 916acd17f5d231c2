import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO } from '../../helpers/cli';

const LOADER = path.join(REPO, 'bin', 'code-cache.cjs');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A small bundle that shows what the module system gave it, with a dependency beside it. */
function bundleDir(answer: string): { dir: string; bundle: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-code-cache-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'dep.cjs'), 'module.exports = 41;\n');
  const bundle = path.join(dir, 'bundle.cjs');
  writeBundle(bundle, answer);
  return { dir, bundle };
}

function writeBundle(bundle: string, answer: string): void {
  fs.writeFileSync(
    bundle,
    `const dep = require('./dep.cjs');
module.exports = { answer: ${JSON.stringify(answer)}, dep, dirname: __dirname, filename: __filename, self: require.cache[__filename] === module };
process.stdout.write(JSON.stringify(module.exports));
`,
  );
}

/** Loads the bundle in a fresh Node, as bin/till-agent.cjs does, and returns what it printed. */
function load(bundle: string): Record<string, unknown> {
  const run = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(LOADER)}).requireWithCodeCache(${JSON.stringify(bundle)})`], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

const caches = (dir: string): string[] => fs.readdirSync(dir).filter((n) => n.endsWith('.v8cache'));

describe('the CLI bundle loaded with a V8 code cache (bin/code-cache.cjs)', () => {
  it('runs the bundle as require would, writes the cache on the first run and runs from it on the next', () => {
    const { dir, bundle } = bundleDir('A');
    expect(load(bundle)).toEqual({ answer: 'A', dep: 41, dirname: dir, filename: bundle, self: true });
    expect(caches(dir)).toHaveLength(1);
    const cache = path.join(dir, caches(dir)[0] ?? '');
    const written = fs.statSync(cache).mtimeMs;
    expect(load(bundle)).toMatchObject({ answer: 'A', dep: 41 });
    // An accepted cache is not written again.
    expect(fs.statSync(cache).mtimeMs).toBe(written);
  });

  it("never runs a rebuilt bundle of the same length with the old bundle's code, and drops the old cache", () => {
    const { dir, bundle } = bundleDir('A');
    load(bundle);
    const old = caches(dir);
    writeBundle(bundle, 'B'); // same length: V8's own check, on the length alone, would accept the old cache
    expect(load(bundle)).toMatchObject({ answer: 'B' });
    expect(caches(dir)).toHaveLength(1);
    expect(caches(dir)).not.toEqual(old);
  });

  it('reads a bundle with characters beyond ASCII as UTF-8, from the cache too', () => {
    const { bundle } = bundleDir('Øre – ¼');
    expect(load(bundle)).toMatchObject({ answer: 'Øre – ¼' });
    expect(load(bundle)).toMatchObject({ answer: 'Øre – ¼' });
  });

  it('runs with a corrupt cache file and replaces it', () => {
    const { dir, bundle } = bundleDir('A');
    load(bundle);
    const cache = path.join(dir, caches(dir)[0] ?? '');
    fs.writeFileSync(cache, 'not a code cache');
    expect(load(bundle)).toMatchObject({ answer: 'A', dep: 41 });
    expect(fs.readFileSync(cache).toString()).not.toBe('not a code cache');
  });

  it('runs without a cache where it cannot write one', () => {
    const { dir, bundle } = bundleDir('A');
    fs.chmodSync(dir, 0o555);
    try {
      // root writes anywhere; the test then only shows that loading works, which is what a read-only install needs.
      expect(load(bundle)).toMatchObject({ answer: 'A', dep: 41 });
    } finally {
      fs.chmodSync(dir, 0o755);
    }
  });
});
