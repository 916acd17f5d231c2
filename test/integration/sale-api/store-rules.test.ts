import { afterEach, describe, expect, it } from 'vitest';
import { ScanOutputSchema } from '../../../main/api/contract';
import { RULES, SCAN, seedTill, startTestAgent, type TestAgent } from './fixtures';

/**
 * Issue 14: a rule that names stores matches the till's configured store (`store.id`, docs/configuration.md),
 * not its branch id; the store id priced with is the one the receipt reports.
 */
let till: TestAgent | undefined;
afterEach(async () => {
  await till?.close();
  till = undefined;
});

const [dairy, bread] = RULES as unknown as [Record<string, unknown> & { requirement: Record<string, unknown> }, Record<string, unknown> & { requirement: Record<string, unknown> }];
const STORE = 'grunerlokka-4';

describe('rules that name stores', () => {
  it("apply in the configured store and not by the till's branch id", async () => {
    till = await startTestAgent({ config: { demo: true, store: { id: STORE, name: 'Grünerløkka' } }, seed: false });
    seedTill(till.agent.db, [
      { ...dairy, id: 'dairy-here', requirement: { ...dairy.requirement, store_ids: [STORE] } },
      // The test till's branch is oslo-1: a rule naming it must not match a till configured as another store.
      { ...bread, id: 'bread-branch', customers: ['/'], requirement: { ...bread.requirement, store_ids: ['oslo-1'] } },
    ]);
    await till.call('sale/scan', { code: SCAN.milk });
    const out = ScanOutputSchema.parse((await till.call('sale/scan', { code: SCAN.bread })).body);
    const byRule = new Map(out.sale.outcomes.map((o) => [o.ruleId, o]));
    expect(byRule.get('dairy-here')).toMatchObject({ applied: true });
    expect(byRule.get('bread-branch')?.applied ?? false).toBe(false);
    expect(out.sale.lines.find((l) => l.itemId === 'bread')?.discounts).toEqual([]);
  });
});
