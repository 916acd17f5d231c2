import { spawn } from 'node:child_process';
import path from 'node:path';

const REPO = path.join(import.meta.dirname, '..', '..');
const MODEL_TEST = 'test/integration/agent/sale-model.test.ts';

export type ModelOutcome = { readonly runs: number; readonly passed: boolean; readonly output: string };

/**
 * The sale service's model-based test (random interleavings of scans, slow lookups, tenders, kiosk payments,
 * suspends and restarts, issue 16) with many more sequences than `npm test` gives it, under the soak's seed so
 * a failure replays. It runs in its own vitest process: the test is written for vitest, and a crash there must
 * not take the soak's report with it.
 */
export function runSaleModel(runs: number, seed: number): Promise<ModelOutcome> {
  return new Promise((resolve) => {
    const vitest = path.join(REPO, 'node_modules', 'vitest', 'vitest.mjs');
    const child = spawn(process.execPath, [vitest, 'run', MODEL_TEST], {
      cwd: REPO,
      env: { ...process.env, TILL_SALE_MODEL_RUNS: String(runs), TILL_FUZZ_SEED: String(seed), CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (d: Buffer): void => {
      // The tail is what explains a failure (the counterexample and the seed); the rest is progress.
      output = (output + d.toString()).slice(-20_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('close', (code) => resolve({ runs, passed: code === 0, output }));
  });
}
