import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../main/agent/start-agent';
import { SaleViewSchema, TenderOutputSchema } from '../../../main/api/contract';
import { startSandbox, type SandboxHandle } from '../../../main/sandbox';
import { getBalance } from '../../../main/store/balance-cache';
import { callAgent } from '../sale-api/fixtures';
import { SCAN } from '../sale-api/seed';
import { type SandboxTill, startSandboxTill } from '../../helpers/sandbox-till';

/**
 * Points and gift cards are settled at tender time, while the customer is at the till (issue 15 part A.2, A.3):
 * the sandbox holds the payment before the sale commits, the outbox does not pay it again, the cached balance
 * drops at once, and a `/payment` whose answer is lost (reset after apply) is treated as unpaid at the till and
 * handed to the outbox's check, never sent again blindly.
 */

const member = (n: number) => ({
  customerId: `cust-st-${n}`,
  membershipKey: `5e000000-0000-4000-8000-00000000000${n}`,
  externalId: `777000000${n}`,
  firstName: 'Settle',
  lastName: `Member${n}`,
  phoneNumber: `+479777700${n}`,
  email: `st${n}@example.com`,
  birthday: '1980-01-01',
  allowedSMS: false,
  allowedEmail: false,
  termsOfUse: true,
  gdpr: true,
  points: 1022,
  credit: 0,
});
const MEMBERS = [member(1), member(2)];
const CARD = { card_id: 'gc-st-1', token: 'GC777000001', amount: 1022, currency: 'NOK' };

let sandbox: SandboxHandle;
let agent: Agent;
let till: SandboxTill;

const call = (p: string, body?: unknown): Promise<{ status: number; body: unknown }> => callAgent(agent, p, body);

async function basket(memberNumber?: string): Promise<number> {
  await call('sale/cancel', {});
  for (const code of [SCAN.soap, SCAN.milk]) expect((await call('sale/scan', { code })).status).toBe(200);
  if (memberNumber) expect((await call('sale/customer', { memberNumber })).status).toBe(200);
  return SaleViewSchema.parse((await call('sale')).body).totals.net;
}

const paymentsOf = (key: string) => sandbox.inspect().payments.filter((p) => p.membershipKey === key);
const points = (key: string) => sandbox.inspect().memberBalances[key]?.points;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, demo: true, data: { members: MEMBERS, giftCards: [CARD] }, paymentAsset: 'points' });
  till = await startSandboxTill(sandbox, { posId: 'pos-8' });
  agent = till.agent;
});

afterAll(async () => {
  await till.close();
  await sandbox.close();
});

describe('value tenders settled at tender time', { timeout: 60_000 }, () => {
  it('points and a gift card are drawn before the sale commits, once, and the cached balances drop at once', async () => {
    const key = MEMBERS[0]?.membershipKey ?? '';
    const due = await basket('7770000001');
    let r = await call('sale/tender', { kind: 'points', amount: 300 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(points(key)).toBe(722);
    expect(getBalance(agent.db, 'loyalty_points', key)?.balanceMinor).toBe(722);
    r = await call('sale/tender', { kind: 'gift_card', cardNumber: CARD.token, amount: 400 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(sandbox.inspect().walletBalances[CARD.card_id]?.balance).toBe(622);
    // An offline lookup right after does not show the money just spent.
    await sandbox.setOffline(true);
    try {
      const check = await call('gift-card/check', { cardNumber: CARD.token });
      expect(check.body).toMatchObject({ status: 'found', balance: { amount: 622, source: 'cache' } });
    } finally {
      await sandbox.setOffline(false);
    }
    const done = TenderOutputSchema.parse((await call('sale/tender', { kind: 'cash', amount: due - 700 })).body);
    expect(done.committed).toBe(true);
    // The sale's reporting effects are delivered; its payments are not made a second time.
    await expect.poll(() => sandbox.inspect().loyaltyTransactions[done.receipt?.receiptId ?? '']?.applied ?? 0, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => sandbox.inspect().receiptIds.includes(done.receipt?.receiptId ?? ''), { timeout: 20_000 }).toBe(true);
    expect(paymentsOf(key).map((p) => p.amount)).toEqual([300]);
    expect(Object.values(sandbox.inspect().walletRefs).filter((w) => w.cardId === CARD.card_id).map((w) => w.amount)).toEqual([400]);
    const pays = agent.db.prepare("SELECT COUNT(*) AS n FROM outbox_effects WHERE kind IN ('loyalty_payment', 'wallet_transaction')").get() as { n: number };
    expect(pays.n).toBe(0);
  });

  it('a /payment applied but answered with a reset is not taken at the till and goes to the outbox check, never resent', async () => {
    const key = MEMBERS[1]?.membershipKey ?? '';
    await basket('7770000002');
    sandbox.setFaults({ routes: { 'loyalty.payment': { resetAfter: 1, times: 1 } } });
    const lost = await call('sale/tender', { kind: 'points', amount: 300 });
    expect(lost.status).toBe(502);
    expect((lost.body as { error: { code: string; message: string } }).error).toMatchObject({ code: 'PAYMENT_UNCERTAIN' });
    expect(SaleViewSchema.parse((await call('sale')).body).tenders).toEqual([]);
    // It landed on the server; the till queued its settlement instead of sending it again.
    expect(points(key)).toBe(722);
    // The cashier takes it again under a new key: one more payment, never the lost one resent.
    const again = await call('sale/tender', { kind: 'points', amount: 300 });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(paymentsOf(key)).toHaveLength(2);
    // The lost attempt is settled by the outbox: it landed, and a cancel needs its confirmation code, which
    // the lost answer carried, so it reaches the manager with the evidence rather than being dropped.
    await expect
      .poll(() => (agent.db.prepare("SELECT state FROM outbox_effects WHERE kind = 'loyalty_payment' AND idempotency_key LIKE '%:refund'").get() as { state: string } | undefined)?.state, { timeout: 20_000 })
      .toBe('needs_attention');
    expect(paymentsOf(key)).toHaveLength(2);
    await call('sale/cancel', {});
  });
});
