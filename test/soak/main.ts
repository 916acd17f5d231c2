/**
 * `npm run soak -- [--minutes N] [--kills K] [--tills T] [--seed S] [--json]`: runs the soak, prints a summary
 * table (progress on stderr), and with `--json` ends with exactly one JSON line of figures. Exits 1 when an
 * effect was lost or duplicated, a journal fails, a balance is off or a till crashed; 2 on a usage error.
 */
import { parseSoakArgs, SoakUsageError } from './options';
import { formatSummary, figuresOf } from './report';
import { runSoak } from './run-soak';
import { runSaleModel } from './model-runs';
import { killAllChildren } from './till';

async function main(): Promise<number> {
  let options;
  try {
    options = parseSoakArgs(process.argv.slice(2), Date.now() % 1_000_000);
  } catch (err) {
    if (err instanceof SoakUsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const result = await runSoak(options, (line) => process.stderr.write(`soak: ${line}\n`));
  process.stdout.write(formatSummary(result));
  let modelPassed = true;
  if (options.modelRuns > 0) {
    process.stderr.write(`soak: sale model test, ${options.modelRuns} sequences, seed ${options.seed}\n`);
    const model = await runSaleModel(options.modelRuns, options.seed);
    modelPassed = model.passed;
    process.stdout.write(`Sale model test: ${model.runs} sequences, seed ${options.seed}: ${model.passed ? 'passed' : 'FAILED'}\n`);
    if (!model.passed) process.stdout.write(`${model.output}\n`);
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ ...figuresOf(result), model_runs: options.modelRuns, model_passed: modelPassed })}\n`);
  return result.passed && modelPassed ? 0 : 1;
}

// Whatever ends the harness, its till agents end with it.
process.on('exit', killAllChildren);

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`soak: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
