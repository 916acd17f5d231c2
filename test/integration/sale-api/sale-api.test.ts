import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { type AgentEvent, ROUTES, SaleViewSchema, ScanOutputSchema, ShiftViewSchema, TenderOutputSchema, type SaleView } from '../../../main/api/contract';
import { minor } from '../../../main/core/money';
import { roundToCashUnit } from '../../../main/core/sale';
import { findEntry } from '../../../main/store/ledger';
import { fuzzParams } from '../../helpers/fuzz';
import { PtyPair } from '../scanners/pty-pair';
import { BREAD, MILK, SCAN, SOAP, startTestAgent, type TestAgent } from './fixtures';

let till: TestAgent | undefined;
const ptys: PtyPair[] = [];
afterEach(async () => {
  await till?.close();
  till = undefined;
  for (const p of ptys.splice(0)) await p.stop();
});

const sale = (body: unknown): SaleView => SaleViewSchema.parse(body);

describe('sale API over loopback HTTP', () => {
  it('scans an item into the basket, prices it with the cached rules and publishes the basket', async () => {
    till = await startTestAgent();
    const published = till.nextEvent((e) => e.type === 'sale' && e.sale.lines.length === 1);
    const res = await till.call('sale/scan', { code: SCAN.milk });
    expect(res.status).toBe(200);
    const out = ScanOutputSchema.parse(res.body);
    expect(out.ok).toBe(true);
    expect(out.notice).toMatchObject({ level: 'info', code: 'added', subject: MILK.name });
    const [line] = out.sale.lines;
    const tenPercent = Math.round(MILK.unitPrice / 10);
    expect(line).toMatchObject({ itemId: 'milk', quantity: 1, gross: MILK.unitPrice, net: MILK.unitPrice - tenPercent });
    expect(line?.discounts).toEqual([{ ruleId: 'dairy-10', text: 'Dairy 10% off', amount: tenPercent }]);
    expect(out.sale.totals).toMatchObject({ gross: MILK.unitPrice, discount: tenPercent, net: MILK.unitPrice - tenPercent });
    expect(out.sale.ruleSetVersion).toBe('rules-test-1');
    expect(out.sale.outcomes.find((o) => o.ruleId === 'dairy-10')).toMatchObject({ applied: true, amount: tenPercent });
    // A demo till opened its own business day and shift.
    expect(out.sale.shift.shift?.operatorId).toBe('demo');
    const event = (await published) as Extract<AgentEvent, { type: 'sale' }>;
    expect(event.sale.lines[0]?.itemId).toBe('milk');

    // A second scan of the same item adds to the line; the state survives a "reloaded screen" (GET again).
    await till.call('sale/scan', { code: SCAN.milk });
    const again = sale((await till.call('sale')).body);
    expect(again.lines).toHaveLength(1);
    expect(again.lines[0]?.quantity).toBe(2);
  });

  it('tells the cashier about a bad barcode and an unknown item, and leaves the basket as it was', async () => {
    till = await startTestAgent();
    await till.call('sale/scan', { code: SOAP.codes[1] });
    const badCheck = ScanOutputSchema.parse((await till.call('sale/scan', { code: '7038010000011' })).body);
    expect(badCheck).toMatchObject({ ok: false, notice: { level: 'error', code: 'bad-barcode', scanError: 'check-digit', subject: '7038010000011' } });
    const unknown = ScanOutputSchema.parse((await till.call('sale/scan', { code: '5701234567899' })).body);
    expect(unknown).toMatchObject({ ok: false, notice: { level: 'error', code: 'unknown-item' } });
    expect(unknown.notice.seq).toBeGreaterThan(badCheck.notice.seq);
    expect(unknown.sale.lines.map((l) => l.itemId)).toEqual(['soap']);
  });

  it('sets quantities, voids lines, identifies a member (member price applies) and rejects bad line ids', async () => {
    till = await startTestAgent();
    await till.call('sale/items', { itemId: 'bread' });
    let view = sale((await till.call('sale/items', { itemId: 'milk' })).body);
    expect(view.lines.find((l) => l.itemId === 'bread')?.discounts).toEqual([]);
    // The "why" view: the member rule did not apply to an anonymous customer, and says why.
    expect(view.outcomes.find((o) => o.ruleId === 'bread-members')).toMatchObject({ applied: false, reason: 'not_granted' });
    view = sale((await till.call('sale/customer', { customerId: 'cust-1', memberId: 'm-1' })).body);
    expect(view.customer).toEqual({ customerId: 'cust-1', memberId: 'm-1', maskedId: '•••• m-1' });
    const bread = view.lines.find((l) => l.itemId === 'bread');
    expect(bread?.net).toBe(2500);
    expect(bread?.discounts[0]?.text).toBe('Member price bread');
    view = sale((await till.call('sale/quantity', { lineId: bread?.lineId, quantity: 3 })).body);
    expect(view.lines.find((l) => l.itemId === 'bread')).toMatchObject({ quantity: 3, gross: BREAD.unitPrice * 3, net: 2500 * 3 });
    const milkLine = view.lines.find((l) => l.itemId === 'milk');
    view = sale((await till.call('sale/void-line', { lineId: milkLine?.lineId })).body);
    expect(view.lines.map((l) => l.itemId)).toEqual(['bread']);
    const missing = await till.call('sale/void-line', { lineId: 99 });
    expect(missing.status).toBe(404);
  });

  it('takes a card and cash split with change, commits through the ledger and returns the receipt', async () => {
    till = await startTestAgent();
    await till.call('sale/scan', { code: SCAN.milk });
    await till.call('sale/scan', { code: SCAN.soap });
    const due = sale((await till.call('sale')).body).totals.net;
    const card = TenderOutputSchema.parse((await till.call('sale/tender', { kind: 'card', amount: 3000, terminalRef: 'T-1234' })).body);
    expect(card.committed).toBe(false);
    expect(card.sale.remaining).toBe(due - 3000);
    const tooMuchCard = await till.call('sale/tender', { kind: 'card', amount: due, terminalRef: 'T-1' });
    expect(tooMuchCard.status).toBe(409);
    const cash = TenderOutputSchema.parse((await till.call('sale/tender', { kind: 'cash', amount: 10_000 })).body);
    expect(cash.committed).toBe(true);
    const receipt = cash.receipt;
    // A NOK till rounds the cash part (what the card left) to whole kroner; the change is what remains.
    const cashPart = due - 3000;
    expect(receipt?.rounding ?? 0).toBe(roundToCashUnit(minor(cashPart), 100) - cashPart);
    expect(receipt?.change).toBe(3000 + 10_000 - due - (receipt?.rounding ?? 0));
    expect(receipt?.totals.net).toBe(due);
    expect(receipt?.openDrawer).toBe(true);
    expect(receipt?.tenders.map((t) => [t.kind, t.reference])).toEqual([['card', 'T-1234'], ['cash', undefined]]);
    expect(receipt?.lines[0]?.discounts).toEqual([{ text: 'Dairy 10% off', amount: Math.round(MILK.unitPrice / 10) }]);
    expect(cash.sale.lines).toEqual([]);
    expect(cash.sale.lastReceipt?.receiptId).toBe(receipt?.receiptId);
    const stored = findEntry(till.agent.db, receipt?.receiptId ?? '');
    expect(stored?.entry.ruleSetVersion).toBe('rules-test-1');
    expect(stored?.entry.totals.net).toBe(due);
    const reprint = await till.call('sale/reprint', {});
    expect(reprint.body).toMatchObject({ receiptId: receipt?.receiptId, copy: true });
  });

  it('suspends a basket and resumes it', async () => {
    till = await startTestAgent();
    await till.call('sale/scan', { code: SCAN.soap });
    const suspended = sale((await till.call('sale/suspend', {})).body);
    expect(suspended.lines).toEqual([]);
    expect(suspended.suspended).toHaveLength(1);
    await till.call('sale/scan', { code: SCAN.milk });
    expect((await till.call('sale/resume', { id: suspended.suspended[0]?.id })).status).toBe(409);
    await till.call('sale/cancel', {});
    const resumed = sale((await till.call('sale/resume', { id: suspended.suspended[0]?.id })).body);
    expect(resumed.lines.map((l) => l.itemId)).toEqual(['soap']);
    expect(resumed.suspended).toEqual([]);
  });

  it('refuses to sell without a shift on a real till, and opens the day and shift through the API', async () => {
    till = await startTestAgent({ config: { branchId: 'oslo-1', posId: 'pos-3' } });
    const view = sale((await till.call('sale')).body);
    expect(view.shift).toEqual({ businessDay: null, shift: null });
    await till.call('sale/scan', { code: SCAN.soap });
    const refused = await till.call('sale/tender', { kind: 'cash' });
    expect(refused.status).toBe(409);
    expect(sale((await till.call('sale')).body).lines).toHaveLength(1);
    ShiftViewSchema.parse((await till.call('shift/open-day', {})).body);
    const opened = ShiftViewSchema.parse((await till.call('shift/open', { operatorId: 'anna', openingFloat: 50_000 })).body);
    expect(opened.shift?.operatorId).toBe('anna');
    const paid = TenderOutputSchema.parse((await till.call('sale/tender', { kind: 'cash' })).body);
    expect(paid.committed).toBe(true);
    expect(paid.receipt?.operatorId).toBe('anna');
    // The drawer holds the cash taken: the soap's price rounded to whole kroner (docs/ledger.md, "Cash rounding").
    const closed = (await till.call('shift/close', { countedCash: 50_000 + roundToCashUnit(minor(SOAP.unitPrice), 100) })).body as { difference: number };
    expect(closed.difference).toBe(0);
  });

  it('puts scans from a serial scanner (socat pseudo-terminal) into the basket', async () => {
    const pty = new PtyPair('sale-scan');
    ptys.push(pty);
    await pty.start();
    till = await startTestAgent({ config: { demo: true, devices: { scanner: { kind: 'serial', path: pty.device, terminator: 'CR' } } } });
    const connected = till.agent.status().devices.scanner.state === 'connected' ? Promise.resolve() : till.nextEvent((e) => e.type === 'status' && e.status.devices.scanner.state === 'connected');
    await connected;
    const added = till.nextEvent((e) => e.type === 'sale' && e.sale.lines.some((l) => l.itemId === 'soap'));
    pty.write(`${SCAN.soap}\r`);
    const event = (await added) as Extract<AgentEvent, { type: 'sale' }>;
    expect(event.sale.notice).toMatchObject({ code: 'added', subject: SOAP.name });
    const bad = till.nextEvent((e) => e.type === 'sale' && e.sale.notice?.level === 'error');
    pty.write('4006381333932\r');
    expect(((await bad) as Extract<AgentEvent, { type: 'sale' }>).sale.notice).toMatchObject({ code: 'bad-barcode', scanError: 'check-digit' });
  });

  it('answers invalid bodies with 400 and the issue paths, never 500', async () => {
    till = await startTestAgent();
    const res = await till.call('sale/tender', { kind: 'card', amount: -5 });
    expect(res.status).toBe(400);
    expect((res.body as { error: { issues: string[] } }).error.issues.join(' ')).toMatch(/amount/);
    expect((res.body as { error: { issues: string[] } }).error.issues.join(' ')).toMatch(/terminalRef/);
    const posts = Object.values(ROUTES).filter((r) => r.method === 'POST' && !r.path.startsWith('/api/shift/close'));
    const active = till;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...posts), fc.jsonValue(), async (r, body) => {
        const answer = await active.call(r.path.slice('/api/'.length), JSON.stringify(body));
        expect(answer.status).toBeLessThan(500);
        if (answer.status >= 400) expect(answer.body).toMatchObject({ error: { code: expect.any(String) } });
      }),
      fuzzParams(150),
    );
  });
});

describe('demo till', () => {
  it('fills an empty catalog from demo/ and sells from it at once', async () => {
    till = await startTestAgent({ seed: false });
    const view = sale((await till.call('sale')).body);
    expect(view.shift.shift?.operatorId).toBe('demo');
    // Helmelk 1 l from demo/catalog.json.
    const out = ScanOutputSchema.parse((await till.call('sale/scan', { code: '7038010000010' })).body);
    expect(out.ok).toBe(true);
    expect(out.sale.lines[0]?.itemId).toBe('dairy-milk-1l');
  });
});

describe('kiosk help flag', () => {
  it('is raised by the help button, seen by every screen, and cleared by staff or when the sale ends', async () => {
    till = await startTestAgent();
    const raised = till.nextEvent((e) => e.type === 'sale' && e.sale.help !== null);
    const flagged = sale((await till.call('kiosk/help', {})).body);
    expect(flagged.help?.requestedAt).toEqual(expect.any(String));
    expect(((await raised) as Extract<AgentEvent, { type: 'sale' }>).sale.help).toEqual(flagged.help);
    // A second press keeps the first time (how long the customer has waited).
    expect(sale((await till.call('kiosk/help', {})).body).help).toEqual(flagged.help);
    expect(sale((await till.call('kiosk/help-done', {})).body).help).toBeNull();
    await till.call('kiosk/help', {});
    await till.call('sale/scan', { code: SCAN.soap });
    const paid = TenderOutputSchema.parse((await till.call('sale/tender', { kind: 'cash' })).body);
    expect(paid.sale.help).toBeNull();
  });
});
