/**
 * A benchmark entry. Each `test/bench/*.bench.ts` default-exports an array of these; `npm run bench` runs them
 * (all, or `--only NAME`) and reports p50/p99 in ms and the RSS after the run. Names are stable identifiers
 * (`area.what.size`), because targets and dashboards key on them.
 */
export type BenchEntry = {
  readonly name: string;
  /** What the target is, for the table (e.g. "p99 <= 1 ms"). */
  readonly target?: string;
  /** Samples to take; defaults to the runner's choice. One sample = one call of `run`. */
  readonly samples?: number;
  /** Runs once before sampling; what it returns is handed to `run` and `teardown`. */
  setup?(): unknown;
  /**
   * One sample. It may return `{ rssMb }` when the memory that matters is another process's (a spawned agent);
   * otherwise the runner reports this process's RSS after the entry.
   */
  run(state: unknown): unknown;
  /**
   * Runs untimed after each sample: what the real process does between two of them (a till checkpoints its
   * WAL while it waits for the next customer; see main/agent/idle-checkpoints.ts).
   */
  idle?(state: unknown): unknown;
  teardown?(state: unknown): unknown;
};
