import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, startAgent } from '../../../main/agent/start-agent';
import { SaleViewSchema, TenderOutputSchema, type SaleView } from '../../../main/api/contract';
import { loadConfig } from '../../../main/config';
import { startSandbox, type SandboxHandle } from '../../../main/sandbox';
import { importCatalog } from '../../../main/store/catalog';
import { holderFetchedAt, refsOfHolder } from '../../../main/store/discount-refs';
import { outboxStatus } from '../../../main/store/outbox';
import { getRulesCacheMeta } from '../../../main/store/rules-cache';
import { DinteroClient } from '../../../main/sync/connectors/dintero/dintero-client';
import { sandboxEnv } from '../../helpers/sandbox-env';
import { callAgent } from './fixtures';
import { CATALOG, NOW, SCAN } from './seed';

/**
 * Issue 14: a member sale with a customer-specific discount claims it with the ref the back end issued. The rule is
 * given to Ola only; the sandbox issues a random UUID ref for it and refuses claims naming any other ref. The till
 * learns the ref when Ola is identified (`GET discounts/customers/{id}/rules`), prices with it and claims with it.
 */

const OLA = { number: '9990000001', customerId: 'cust-0001' };
const RULE = {
  id: 'milk-for-ola',
  name: 'Milk 20 % for Ola',
  active: true,
  requirement: { purchase_from: '2020-01-01T00:00:00Z', purchase_to: '2040-01-01T00:00:00Z', item: { items: [{ id: 'milk' }] } },
  reward: { type: 'discount_percent', value: 20 },
  customers: [OLA.customerId],
};

let sandbox: SandboxHandle;
let agent: Agent;
let dataDir: string;

const call = (p: string, body?: unknown): Promise<{ status: number; body: unknown }> => callAgent(agent, p, body);

async function sale(p: string, body: unknown): Promise<SaleView> {
  const r = await call(p, body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return SaleViewSchema.parse(r.body);
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, demo: true, data: { rules: [RULE] } });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-refs-'));
  const { config } = loadConfig({ dataDir, env: { TILL_BRANCH_ID: 'oslo-1', TILL_POS_ID: 'pos-8', TILL_LOCALE: 'en-GB', ...sandboxEnv(sandbox) } });
  agent = await startAgent({ config, port: 0, rendererDir: undefined });
  importCatalog(agent.db, CATALOG.map((item, i) => ({ line: i + 2, item })), NOW);
});

afterAll(async () => {
  await agent.close();
  await sandbox.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a customer discount claimed with the ref Dintero issued', { timeout: 60_000 }, () => {
  it('is not given before the customer is identified, is given after, and its claim names the server ref', async () => {
    // The rules job runs at start: the rules, then the public refs.
    await expect.poll(() => getRulesCacheMeta(agent.db)?.ruleCount ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => holderFetchedAt(agent.db, '*') !== undefined, { timeout: 20_000 }).toBe(true);
    const scanned = await call('sale/scan', { code: SCAN.milk });
    expect(scanned.status).toBe(200);
    const anonymous = SaleViewSchema.parse((scanned.body as { sale: unknown }).sale);
    expect(anonymous.outcomes.find((o) => o.ruleId === RULE.id)?.applied ?? false).toBe(false);
    expect(holderFetchedAt(agent.db, OLA.customerId)).toBeUndefined();
    const view = await sale('sale/customer', { memberNumber: OLA.number });
    // Identification fetched Ola's refs: the one for this rule is a server UUID, nothing derived from ids.
    const refs = refsOfHolder(agent.db, OLA.customerId).filter((r) => r.ruleId === RULE.id);
    expect(refs).toHaveLength(1);
    const ref = refs[0]?.refId ?? '';
    expect(ref).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ref).not.toContain(RULE.id);
    const outcome = view.outcomes.find((o) => o.ruleId === RULE.id);
    expect(outcome).toMatchObject({ applied: true, amount: 478 });
    const done = TenderOutputSchema.parse((await call('sale/tender', { kind: 'cash', amount: 10_000 })).body);
    expect(done.committed).toBe(true);
    const receiptId = done.receipt?.receiptId ?? '';
    await expect.poll(() => outboxStatus(agent.db, new Date()).counts.done, { timeout: 20_000 }).toBe(1);
    expect(outboxStatus(agent.db, new Date()).counts.needs_attention ?? 0).toBe(0);
    // The sandbox accepted the claim (it refuses unknown refs), and the claim names exactly that ref.
    const client = new DinteroClient({ baseUrl: sandbox.dinteroUrl, accountId: sandbox.accountId, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, posId: 'test', branchId: 'test' });
    const claims = await client.call({ method: 'GET', path: 'discounts/available_for_receipt/claims', query: { customer_id: OLA.customerId, limit: 100 } });
    if (!claims.ok) throw new Error('claims not listed');
    const mine = (claims.body as { ref: string; discounts: { id: string; refs: { id: string }[] }[] }[]).filter((c) => c.ref.startsWith(receiptId));
    expect(mine).toHaveLength(1);
    // Demo rules given to Ola apply as well; each names a ref the sandbox issued (or it would have refused the claim).
    expect(mine[0]?.discounts.find((d) => d.id === RULE.id)).toEqual({ id: RULE.id, refs: [{ id: ref, amount: 478, usage: 1 }] });
    const known = new Set(refsOfHolder(agent.db, OLA.customerId).map((r) => r.refId));
    for (const d of mine[0]?.discounts ?? []) for (const r of d.refs) expect(known.has(r.id) || refsOfHolder(agent.db, '*').some((p) => p.refId === r.id)).toBe(true);
  });
});
