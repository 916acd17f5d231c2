import fs from 'node:fs';
import { defineConfig } from 'vitest/config';

const pkg = JSON.parse(fs.readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  define: { __TILL_VERSION__: JSON.stringify(pkg.version) },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/soak/**/*.test.ts', 'test/conformance/**/*.test.ts', 'tools/**/*.test.ts'],
    // CLI and end-to-end tests run the built agent; build it once (if sources changed) before any test.
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // A longer fuzz search (TILL_FUZZ_RUNS, test/helpers/fuzz.ts) runs each property for minutes, not seconds.
    testTimeout: process.env.TILL_FUZZ_RUNS ? 600_000 : 30_000,
    hookTimeout: 60_000,
    // A loaded CI machine (many agents and browsers at once) can take seconds for a first scan to reach the
    // screen; the 1 s default made correct runs fail. A poll that never succeeds still fails, only later.
    expect: { poll: { timeout: 10_000 } },
  },
});
