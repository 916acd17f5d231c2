import { afterEach, describe, expect, it } from 'vitest';
import { type AgentEvent, SaleViewSchema, ScanOutputSchema, TenderOutputSchema, type SaleView } from '../../../main/api/contract';
import type { CardPaymentResult, CardTerminal } from '../../../main/devices/terminal/card-terminal';
import { SimulatedTerminal } from '../../../main/devices/terminal/simulated-terminal';
import { verifyJournal } from '../../../main/store/journal';
import { findEntry } from '../../../main/store/ledger';
import { BEER, SCAN, startTestAgent, type TestAgent } from './fixtures';

let till: TestAgent | undefined;
afterEach(async () => {
  await till?.close();
  till = undefined;
});

const sale = (body: unknown): SaleView => SaleViewSchema.parse(body);
const saleEvent = (match: (s: SaleView) => boolean) => (e: AgentEvent) => e.type === 'sale' && match(e.sale);
const printJobsOf = (t: TestAgent, receiptId: string): number =>
  (t.agent.db.prepare('SELECT count(*) AS n FROM print_jobs p JOIN sales s ON s.id = p.sale_id WHERE s.receipt_id = ?').get(receiptId) as { n: number }).n;

/** A terminal the test answers by hand: the kiosk waits on it exactly as on a customer at a real one. */
class HeldTerminal implements CardTerminal {
  readonly id = 'held';
  private answer: ((r: CardPaymentResult) => void) | undefined;
  private fail: ((e: Error) => void) | undefined;
  pay(): Promise<CardPaymentResult> {
    return new Promise((resolve, reject) => {
      this.answer = resolve;
      this.fail = reject;
    });
  }
  settle(r: CardPaymentResult): void {
    this.answer?.(r);
  }
  breakDown(message: string): void {
    this.fail?.(new Error(message));
  }
}

describe('age check at a cashier till', () => {
  it('locks tender until the cashier confirms the ID, and records the check with the sale and in the journal', async () => {
    till = await startTestAgent();
    const scanned = ScanOutputSchema.parse((await till.call('sale/scan', { code: SCAN.beer })).body);
    expect(scanned.sale.checks).toEqual({ mode: 'cashier', pending: [{ kind: 'age', lineId: 1, description: BEER.name, ageLimit: 18 }], approvals: [] });
    // A cashier till does not call for staff: the cashier checks the ID.
    expect(scanned.sale.help).toBeNull();

    const refused = await till.call('sale/tender', { kind: 'cash' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: 'CONFLICT', message: "Check the customer's ID before payment: Lager 0.5 l (age 18+)." } });
    expect(sale((await till.call('sale')).body).tenders).toEqual([]);

    const bad = await till.call('sale/approve', {});
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/operatorId/);

    const approved = sale((await till.call('sale/approve', { operatorId: 'demo' })).body);
    expect(approved.checks.pending).toEqual([]);
    expect(approved.checks.approvals).toEqual([{ operatorId: 'demo', method: 'id-check', at: expect.any(String), kinds: ['age'], verifiedAge: 18 }]);
    // Nothing left to approve: a second call is refused, not recorded twice.
    expect((await till.call('sale/approve', { operatorId: 'demo' })).status).toBe(409);

    const paid = TenderOutputSchema.parse((await till.call('sale/tender', { kind: 'cash', amount: 5000 })).body);
    expect(paid.committed).toBe(true);
    const receiptId = paid.receipt?.receiptId ?? '';
    expect(findEntry(till.agent.db, receiptId)?.entry.approvals).toEqual([
      { operatorId: 'demo', method: 'id-check', at: expect.any(String), verifiedAge: 18, checks: [{ kind: 'age', lineId: 1, itemId: 'beer', description: BEER.name, ageLimit: 18 }] },
    ]);
    const journal = till.agent.db.prepare("SELECT payload_json FROM journal WHERE kind = 'sale'").get() as { payload_json: string };
    expect(JSON.parse(journal.payload_json)).toMatchObject({ receiptId, approvals: [{ operatorId: 'demo', method: 'id-check', kinds: ['age'] }] });
    expect(verifyJournal(till.agent.db).ok).toBe(true);
    // A cashier's receipt is printed at once, as before; nothing waits for a choice.
    expect(printJobsOf(till, receiptId)).toBe(1);
    expect(paid.sale.receiptOffer).toBeNull();
    expect(paid.sale.checks).toEqual({ mode: 'cashier', pending: [], approvals: [] });
  });
});

describe('kiosk: lock, staff approval, card payment, receipt choice', () => {
  it('locks a weighed and an age-restricted item, calls staff, and takes the card only after approval', async () => {
    till = await startTestAgent({ config: { demo: true, mode: 'kiosk' }, cardTerminal: new SimulatedTerminal({ delayMs: 30 }) });
    await till.call('sale/items', { itemId: 'apples', grams: 640 });
    const locked = ScanOutputSchema.parse((await till.call('sale/scan', { code: SCAN.beer })).body).sale;
    expect(locked.checks.pending.map((c) => [c.kind, c.lineId])).toEqual([['weight', 1], ['age', 2]]);
    expect(locked.checks.pending[0]?.grams).toBe(640);
    // The lock called staff by itself.
    expect(locked.help).not.toBeNull();

    const refused = await till.call('kiosk/pay-card', {});
    expect(refused.status).toBe(409);
    expect((refused.body as { error: { message: string } }).error.message).toBe('Staff must approve this basket before payment: Apples (weighed item), Lager 0.5 l (age 18+).');

    const approved = sale((await till.call('sale/approve', { operatorId: 'attendant-7' })).body);
    expect(approved.checks.approvals).toEqual([{ operatorId: 'attendant-7', method: 'staff-approval', at: expect.any(String), kinds: ['weight', 'age'], verifiedAge: 18 }]);
    expect(approved.help).toBeNull();

    const committed = till.nextEvent(saleEvent((s) => s.receiptOffer !== null));
    const waiting = sale((await till.call('kiosk/pay-card', {})).body);
    expect(waiting.payment).toEqual({ state: 'waiting', amount: approved.totals.net });
    const done = ((await committed) as Extract<AgentEvent, { type: 'sale' }>).sale;
    expect(done.lines).toEqual([]);
    expect(done.payment).toBeNull();
    const receiptId = done.receiptOffer?.receiptId ?? '';
    expect(done.lastReceipt?.tenders).toEqual([{ kind: 'card', amount: approved.totals.net, reference: expect.stringMatching(/^SIM-pos-3-/), offline: false }]);
    expect(findEntry(till.agent.db, receiptId)?.entry.approvals?.[0]?.operatorId).toBe('attendant-7');

    // The receipt waits for the customer: no print job until they ask, then exactly one.
    expect(printJobsOf(till, receiptId)).toBe(0);
    const printed = sale((await till.call('kiosk/receipt', { print: true })).body);
    expect(printed.receiptOffer).toBeNull();
    expect(printJobsOf(till, receiptId)).toBe(1);
    expect((await till.call('kiosk/receipt', { print: true })).status).toBe(409);
    expect(printJobsOf(till, receiptId)).toBe(1);
  });

  it('keeps the basket while the terminal is busy (no cancel, no scans), and after a decline', async () => {
    const terminal = new HeldTerminal();
    till = await startTestAgent({ config: { demo: true, mode: 'kiosk' }, cardTerminal: terminal });
    await till.call('sale/scan', { code: SCAN.milk });
    const waiting = sale((await till.call('kiosk/pay-card', {})).body);
    expect(waiting.payment?.state).toBe('waiting');
    // What the idle timeout would do must not lose a sale the card may be paying right now.
    const cancel = await till.call('sale/cancel', {});
    expect(cancel.status).toBe(409);
    expect((cancel.body as { error: { message: string } }).error.message).toMatch(/card payment is in progress/);
    const scan = ScanOutputSchema.parse((await till.call('sale/scan', { code: SCAN.milk })).body);
    expect(scan).toMatchObject({ ok: false, notice: { code: 'failed' } });
    expect(scan.sale.lines[0]?.quantity).toBe(1);
    expect((await till.call('kiosk/pay-card', {})).status).toBe(409);

    const declined = till.nextEvent(saleEvent((s) => s.payment?.state === 'declined'));
    terminal.settle({ outcome: 'declined', reason: 'Insufficient funds' });
    const view = ((await declined) as Extract<AgentEvent, { type: 'sale' }>).sale;
    expect(view.payment).toEqual({ state: 'declined', amount: waiting.totals.net, reason: 'Insufficient funds' });
    expect(view.lines).toHaveLength(1);
    // A declined payment took nothing: the customer may start over (or the idle timeout clears it).
    expect(sale((await till.call('sale/cancel', {})).body).lines).toEqual([]);
  });

  it('a terminal that fails mid-payment holds the basket for staff, who clear it after checking the terminal', async () => {
    const terminal = new HeldTerminal();
    till = await startTestAgent({ config: { demo: true, mode: 'kiosk' }, cardTerminal: terminal });
    await till.call('sale/scan', { code: SCAN.milk });
    await till.call('kiosk/pay-card', {});
    const failed = till.nextEvent(saleEvent((s) => s.payment?.state === 'error'));
    terminal.breakDown('serial link lost');
    const view = ((await failed) as Extract<AgentEvent, { type: 'sale' }>).sale;
    expect(view.payment?.reason).toMatch(/serial link lost.*Staff must check the terminal/);
    expect(view.help).not.toBeNull();
    expect((await till.call('sale/cancel', {})).status).toBe(409);
    expect(sale((await till.call('sale/clear-tenders', {})).body).payment).toBeNull();
    expect(sale((await till.call('sale/cancel', {})).body).lines).toEqual([]);
  });

  it('a till without a card terminal refuses card payment with a clear message', async () => {
    till = await startTestAgent({ config: { demo: true, mode: 'cashier' } });
    await till.call('sale/scan', { code: SCAN.milk });
    const res = await till.call('kiosk/pay-card', {});
    expect(res.status).toBe(409);
    expect((res.body as { error: { message: string } }).error.message).toBe('This till has no card terminal: the customer pays at staff.');
  });
});
