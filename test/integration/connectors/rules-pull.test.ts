import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { buildIndex, parseRules } from '../../../main/core/discounts';
import { startSandbox, type DemoData, type SandboxHandle } from '../../../main/sandbox';
import { openDb, type WritableDb } from '../../../main/store';
import { getRulesCacheMeta, listCachedRules } from '../../../main/store/rules-cache';
import { DinteroClient } from '../../../main/sync/connectors/dintero/dintero-client';
import { RulesPuller } from '../../../main/sync/pull/rules-pull';
import { tempDir } from '../../helpers/temp-dir';

function demoRules(count: number, prefix = 'rule'): NonNullable<DemoData['rules']> {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${String(i).padStart(5, '0')}`,
    name: `Rule ${i}`,
    requirement: { purchase_from: '2020-01-01T00:00:00Z', purchase_to: '2035-01-01T00:00:00Z', item: { items: [{ id: `70380100${String(i % 1000).padStart(5, '0')}` }] } },
    reward: { type: 'discount_percent', value: 5 + (i % 20) },
    customers: ['*'],
  }));
}

let sandbox: SandboxHandle | undefined;
let db: WritableDb | undefined;
afterEach(async () => {
  db?.close();
  await sandbox?.close();
  sandbox = undefined;
  db = undefined;
});

async function setup(rules: number): Promise<{ sb: SandboxHandle; db: WritableDb; puller: RulesPuller; now: { t: number } }> {
  sandbox = await startSandbox({ strictIdentification: true, data: { rules: demoRules(rules) } });
  db = openDb(dbPath(tempDir()));
  const now = { t: Date.parse('2026-11-23T10:00:00Z') };
  const client = new DinteroClient({ baseUrl: sandbox.dinteroUrl, accountId: sandbox.accountId, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, posId: 'till-7', branchId: 'oslo-1' });
  return { sb: sandbox, db, puller: new RulesPuller(client, db, () => now.t), now };
}

describe('RulesPuller against the sandbox', () => {
  it('pulls every page into the cache with the ETag as version and the fetch time', async () => {
    const { db, puller, now } = await setup(250);
    const result = await puller.pull();
    expect(result).toMatchObject({ status: 'updated', pages: 3, received: 250, full: true });
    const meta = getRulesCacheMeta(db);
    expect(meta?.ruleCount).toBe(250);
    expect(meta?.version).toMatch(/^"rules-\d+"$/);
    expect(meta?.fetchedAt).toBe(now.t);
    const parsed = parseRules(listCachedRules(db));
    expect(parsed.rejected).toEqual([]);
    expect(parsed.rules).toHaveLength(250);
  });

  it('answers an unchanged set with 304 and only moves the "as of" time', async () => {
    const { db, puller, now, sb } = await setup(20);
    await puller.pull();
    const before = getRulesCacheMeta(db);
    now.t += 60_000;
    const again = await puller.pull();
    expect(again.status).toBe('not_modified');
    expect(getRulesCacheMeta(db)).toEqual({ ...before, fetchedAt: now.t });
    expect(sb.inspect().requests['dintero.rules.list']).toBe(2);
  });

  it('pulls only the changes since the last pull, and a new version', async () => {
    const { db, puller, sb } = await setup(30);
    await puller.pull();
    const v1 = getRulesCacheMeta(db)?.version;
    sb.load({ rules: demoRules(5, 'new') });
    const result = await puller.pull();
    // The feed's boundary is inclusive: rules stamped in the same instant as the watermark come again.
    expect(result).toMatchObject({ status: 'updated', full: false });
    expect(getRulesCacheMeta(db)?.ruleCount).toBe(35);
    expect(getRulesCacheMeta(db)?.version).not.toBe(v1);
    expect(buildIndex(parseRules(listCachedRules(db)).rules)).toBeDefined();
  });

  it('keeps the cache when the back end is offline', async () => {
    const { db, puller, sb } = await setup(10);
    await puller.pull();
    const before = getRulesCacheMeta(db);
    await sb.setOffline(true);
    const result = await puller.pull();
    expect(result).toMatchObject({ status: 'failed', failure: { kind: 'transient' } });
    expect(getRulesCacheMeta(db)).toEqual(before);
    expect(listCachedRules(db)).toHaveLength(10);
  });
});
