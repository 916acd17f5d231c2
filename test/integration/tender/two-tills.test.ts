import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../main/agent/start-agent';
import { SaleViewSchema, TenderOutputSchema } from '../../../main/api/contract';
import { startSandbox, type SandboxHandle } from '../../../main/sandbox';
import { callAgent } from '../sale-api/fixtures';
import { SCAN } from '../sale-api/seed';
import { type SandboxTill, startSandboxTill } from '../../helpers/sandbox-till';

/**
 * Issue 15: two tills selling to the same member at once. Points are settled at tender time, so the second till's
 * payment meets the balance the first till's payment left: it is refused while its customer is at the till, in
 * words, and nothing of it is queued; the member is debited once per payment that was taken, never twice.
 */
const MEMBER = {
  customerId: 'cust-2t-1',
  membershipKey: '5e000000-0000-4000-8000-0000000002a1',
  externalId: '7772000001',
  firstName: 'Shared',
  lastName: 'Member',
  phoneNumber: '+4797772001',
  email: 'shared@example.com',
  birthday: '1980-01-01',
  allowedSMS: false,
  allowedEmail: false,
  termsOfUse: true,
  gdpr: true,
  points: 1000,
  credit: 0,
};

let sandbox: SandboxHandle;
const tills: SandboxTill[] = [];

async function startTill(posId: string): Promise<Agent> {
  const till = await startSandboxTill(sandbox, { posId });
  tills.push(till);
  return till.agent;
}

async function memberBasket(agent: Agent): Promise<number> {
  for (const code of [SCAN.soap, SCAN.bread, SCAN.soap]) expect((await callAgent(agent, 'sale/scan', { code })).status).toBe(200);
  expect((await callAgent(agent, 'sale/customer', { memberNumber: MEMBER.externalId })).status).toBe(200);
  return SaleViewSchema.parse((await callAgent(agent, 'sale')).body).totals.net;
}

const payments = () => sandbox.inspect().payments.filter((p) => p.membershipKey === MEMBER.membershipKey);

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, demo: true, data: { members: [MEMBER], giftCards: [] }, paymentAsset: 'points' });
});

afterAll(async () => {
  for (const t of tills) await t.close();
  await sandbox.close();
});

describe('two tills, one member', { timeout: 60_000 }, () => {
  it("the second till's points payment meets the first one's balance: refused at the till, queued nowhere, debited once", async () => {
    const [a, b] = [await startTill('pos-a'), await startTill('pos-b')];
    const [dueA, dueB] = [await memberBasket(a), await memberBasket(b)];
    expect(Math.min(dueA, dueB)).toBeGreaterThan(800);
    // Both tills looked the member up with 1,000 points; till A takes 800 first.
    const paidA = await callAgent(a, 'sale/tender', { kind: 'points', amount: 800 });
    expect(paidA.status, JSON.stringify(paidA.body)).toBe(200);
    expect(sandbox.inspect().memberBalances[MEMBER.membershipKey]?.points).toBe(200);

    const refused = await callAgent(b, 'sale/tender', { kind: 'points', amount: 800 });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    // Refused as the back end answered, with the reason the cashier's screen words (the balance left).
    expect((refused.body as { error: unknown }).error).toMatchObject({ code: 'BALANCE_TOO_LOW', reason: 'balance.too-low', params: { tender: 'points', balance: 200, amount: 800, left: 200 } });
    expect(SaleViewSchema.parse((await callAgent(b, 'sale')).body).tenders).toEqual([]);
    // Till B's cashier takes what is left, and the rest in cash.
    const paidB = await callAgent(b, 'sale/tender', { kind: 'points', amount: 200 });
    expect(paidB.status, JSON.stringify(paidB.body)).toBe(200);
    // Cash without an amount pays what is left in cash (rounded to the cash unit).
    const doneB = TenderOutputSchema.parse((await callAgent(b, 'sale/tender', { kind: 'cash' })).body);
    const doneA = TenderOutputSchema.parse((await callAgent(a, 'sale/tender', { kind: 'cash' })).body);
    expect([doneA.committed, doneB.committed]).toEqual([true, true]);

    // One payment per tender taken, none twice; neither till queued a payment for the outbox.
    expect(payments().map((p) => p.amount).sort((x, y) => x - y)).toEqual([200, 800]);
    expect(sandbox.inspect().memberBalances[MEMBER.membershipKey]?.points).toBe(0);
    for (const agent of [a, b]) {
      const queued = agent.db.prepare("SELECT COUNT(*) AS n FROM outbox_effects WHERE kind = 'loyalty_payment'").get() as { n: number };
      expect(queued.n).toBe(0);
    }
    // Both sales' transactions reach the loyalty back end.
    for (const done of [doneA, doneB]) {
      await expect.poll(() => sandbox.inspect().loyaltyTransactions[done.receipt?.receiptId ?? '']?.applied ?? 0, { timeout: 20_000 }).toBe(1);
    }
  });
});
