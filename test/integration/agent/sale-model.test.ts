import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { namedCommands, type SaleModel, type SaleReal, saleCommands, SaleTill } from '../../helpers/sale-model';
import { fuzzRuns, FUZZ_SEED } from '../../helpers/fuzz';
import { tempDir } from '../../helpers/temp-dir';

/**
 * Issue 16: a model-based test of the real sale service (real SQLite file, the real modules under
 * main/agent/sale/) with in-process fakes behind the MemberDirectory and CardTerminal interfaces whose answers
 * the commands settle, so a lookup or a card payment can finish before, between or after any other step.
 * After every step (test/helpers/sale-model.ts, `checkInvariants`): no unhandled rejection, totals equal the sum
 * of the lines and their discounts, tenders never exceed what is due, every committed sale is in the ledger
 * exactly once, and a basket restored after a restart equals the one before.
 *
 * `npm test` runs RUNS sequences with a fixed seed. A longer search: TILL_SALE_MODEL_RUNS=20000 (or
 * TILL_FUZZ_RUNS), and TILL_FUZZ_SEED to replay the seed a failure printed.
 */
const RUNS = fuzzRuns(1000, { TILL_FUZZ_RUNS: process.env.TILL_SALE_MODEL_RUNS ?? process.env.TILL_FUZZ_RUNS });
const seedEnv = Number(process.env.TILL_FUZZ_SEED);
const SEED = Number.isSafeInteger(seedEnv) ? seedEnv : FUZZ_SEED;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
let root = '';
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
  root = tempDir('till-sale-model-');
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

async function runSequence(cmds: Iterable<fc.AsyncCommand<SaleModel, SaleReal>>, run: number): Promise<void> {
  const dir = path.join(root, `run-${run}`);
  fs.mkdirSync(dir);
  const till = SaleTill.start(dir, unhandled);
  try {
    await fc.asyncModelRun(() => ({ model: till.initialModel(), real: till }), cmds);
  } finally {
    till.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the sale service under random interleavings (model-based)', () => {
  // About a quarter of a second a sequence on a busy 2-core machine; a soak's longer search gets the time it needs.
  it('keeps its invariants after every step', { timeout: Math.max(600_000, RUNS * 1000) }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(saleCommands(), { maxCommands: 40 }), async (cmds) => {
        run += 1;
        await runSequence(cmds, run);
      }),
      { numRuns: RUNS, seed: SEED, examples: REGRESSIONS },
    );
  });
});

/**
 * Sequences that found a real bug once, kept as fixed examples (fast-check runs them first):
 * - seed 20261123, path "1085:2:4:4:3": scan, part-pay 1 in cash, void the line: a payment held for an empty
 *   sale (tenders above what is due). Fixed in SaleSession.assertTendersCovered.
 */
const REGRESSIONS: [Iterable<fc.AsyncCommand<SaleModel, SaleReal>>][] = [[namedCommands(['scan-milk', 'cash-1', 'void-0'])]];
