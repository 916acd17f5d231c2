/**
 * The short soak of `npm test`: three real till agents against the sandbox for 90 s of sales under faults and
 * at least 50 SIGKILLs, then the drain and the audit (about 2 minutes on 2 cores). The long one is
 * `npm run soak -- --minutes N --kills K` (docs/reliability.md).
 */
import { describe, expect, it } from 'vitest';
import { figuresOf, formatSummary } from './report';
import { runSoak } from './run-soak';

const SEED = 20261123;

describe('soak (short): sales under chaos', () => {
  it(
    'applies every committed effect exactly once across 50+ SIGKILLs and injected faults, and every journal verifies',
    async () => {
      // The sale model test runs in npm test on its own file; only `npm run soak` adds the longer search.
      const result = await runSoak({ minutes: 1.5, kills: 55, tills: 3, seed: SEED, saleEveryMs: 2000, keep: false, json: false, sharedMembers: false, modelRuns: 0 });
      const summary = formatSummary(result);
      const figures = figuresOf(result);
      // The summary names every finding: printed on failure so the run can be replayed with the seed.
      expect(result.crashes, summary).toEqual([]);
      expect(figures.lost, summary).toBe(0);
      expect(figures.duplicated, summary).toBe(0);
      expect(result.audit.verdicts.unsettled, summary).toBe(0);
      expect(result.audit.balanceMismatches, summary).toBe(0);
      expect(result.journals.map((j) => j.ok)).toEqual([true, true, true]);
      const k = result.chaos.kills;
      expect(k.random + k['mid-request'] + k['mid-commit'], summary).toBeGreaterThanOrEqual(50);
      // The run did real work: sales with value tenders and members, and the faults reached the tills.
      // (A till killed every ~5 s loses many sales in progress: the number depends on the machine's load.)
      expect(figures.sales, summary).toBeGreaterThanOrEqual(10);
      expect(result.driver.cliSales, summary).toBeGreaterThan(0);
      expect(result.audit.verdicts.ok, summary).toBeGreaterThan(figures.sales * 2);
      expect(result.chaos.offlinePeriods, summary).toBeGreaterThanOrEqual(1);
      expect(figures.faults, summary).toBeGreaterThan(result.chaos.offlinePeriods);
      expect(result.passed, summary).toBe(true);
    },
    480_000,
  );
});
