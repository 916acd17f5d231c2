import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SaleViewSchema, type SaleView } from '../../../main/api/contract';
import type { CardPaymentOutcome, CardPaymentRequest, CardPaymentResult, CardTerminal } from '../../../main/devices/terminal/card-terminal';
import { SCAN, startTestAgent, type TestAgent } from '../sale-api/fixtures';

/**
 * Issue 15 part A.4: the kiosk stores a card payment's reference before it asks the terminal, so an agent
 * restart mid-payment (the real SQLite file closed and opened again) finds it, asks the terminal how it ended, or
 * hands it to staff with the reference, and never asks the customer's card a second time.
 */

/** A terminal that never answers `pay` (the agent stops first) and remembers outcomes by our reference. */
class RememberingTerminal implements CardTerminal {
  readonly id = 'remembering';
  readonly asked: CardPaymentRequest[] = [];
  readonly outcomes = new Map<string, CardPaymentResult>();
  constructor(private readonly canTell: boolean) {}
  pay(request: CardPaymentRequest): Promise<CardPaymentResult> {
    this.asked.push(request);
    return new Promise(() => undefined);
  }
  outcomeOf = (reference: string): Promise<CardPaymentOutcome> =>
    Promise.resolve(this.canTell ? (this.outcomes.get(reference) ?? { outcome: 'unknown', reason: 'no such payment' }) : { outcome: 'unknown', reason: 'the terminal was reset' });
}

let tills: TestAgent[] = [];
let dataDir: string | undefined;
afterEach(async () => {
  for (const t of tills) await t.close();
  tills = [];
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

const sale = (body: unknown): SaleView => SaleViewSchema.parse(body);

async function payThenRestart(terminal: RememberingTerminal): Promise<{ before: SaleView; after: TestAgent }> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-kiosk-restart-'));
  const first = await startTestAgent({ config: { demo: true, mode: 'kiosk' }, cardTerminal: terminal, dataDir });
  tills.push(first);
  await first.call('sale/scan', { code: SCAN.milk });
  const before = sale((await first.call('kiosk/pay-card', {})).body);
  expect(before.payment).toMatchObject({ state: 'waiting' });
  expect(terminal.asked).toHaveLength(1);
  // The agent stops while the customer is at the terminal: the database file is closed.
  await first.close();
  tills = [];
  const after = await startTestAgent({ config: { demo: true, mode: 'kiosk' }, cardTerminal: terminal, dataDir, seed: false });
  tills.push(after);
  return { before, after };
}

describe('a kiosk card payment across an agent restart', { timeout: 60_000 }, () => {
  it('charged while the agent was down: the terminal says so, and the sale is committed with it, once', async () => {
    const terminal = new RememberingTerminal(true);
    const { before, after } = await payThenRestart(terminal);
    const reference = terminal.asked[0]?.reference ?? '';
    terminal.outcomes.set(reference, { outcome: 'approved', terminalRef: 'TERM-42' });
    await after.call('sale');
    await expect.poll(async () => sale((await after.call('sale')).body).lastReceipt?.receiptId ?? null, { timeout: 10_000 }).not.toBeNull();
    const view = sale((await after.call('sale')).body);
    expect(view.lastReceipt?.totals.net).toBe(before.totals.net);
    expect(view.lastReceipt?.tenders).toMatchObject([{ kind: 'card', amount: before.totals.net }]);
    expect(view.lines).toEqual([]);
    // The card was asked once, before the restart; never again.
    expect(terminal.asked).toHaveLength(1);
    const row = after.agent.db.prepare('SELECT state, terminal_ref FROM card_payments WHERE reference = ?').get(reference);
    expect(row).toEqual({ state: 'committed', terminal_ref: 'TERM-42' });
  });

  it('a terminal that cannot tell: staff get the reference, the basket stays locked, and no second charge is asked', async () => {
    const terminal = new RememberingTerminal(false);
    const { before, after } = await payThenRestart(terminal);
    const reference = terminal.asked[0]?.reference ?? '';
    await after.call('sale');
    await expect.poll(async () => sale((await after.call('sale')).body).payment?.state, { timeout: 10_000 }).toBe('error');
    const view = sale((await after.call('sale')).body);
    expect(view.payment?.reason).toContain(reference);
    expect(view.help).not.toBeNull();
    expect(view.lines).toHaveLength(before.lines.length);
    expect((await after.call('kiosk/pay-card', {})).status).toBe(409);
    expect(terminal.asked).toHaveLength(1);
    expect(after.agent.db.prepare('SELECT state FROM card_payments WHERE reference = ?').get(reference)).toEqual({ state: 'staff' });
    // Staff checked the terminal and clear it: the record says so, and the customer may pay again.
    expect((await after.call('sale/clear-tenders', {})).status).toBe(200);
    expect(after.agent.db.prepare('SELECT state FROM card_payments WHERE reference = ?').get(reference)).toEqual({ state: 'cleared' });
  });
});
