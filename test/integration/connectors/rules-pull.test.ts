import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { buildIndex, parseRules } from '../../../main/core/discounts';
import { startSandbox, type DemoData, type SandboxHandle } from '../../../main/sandbox';
import { openDb, type WritableDb } from '../../../main/store';
import { applyRulesPull, getRulesCacheMeta, listCachedRules } from '../../../main/store/rules-cache';
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

type Setup = { sb: SandboxHandle; db: WritableDb; puller: RulesPuller; now: { t: number }; urls: URL[]; admin: DinteroClient };

async function setup(rules: number, clock?: { t: number }): Promise<Setup> {
  const now = clock ?? { t: Date.parse('2026-11-23T10:00:00Z') };
  sandbox = await startSandbox({ strictIdentification: true, data: { rules: demoRules(rules) }, ...(clock ? { now: () => new Date(clock.t) } : {}) });
  db = openDb(dbPath(tempDir()));
  // Every request the puller builds, to check it against what the API offers.
  const urls: URL[] = [];
  const recording = (url: string, init: RequestInit): Promise<Response> => {
    urls.push(new URL(url));
    return fetch(url, init);
  };
  const ids = { baseUrl: sandbox.dinteroUrl, accountId: sandbox.accountId, posId: 'till-7', branchId: 'oslo-1' };
  const client = new DinteroClient({ ...ids, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, fetch: recording });
  const admin = new DinteroClient({ ...ids, clientId: sandbox.adminClientId, clientSecret: sandbox.adminClientSecret });
  return { sb: sandbox, db, puller: new RulesPuller(client, db, () => now.t), now, urls, admin };
}

const ruleCalls = (urls: readonly URL[]): URL[] => urls.filter((u) => u.pathname.endsWith('/discounts/rules'));
const cachedIds = (db: WritableDb): string[] => (listCachedRules(db) as { id: string }[]).map((r) => r.id);

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

  it('never sends include (the API offers only statistics), and never since_datetime with starting_after', async () => {
    const { puller, urls, sb } = await setup(250);
    await puller.pull();
    sb.load({ rules: demoRules(3, 'later') });
    await puller.pull({});
    const calls = ruleCalls(urls);
    expect(calls.length).toBeGreaterThanOrEqual(4);
    for (const u of calls) {
      expect(u.searchParams.has('include')).toBe(false);
      expect(u.searchParams.has('since_datetime') && u.searchParams.has('starting_after')).toBe(false);
      expect(u.searchParams.get('state')).toBe('all');
      expect(u.searchParams.get('limit')).toBe('100');
    }
    expect(calls.some((u) => u.searchParams.has('since_datetime'))).toBe(true);
    expect(calls.some((u) => u.searchParams.has('starting_after'))).toBe(true);
  });

  it('drops a rule deleted upstream from the change feed, and one deactivated upstream', async () => {
    const clock = { t: Date.parse('2026-11-23T10:00:00Z') };
    const { db, puller, admin, sb } = await setup(5, clock);
    await puller.pull();
    expect(cachedIds(db)).toHaveLength(5);
    clock.t += 60_000;
    const deleted = await admin.call({ method: 'DELETE', path: 'discounts/rules/rule-00001' });
    expect(deleted.ok).toBe(true);
    const [third] = demoRules(5).slice(3, 4);
    if (!third) throw new Error('no rule');
    sb.load({ rules: [{ ...third, active: false }] });
    const result = await puller.pull();
    expect(result).toMatchObject({ status: 'updated', full: false });
    expect(cachedIds(db)).toEqual(['rule-00000', 'rule-00002', 'rule-00004']);
    expect(getRulesCacheMeta(db)?.ruleCount).toBe(3);
  });

  it('a full resync drops a rule the listing no longer has, even one the change feed never reported', async () => {
    const { db, puller } = await setup(4);
    await puller.pull();
    // A rule the till cached that the back end no longer lists at all (removed outside the feed).
    applyRulesPull(db, { full: false, upserts: [{ id: 'ghost', body: { id: 'ghost' }, updatedAt: null }], deletes: [] }, (d) => ({ ...(getRulesCacheMeta(d) ?? { version: 'v', etag: null, sinceWatermark: null }), fetchedAt: 0 }));
    expect(cachedIds(db)).toContain('ghost');
    const incremental = await puller.pull();
    expect(incremental.status === 'not_modified' || (incremental.status === 'updated' && !incremental.full)).toBe(true);
    expect(cachedIds(db)).toContain('ghost');
    const full = await puller.pull({ full: true });
    expect(full).toMatchObject({ status: 'updated', full: true, received: 4 });
    expect(cachedIds(db)).not.toContain('ghost');
  });

  it('turns an incremental pull into a full one when a full page does not move since_datetime (all stamped at once)', async () => {
    const { db, puller, sb, urls } = await setup(3);
    await puller.pull();
    // 120 rules stamped in the same instant as the watermark: the feed cannot page past them.
    sb.load({ rules: demoRules(120, 'bulk') });
    const result = await puller.pull();
    expect(result).toMatchObject({ status: 'updated', full: true, received: 123 });
    expect(cachedIds(db)).toHaveLength(123);
    const calls = ruleCalls(urls);
    const feed = calls.filter((u) => u.searchParams.has('since_datetime'));
    // The feed was tried, got stuck on the bulk's instant, and the full listing followed it.
    expect(feed.length).toBeGreaterThanOrEqual(1);
    expect(calls.indexOf(feed.at(-1) as URL)).toBeLessThan(calls.findIndex((u) => u.searchParams.has('starting_after')));
  });
});
