import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Agent, startAgent } from '../../../main/agent/start-agent';
import { SaleViewSchema, TenderOutputSchema, type SaleView } from '../../../main/api/contract';
import { loadConfig } from '../../../main/config';
import { startSandbox, type SandboxHandle } from '../../../main/sandbox';
import { outboxStatus } from '../../../main/store/outbox';
import { callAgent } from './fixtures';
import { BREAD, RULES, SCAN, SOAP, seedTill } from './seed';
import { sandboxEnv } from '../../helpers/sandbox-env';

/**
 * Customer identification and value tenders through the loopback API of a real agent, against the sandbox's
 * Loyalty POS and Dintero simulators (demo members and gift cards), online and then offline (the sandbox stops
 * listening) where the till answers from its caches and holds value tenders to the offline limits.
 */

const OLA = { number: '9990000001', key: '5a7d0000-0000-4000-8000-000000000001', customerId: 'cust-0001', phone: '+47 99 99 99 01', points: 1250 };
const KARI = { phone: '+47 999 99 902', name: 'Kari Nordmann' };

let sandbox: SandboxHandle;
let agent: Agent;
let dataDir: string;

const call = (p: string, body?: unknown): Promise<{ status: number; body: unknown }> => callAgent(agent, p, body);

async function sale(p: string, body: unknown): Promise<SaleView> {
  const r = await call(p, body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return SaleViewSchema.parse(r.body);
}

async function scan(code: string): Promise<SaleView> {
  const r = await call('sale/scan', { code });
  expect(r.status).toBe(200);
  return SaleViewSchema.parse((r.body as { sale: unknown }).sale);
}

async function tender(body: unknown): Promise<{ status: number; body: unknown }> {
  return call('sale/tender', body);
}

function errorMessage(body: unknown): string {
  return (body as { error: { message: string } }).error.message;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, demo: true, data: { rules: RULES }, paymentAsset: 'points' });
  // Not tempDir(): that removes the directory after the first test, and this agent lives for the whole file.
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-members-'));
  const { config } = loadConfig({
    dataDir,
    env: {
      TILL_BRANCH_ID: 'oslo-1',
      TILL_POS_ID: 'pos-7',
      TILL_LOCALE: 'en-GB',
      ...sandboxEnv(sandbox),
    },
  });
  agent = await startAgent({ config, port: 0, rendererDir: undefined });
  seedTill(agent.db);
});

afterAll(async () => {
  await agent.close();
  await sandbox.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('identifying the customer and paying with gift cards and points', { timeout: 60_000 }, () => {
  it('online: finds a member by membership number, re-prices the basket for them, and shows name and points', async () => {
    await scan(SCAN.bread);
    let view = await scan(SCAN.milk);
    expect(view.lines.find((l) => l.itemId === 'bread')?.net).toBe(BREAD.unitPrice);
    view = await sale('sale/customer', { memberNumber: OLA.number });
    expect(view.customer).toMatchObject({ memberId: OLA.key, customerId: OLA.customerId, name: 'Ola Nordmann', maskedId: '•••• 0001' });
    expect(view.customer?.points).toMatchObject({ amount: OLA.points, source: 'online' });
    // Members' rules now apply (bread 25,- for members, and the demo rules granted to Ola).
    expect(view.lines.find((l) => l.itemId === 'bread')?.net).toBeLessThan(2500);
    expect(view.outcomes.find((o) => o.ruleId === 'bread-members')?.reason).not.toBe('not_granted');
    expect(view.notice).toMatchObject({ code: 'member', subject: 'Ola Nordmann' });
  });

  it('online: by phone number, in any spacing, and by a scanned member QR, which is never looked up as an item', async () => {
    let view = await sale('sale/customer', { phone: KARI.phone });
    expect(view.customer?.name).toBe(KARI.name);
    const lines = view.lines.length;
    const scanned = await call('sale/scan', { code: 'MEMBER:9990000003' });
    expect(scanned.status).toBe(200);
    const outcome = scanned.body as { ok: boolean; notice: { code: string }; sale: unknown };
    expect(outcome.ok).toBe(true);
    expect(outcome.notice.code).toBe('member');
    view = SaleViewSchema.parse(outcome.sale);
    expect(view.customer?.name).toBe('Per Hansen');
    expect(view.lines).toHaveLength(lines);
  });

  it('an unknown member is a clear error, and the sale is exactly as it was', async () => {
    const before = await sale('sale/customer', { memberNumber: OLA.number });
    const r = await call('sale/customer', { memberNumber: '12345678' });
    expect(r.status).toBe(404);
    expect(errorMessage(r.body)).toBe('No member has membership number 12345678. The sale is unchanged.');
    const after = SaleViewSchema.parse((await call('sale')).body);
    expect(after.customer).toEqual(before.customer);
    expect(after.lines).toEqual(before.lines);
    // A bad QR payload and a bad phone number are input errors naming the field.
    const badQr = await call('sale/customer', { qr: 'MEMBER:12ab' });
    expect(badQr.status).toBe(400);
    expect(errorMessage(badQr.body)).toContain('qr');
    const badPhone = await call('sale/customer', { phone: 'call me' });
    expect(badPhone.status).toBe(400);
    expect(errorMessage(badPhone.body)).toContain('phone');
  });

  it('points pay part of the sale (split), the rest in cash; the payment reaches the Loyalty API', async () => {
    let view = await sale('sale/customer', { memberNumber: OLA.number });
    const due = view.totals.net;
    expect(due).toBeGreaterThan(OLA.points);
    const first = TenderOutputSchema.parse((await tender({ kind: 'points' })).body);
    expect(first.committed).toBe(false);
    view = first.sale;
    expect(view.tenders).toEqual([{ kind: 'points', amount: OLA.points, offline: false, balance: expect.objectContaining({ amount: OLA.points, source: 'online' }) as unknown }]);
    expect(view.remaining).toBe(due - OLA.points);
    const done = TenderOutputSchema.parse((await tender({ kind: 'cash', amount: 10_000 })).body);
    expect(done.committed).toBe(true);
    expect(done.receipt?.tenders.map((t) => [t.kind, t.amount, t.offline])).toEqual([
      ['loyalty_points', OLA.points, false],
      ['cash', due - OLA.points, false],
    ]);
    expect(done.receipt?.memberId).toBe(OLA.key);
    await expect.poll(() => outboxStatus(agent.db, new Date()).counts.done, { timeout: 20_000 }).toBe(1);
    // All 1 250 points spent; the sale earns one point per 10 kr paid otherwise (the sandbox's earn rule).
    expect(sandbox.inspect().memberBalances[OLA.key]?.points).toBe(Math.floor((due - OLA.points) / 1000));
  });

  it('a gift card: the balance is checked, a payment above it is refused, without an amount it pays its balance', async () => {
    await scan(SCAN.soap);
    const check = await call('gift-card/check', { cardNumber: 'GC1000000004' });
    expect(check.body).toMatchObject({ status: 'found', maskedCard: '•••• 0004', balance: { amount: 2000, source: 'online' } });
    const unknown = await call('gift-card/check', { cardNumber: 'GC9999999999' });
    expect(unknown.body).toMatchObject({ status: 'not_found' });
    const tooMuch = await tender({ kind: 'gift_card', cardNumber: 'GC1000000004', amount: 3000 });
    expect(tooMuch.status).toBe(422);
    expect(errorMessage(tooMuch.body)).toBe("The gift card's balance is 20.00 NOK; this payment of 30.00 NOK is more than the 20.00 NOK left. Pay the rest another way.");
    const part = TenderOutputSchema.parse((await tender({ kind: 'gift_card', cardNumber: 'GC1000000004' })).body);
    expect(part.sale.tenders).toMatchObject([{ kind: 'gift_card', amount: 2000, reference: '•••• 0004', offline: false }]);
    const done = TenderOutputSchema.parse((await tender({ kind: 'card', terminalRef: 'T-1' })).body);
    expect(done.committed).toBe(true);
    expect(done.receipt?.totals.net).toBe(SOAP.unitPrice);
  });

  it('offline: members come from the cache with their balance age; phone numbers are stored only hashed; limits refuse clearly', async () => {
    // Read the 500,- card once online so its balance is cached.
    expect((await call('gift-card/check', { cardNumber: 'GC1000000001' })).body).toMatchObject({ status: 'found' });
    await sandbox.setOffline(true);

    await scan(SCAN.milk);
    await scan(SCAN.soap);
    let view = await sale('sale/customer', { memberNumber: OLA.number });
    expect(view.customer).toMatchObject({ memberId: OLA.key, customerId: OLA.customerId, name: 'Ola Nordmann' });
    expect(view.customer?.points?.source).toBe('cache');
    view = await sale('sale/customer', { phone: '+4799999902' });
    expect(view.customer?.name).toBe(KARI.name);
    expect(view.customer?.points?.source).toBe('cache');
    const never = await call('sale/customer', { memberNumber: '9990000005' });
    // Not "no such member": the back end was never asked, so the code says so (and the screen may retry).
    expect(never.status).toBe(503);
    expect(never.body).toMatchObject({ error: { code: 'BACKEND_UNREACHABLE' } });
    expect(errorMessage(never.body)).toContain('cannot be reached');

    // Points offline are off by default (docs/ledger.md): refused at once with the ledger's own message.
    const points = await tender({ kind: 'points', amount: 100 });
    expect(points.status).toBe(422);
    expect(errorMessage(points.body)).toBe('Offline loyalty-points payments are not accepted at this till; take another payment method, or wait until the till is back online.');
    // The same refusal when the points tender would complete the sale (checked inside the commit).
    const whole = await tender({ kind: 'points', amount: view.remaining });
    expect(whole.status).toBe(422);
    expect(errorMessage(whole.body)).toContain('Offline loyalty-points payments are not accepted');
    expect(SaleViewSchema.parse((await call('sale')).body).tenders).toEqual([]);

    // A gift card over its last known balance is refused, with the age of that balance: the 20,- drawn at
    // tender time above left the cached balance at 0 at once.
    const over = await tender({ kind: 'gift_card', cardNumber: 'GC1000000004', amount: 3000 });
    expect(over.status).toBe(422);
    expect(errorMessage(over.body)).toMatch(/^The card's last known balance is 0\.00 NOK \(as of (less than a minute|\d+ min) ago\); this payment of 30\.00 NOK is more than the 0\.00 NOK left\.$/);
    // Within the limits: taken offline, and the sale commits with the risk recorded.
    const ok = TenderOutputSchema.parse((await tender({ kind: 'gift_card', cardNumber: 'GC1000000001' })).body);
    expect(ok.committed).toBe(true);
    expect(ok.receipt?.tenders).toEqual([{ kind: 'gift_card', amount: ok.receipt?.totals.net, reference: expect.any(String) as unknown, offline: true }]);
    expect(ok.receipt?.totals.net).toBe(view.totals.net);

    // No phone number in the clear anywhere in the till's database or log.
    const dbFile = agent.db.name;
    const file = fs.readFileSync(dbFile);
    const wal = fs.existsSync(`${dbFile}-wal`) ? fs.readFileSync(`${dbFile}-wal`) : Buffer.alloc(0);
    const log = fs.readFileSync(path.join(dataDir, 'logs', 'till-agent.log'));
    for (const blob of [file, wal, log]) {
      expect(blob.includes('99999902')).toBe(false);
      expect(blob.includes('999 99 902')).toBe(false);
    }
    await sandbox.setOffline(false);
  });
});
