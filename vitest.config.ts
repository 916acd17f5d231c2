import { defineConfig } from 'vitest/config';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts', 'tools/**/*.test.ts'],
    // Integration and e2e tests start real servers and browsers; two cores, so keep parallelism modest.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
