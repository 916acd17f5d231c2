import type fc from 'fast-check';

/**
 * Run parameters for the fast-check properties that fuzz the till's inputs. `npm test` runs each property with
 * a fixed seed and its own modest number of runs, so a failure reproduces exactly; `npm run soak` (or anyone)
 * sets `TILL_FUZZ_RUNS` for a longer search, and `TILL_FUZZ_SEED` to replay the seed a failure printed.
 */
export const FUZZ_SEED = 20261123;

export function fuzzRuns(base: number, env: NodeJS.ProcessEnv = process.env): number {
  const wanted = Number(env.TILL_FUZZ_RUNS);
  return Number.isSafeInteger(wanted) && wanted > base ? wanted : base;
}

export function fuzzParams<T = unknown>(base: number, env: NodeJS.ProcessEnv = process.env): fc.Parameters<T> {
  const seed = Number(env.TILL_FUZZ_SEED);
  return { seed: Number.isSafeInteger(seed) ? seed : FUZZ_SEED, numRuns: fuzzRuns(base, env) };
}
