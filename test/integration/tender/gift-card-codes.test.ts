import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../main/agent/start-agent';
import { type SandboxTill, startSandboxTill } from '../../helpers/sandbox-till';
import { SaleViewSchema, TenderOutputSchema } from '../../../main/api/contract';
import { startSandbox, type SandboxHandle } from '../../../main/sandbox';
import { voidSale } from '../../../main/store/ledger';
import { callAgent } from '../sale-api/fixtures';
import { SCAN } from '../sale-api/seed';

/**
 * Gift-card codes serve one transaction (issue 14; Dintero `expires_after_transaction`, default true). The till
 * resolves a code once with `wallets/info` (the PIN passed through, never kept), draws with the code once, and
 * names the card by the `card_id` it read for everything after: the void's fund, the replay of a lost drawdown.
 * A second sale with the spent code is refused at the till in the cashier's words. Real sandbox over loopback; the
 * till's Dintero client here has the broad `write:wallets` scope a refund to a card needs (docs/connectors.md).
 */

const PIN = '73950281';
const CODE = { card_id: 'gc-code-1', token: 'GCCODE0000001', amount: 20_000, currency: 'NOK', pin: PIN };
const LOST = { card_id: 'gc-code-2', token: 'GCCODE0000002', amount: 20_000, currency: 'NOK' };

let sandbox: SandboxHandle;
let agent: Agent;
let dataDir: string;
let till: SandboxTill;

const call = (p: string, body?: unknown): Promise<{ status: number; body: unknown }> => callAgent(agent, p, body);
const error = (body: unknown): { code: string; message: string } => (body as { error: { code: string; message: string } }).error;

async function basket(): Promise<number> {
  await call('sale/cancel', {});
  for (const code of [SCAN.soap, SCAN.milk]) expect((await call('sale/scan', { code })).status).toBe(200);
  return SaleViewSchema.parse((await call('sale')).body).totals.net;
}

const balanceOf = (cardId: string): number | undefined => sandbox.inspect().walletBalances[cardId]?.available;

/** Every byte the till wrote under its data dir: the database, its WAL, the logs. */
function everyFileUnder(dir: string): { file: string; bytes: Buffer }[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => {
    const file = path.join(e.parentPath, e.name);
    return { file, bytes: fs.readFileSync(file) };
  });
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, demo: true, data: { giftCards: [CODE, LOST] } });
  till = await startSandboxTill(sandbox, { posId: 'pos-9', env: { TILL_DINTERO_CLIENT_ID: sandbox.adminClientId, TILL_DINTERO_CLIENT_SECRET: sandbox.adminClientSecret } });
  ({ agent, dataDir } = till);
});

afterAll(async () => {
  await till.close();
  await sandbox.close();
});

describe('single-use gift-card codes', { timeout: 60_000 }, () => {
  it('resolves the code once with its PIN, keeps the card id, and the void gives the money back by card id', async () => {
    const due = await basket();
    // Without the PIN the back end refuses the card, and nothing is taken.
    const noPin = await call('sale/tender', { kind: 'gift_card', cardNumber: CODE.token, amount: 1_000 });
    expect(noPin.status).not.toBe(200);
    expect(balanceOf(CODE.card_id)).toBe(20_000);

    const taken = await call('sale/tender', { kind: 'gift_card', cardNumber: CODE.token, pin: PIN, amount: 1_000 });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(balanceOf(CODE.card_id)).toBe(19_000);
    const done = TenderOutputSchema.parse((await call('sale/tender', { kind: 'cash', amount: due - 1_000 })).body);
    expect(done.committed).toBe(true);
    const receiptId = done.receipt?.receiptId ?? '';

    // The stored entry keeps the card's id and only the mask of its code.
    const doc = (agent.db.prepare('SELECT document_json FROM sales WHERE receipt_id = ?').get(receiptId) as { document_json: string } | undefined)?.document_json ?? '';
    expect(doc).toContain(`"cardId":"${CODE.card_id}"`);
    expect(doc).not.toContain(CODE.token);

    // The code is spent: a fund with it would be refused (404), so the fund that lands proves it named the card by id.
    voidSale(agent.db, { till: { branchId: 'oslo-1', posId: 'pos-9', currency: 'NOK' }, receiptId }, new Date());
    await expect.poll(() => balanceOf(CODE.card_id), { timeout: 20_000 }).toBe(20_000);
    const refs = Object.values(sandbox.inspect().walletRefs).filter((w) => w.cardId === CODE.card_id);
    expect(refs.map((w) => [w.type, w.amount, w.count]).sort()).toEqual([
      ['drawdown', 1_000, 1],
      ['fund', 1_000, 1],
    ]);
  });

  it('a second sale with the spent code is refused at tender time, in the cashier\'s words', async () => {
    await basket();
    const again = await call('sale/tender', { kind: 'gift_card', cardNumber: CODE.token, pin: PIN, amount: 500 });
    expect(again.status).toBe(404);
    expect(error(again.body).message).toMatch(/already used\. Ask the customer for a new card code/);
    expect(SaleViewSchema.parse((await call('sale')).body).tenders).toEqual([]);
    expect(balanceOf(CODE.card_id)).toBe(20_000);
    await call('sale/cancel', {});
  });

  it('a drawdown whose answer was lost is replayed under its own ref_id by card id, then given back: nothing lost, nothing twice', async () => {
    await basket();
    sandbox.setFaults({ routes: { 'dintero.wallets.transactions.create': { resetAfter: 1, times: 1 } } });
    const lost = await call('sale/tender', { kind: 'gift_card', cardNumber: LOST.token, amount: 2_000 });
    expect(lost.status).toBe(502);
    expect(error(lost.body).code).toBe('PAYMENT_UNCERTAIN');
    // It landed on the server and used the code up.
    expect(balanceOf(LOST.card_id)).toBe(18_000);
    // The replay (same ref_id, by card id: the code is spent) answers the first transaction, and the fund gives it back.
    await expect.poll(() => balanceOf(LOST.card_id), { timeout: 20_000 }).toBe(20_000);
    const refs = Object.entries(sandbox.inspect().walletRefs).filter(([, w]) => w.cardId === LOST.card_id);
    expect(refs.map(([, w]) => [w.type, w.amount, w.count]).sort()).toEqual([
      ['drawdown', 2_000, 1],
      ['fund', 2_000, 1],
    ]);
    const effects = agent.db.prepare("SELECT state, payload FROM outbox_effects WHERE kind = 'wallet_transaction' AND payload LIKE ?").all(`%${LOST.card_id}%`) as { state: string; payload: string }[];
    expect(effects.map((e) => e.state)).toEqual(['done', 'done']);
    for (const e of effects) expect(JSON.parse(e.payload)).not.toHaveProperty('token_sealed');
    await call('sale/cancel', {});
  });

  it('a card with a PIN is not taken offline: the PIN would have to be kept for the later drawdown', async () => {
    await basket();
    await sandbox.setOffline(true);
    try {
      const offline = await call('sale/tender', { kind: 'gift_card', cardNumber: LOST.token, pin: PIN, amount: 500 });
      expect(offline.status).toBe(409);
      expect(error(offline.body).message).toMatch(/has a PIN .* cannot be taken offline/);
      expect(SaleViewSchema.parse((await call('sale')).body).tenders).toEqual([]);
    } finally {
      await sandbox.setOffline(false);
    }
    await call('sale/cancel', {});
  });

  it('the PIN and the card codes never land in the database file or the logs', async () => {
    await agent.log.flush();
    const files = everyFileUnder(dataDir);
    expect(files.some((f) => f.file.endsWith('.db') || f.file.endsWith('.sqlite'))).toBe(true);
    for (const { file, bytes } of files) {
      expect(bytes.includes(Buffer.from(PIN)), `${file} holds the PIN`).toBe(false);
      expect(bytes.includes(Buffer.from(CODE.token)), `${file} holds a card code`).toBe(false);
      expect(bytes.includes(Buffer.from(LOST.token)), `${file} holds a card code`).toBe(false);
    }
  });
});
