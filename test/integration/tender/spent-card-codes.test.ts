import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../main/agent/start-agent';
import { SaleViewSchema, TenderOutputSchema } from '../../../main/api/contract';
import { startSandbox, type SandboxHandle } from '../../../main/sandbox';
import { getBalance } from '../../../main/store/balance-cache';
import { getCodeState } from '../../../main/store/gift-card-codes';
import { lookupHasher } from '../../../main/store/lookup-hash';
import { type SandboxTill, startSandboxTill } from '../../helpers/sandbox-till';
import { callAgent } from '../sale-api/fixtures';
import { SCAN } from '../sale-api/seed';

/**
 * A gift-card code drawn on must not be taken again offline from the balance the till cached before (an overspend
 * the store cannot recover: the outbox's later drawdown by a spent code is refused, docs/connectors.md "Gift-card
 * codes"). After an online drawdown the cache drops and the code is `used`; the lookup after it marks a single-use
 * code `spent` and a reusable one `reusable`; offline, a spent or used-and-unconfirmed code is refused with its own
 * reason. Real sandbox over loopback, real till agent with its SQLite file in a temp dir.
 */

const SINGLE = { card_id: 'gc-spent-1', token: 'GCSPENT000001', amount: 20_000, currency: 'NOK' };
const REUSABLE = { card_id: 'gc-spent-2', token: 'GCSPENT000002', amount: 20_000, currency: 'NOK', expires_after_transaction: false };
const OFFLINE = { card_id: 'gc-spent-3', token: 'GCSPENT000003', amount: 20_000, currency: 'NOK' };

let sandbox: SandboxHandle;
let agent: Agent;
let till: SandboxTill;

const call = (p: string, body?: unknown): Promise<{ status: number; body: unknown }> => callAgent(agent, p, body);
const error = (body: unknown): { code: string; message: string; reason?: string } => (body as { error: { code: string; message: string; reason?: string } }).error;
const stateOf = (token: string): string | undefined => getCodeState(agent.db, lookupHasher(agent.db).hash('gift_card', token))?.state;
const cachedOf = (token: string): number | undefined => getBalance(agent.db, 'gift_card', lookupHasher(agent.db).hash('gift_card', token))?.balanceMinor;

async function basket(): Promise<number> {
  await call('sale/cancel', {});
  for (const code of [SCAN.soap, SCAN.milk]) expect((await call('sale/scan', { code })).status).toBe(200);
  return SaleViewSchema.parse((await call('sale')).body).totals.net;
}

/** Pays `amount` with the card and the rest in cash; the sale commits. */
async function payWith(token: string, amount: number): Promise<void> {
  const due = await basket();
  const taken = await call('sale/tender', { kind: 'gift_card', cardNumber: token, amount });
  expect(taken.status, JSON.stringify(taken.body)).toBe(200);
  const done = TenderOutputSchema.parse((await call('sale/tender', { kind: 'cash', amount: due - amount + 100 })).body);
  expect(done.committed).toBe(true);
}

async function offline<T>(run: () => Promise<T>): Promise<T> {
  await sandbox.setOffline(true);
  try {
    return await run();
  } finally {
    await sandbox.setOffline(false);
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, demo: true, data: { giftCards: [SINGLE, REUSABLE, OFFLINE] } });
  till = await startSandboxTill(sandbox, { posId: 'pos-spent' });
  agent = till.agent;
});

afterAll(async () => {
  await till.close();
  await sandbox.close();
});

describe('a gift-card code drawn on is not taken again offline on a stale balance', { timeout: 60_000 }, () => {
  it('refuses a single-use code offline after an online drawdown: the lookup after it found the code spent', async () => {
    await payWith(SINGLE.token, 1_000);
    expect(sandbox.inspect().walletBalances[SINGLE.card_id]?.available).toBe(19_000);
    await expect.poll(() => stateOf(SINGLE.token), { timeout: 10_000 }).toBe('spent');

    await basket();
    const again = await offline(() => call('sale/tender', { kind: 'gift_card', cardNumber: SINGLE.token, amount: 500 }));
    expect(again.status, JSON.stringify(again.body)).toBe(422);
    expect(error(again.body)).toMatchObject({ code: 'OFFLINE_LIMIT', reason: 'offline.code-spent' });
    expect(error(again.body).message).toContain('Ask the customer for a new card code');
    expect(SaleViewSchema.parse((await call('sale')).body).tenders).toEqual([]);
    await call('sale/cancel', {});
  });

  it('takes a reusable code offline again: the lookup after the drawdown confirmed it, with the balance the back end holds', async () => {
    await payWith(REUSABLE.token, 1_000);
    await expect.poll(() => stateOf(REUSABLE.token), { timeout: 10_000 }).toBe('reusable');
    expect(cachedOf(REUSABLE.token)).toBe(19_000);

    // Confirmed reusable, so it stays so after an offline payment; the limits count what was taken since.
    await offline(async () => {
      await payWith(REUSABLE.token, 500);
      await payWith(REUSABLE.token, 500);
    });
    expect(stateOf(REUSABLE.token)).toBe('reusable');
  });

  it('refuses a code taken offline once already, and a second offline tender of one code in one sale, until it is confirmed', async () => {
    // Read online once (a balance to take it offline against), never drawn on yet.
    expect((await call('gift-card/check', { cardNumber: OFFLINE.token })).status).toBe(200);
    await offline(async () => {
      await basket();
      const first = await call('sale/tender', { kind: 'gift_card', cardNumber: OFFLINE.token, amount: 500 });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const second = await call('sale/tender', { kind: 'gift_card', cardNumber: OFFLINE.token, amount: 500 });
      expect(error(second.body)).toMatchObject({ code: 'OFFLINE_LIMIT', reason: 'offline.code-unconfirmed' });
      const due = SaleViewSchema.parse((await call('sale')).body).remaining;
      expect(TenderOutputSchema.parse((await call('sale/tender', { kind: 'cash', amount: due + 100 })).body).committed).toBe(true);
      // Committed offline: the outbox will draw on the code, so it is used from now on.
      expect(stateOf(OFFLINE.token)).toBe('used');

      await basket();
      const later = await call('sale/tender', { kind: 'gift_card', cardNumber: OFFLINE.token, amount: 500 });
      expect(later.status, JSON.stringify(later.body)).toBe(422);
      expect(error(later.body)).toMatchObject({ code: 'OFFLINE_LIMIT', reason: 'offline.code-unconfirmed' });
      expect(error(later.body).message).toContain('has not yet confirmed that it still works');
      await call('sale/cancel', {});
    });
    // Back online the outbox delivers the drawdown by the code, and the lookup after it finds the code spent.
    await expect.poll(() => sandbox.inspect().walletBalances[OFFLINE.card_id]?.available, { timeout: 20_000 }).toBe(19_500);
    await expect.poll(() => stateOf(OFFLINE.token), { timeout: 10_000 }).toBe('spent');
  });
});
