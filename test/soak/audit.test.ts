/**
 * The soak's audit must see what it is there to see: a real till (agent in process, real SQLite file) delivers
 * two sales to the sandbox, and the audit finds them exactly once; then the sandbox's record is doctored the
 * four ways a bug would show (an effect missing, a payment twice, a receipt no till committed, a balance off)
 * and each is counted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../main/agent/data-dir';
import { type Agent, startAgent } from '../../main/agent/start-agent';
import { loadConfig } from '../../main/config';
import { minor } from '../../main/core/money';
import { startSandbox, type SandboxHandle, type SandboxInspection } from '../../main/sandbox';
import { importCatalog } from '../../main/store/catalog';
import { commitSale, openBusinessDay, openShift } from '../../main/store/ledger';
import { outboxStatus } from '../../main/store/outbox';
import { tempDir } from '../helpers/temp-dir';
import { APPLES, BEER, MILK, sampleReceipt } from '../integration/ledger/fixtures';
import { audit, possibleBalances } from './audit';
import { BRANCH_ID, giftCards, membersOf, posIdOf, sandboxData, START_GIFT_CARD, START_POINTS } from './store-data';
import { sandboxEnv } from '../helpers/sandbox-env';

let agent: Agent | undefined;
let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await agent?.close();
  await sandbox?.close();
  agent = undefined;
  sandbox = undefined;
});

describe('soak audit', () => {
  it('finds delivered effects exactly once, and counts a missing effect, a double payment, a ghost receipt and a wrong balance', async () => {
    sandbox = await startSandbox({ data: sandboxData(1), paymentAsset: 'points', strictIdentification: true });
    const dataDir = tempDir();
    const spec = { index: 0, branchId: BRANCH_ID, posId: posIdOf(0), dataDir };
    const { config } = loadConfig({
      dataDir,
      env: {
        TILL_BRANCH_ID: spec.branchId,
        TILL_POS_ID: spec.posId,
        ...sandboxEnv(sandbox),
      },
    });
    agent = await startAgent({ config, port: 0, rendererDir: undefined });
    const now = new Date();
    const till = { branchId: spec.branchId, posId: spec.posId, currency: 'NOK' };
    importCatalog(agent.db, [MILK, BEER, APPLES].map((item, i) => ({ line: i + 2, item })), now);
    openBusinessDay(agent.db, now);
    openShift(agent.db, 'soak', minor(0), now);
    const member = membersOf(0)[0];
    const card = giftCards()[0];
    if (!member || !card) throw new Error('no soak member or card');
    // sampleReceipt() is 89.47 NOK.
    const byPoints = commitSale(
      agent.db,
      { till, receipt: sampleReceipt(), memberId: member.membershipKey, ruleSetVersion: 'none', tenders: [{ kind: 'loyalty', amount: minor(1000), memberId: member.membershipKey, asset: 'points' }, { kind: 'cash', amount: minor(10_000) }] },
      now,
    );
    const byCard = commitSale(
      agent.db,
      { till, receipt: sampleReceipt(), ruleSetVersion: 'none', tenders: [{ kind: 'gift_card', amount: minor(2000), cardToken: card.token }, { kind: 'card', amount: minor(6947), terminalRef: 'T-1' }] },
      now,
    );
    const db = agent.db;
    await expect.poll(() => outboxStatus(db, new Date()).counts.done, { timeout: 20_000 }).toBe(2);
    await agent.close();
    agent = undefined;

    const tills = [{ spec, dbFile: dbPath(dataDir) }];
    const start = {
      giftCards: Object.fromEntries(giftCards().map((c) => [c.cardId, { token: c.token, amount: START_GIFT_CARD }])),
      members: Object.fromEntries(membersOf(0).map((m) => [m.membershipKey, START_POINTS])),
      asset: 'points' as const,
    };
    const seen = sandbox.inspect();
    const clean = audit(tills, seen, start);
    expect(clean.findings).toEqual([]);
    // Points: payment, receipt, transaction. Gift card: wallet drawdown, receipt, transaction.
    expect(clean.verdicts).toEqual({ ok: 6, lost: 0, duplicated: 0, refused: 0, uncertain: 0, held: 0, unsettled: 0, resolved: 0 });
    expect(clean.ghosts).toBe(0);
    expect(clean.balanceMismatches).toBe(0);
    expect({ doubleDebits: clean.doubleDebits, lostPayments: clean.lostPayments }).toEqual({ doubleDebits: 0, lostPayments: 0 });
    expect(clean.byKind).toEqual({ loyalty_payment: { ok: 1 }, wallet_transaction: { ok: 1 }, receipt: { ok: 2 }, loyalty_transaction: { ok: 2 } });
    expect(seen.walletBalances[card.cardId]?.balance).toBe(START_GIFT_CARD - 2000);

    const doctored = (change: Partial<SandboxInspection>) => audit(tills, { ...seen, ...change }, start);
    const lostReceipt = doctored({ receiptIds: seen.receiptIds.filter((id) => id !== byCard.entry.receiptId) });
    expect(lostReceipt.verdicts.lost).toBe(1);
    expect(lostReceipt.findings.join('\n')).toContain(`${byCard.entry.receiptId}:receipt`);

    const paidTwice = doctored({ payments: [...seen.payments, { confirmationCode: 'x', membershipKey: member.membershipKey, asset: 'points', amount: 1000, cancelled: false, refunded: 0, transactionId: byPoints.entry.receiptId }] });
    expect(paidTwice.verdicts.duplicated).toBe(1);
    expect(paidTwice.doubleDebits).toBe(1);
    expect(paidTwice.byKind['loyalty_payment']).toEqual({ duplicated: 1 });

    const drawdownLost = doctored({ walletRefs: {} });
    expect(drawdownLost.lostPayments).toBe(1);
    expect(drawdownLost.doubleDebits).toBe(0);

    const ghost = doctored({ receiptIds: [...seen.receiptIds, `${BRANCH_ID}-till-9-000001`] });
    expect(ghost.ghosts).toBe(1);
    expect(ghost.verdicts.duplicated).toBe(0);

    const offByOne = doctored({ walletBalances: { ...seen.walletBalances, [card.cardId]: { balance: START_GIFT_CARD - 1999, available: START_GIFT_CARD - 1999 } } });
    expect(offByOne.balanceMismatches).toBe(1);
    expect(offByOne.findings.join('\n')).toContain(card.cardId);
  });
});

describe('a balance with payments whose outcome the till could not decide', () => {
  it('may be any of the balances those payments landing or not would give, and nothing else', () => {
    expect(possibleBalances(1000)).toEqual([1000]);
    // A 100 debit and a 50 refund, each landed or not.
    expect(possibleBalances(1000, [100, -50]).sort((a, b) => a - b)).toEqual([900, 950, 1000, 1050]);
  });
});
