import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_MANAGER_PIN } from '../../../main/agent/manager-pin';
import { exportSaft } from '../../../main/agent/saft-export';
import { ManagerDaySchema, ManagerLoginOutputSchema, ManagerReportSchema, ROUTES, type RouteName, ScanOutputSchema } from '../../../main/api/contract';
import { loadConfig } from '../../../main/config';
import { minor } from '../../../main/core/money';
import { roundToCashUnit } from '../../../main/core/sale';
import { importCatalog } from '../../../main/store/catalog';
import { tempDir } from '../../helpers/temp-dir';
import { MILK, SCAN, SOAP, startTestAgent, type TestAgent } from '../sale-api/fixtures';

let till: TestAgent | undefined;
afterEach(async () => {
  await till?.close();
  till = undefined;
});

const api = (route: RouteName): string => ROUTES[route].path.replace(/^\/api\//, '');

async function ok(t: TestAgent, p: string, body: unknown = {}): Promise<unknown> {
  const res = await t.call(p, body);
  expect(res.status, `${p}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}

function codes(t: TestAgent): string[] {
  return (t.agent.db.prepare('SELECT code FROM fiscal_events ORDER BY journal_seq').all() as { code: string }[]).map((r) => r.code);
}

function eventPayloads(t: TestAgent, code: string): Record<string, unknown>[] {
  return (t.agent.db.prepare('SELECT j.payload_json FROM fiscal_events e JOIN journal j ON j.seq = e.journal_seq WHERE e.code = ? ORDER BY e.journal_seq').all(code) as { payload_json: string }[]).map(
    (r) => JSON.parse(r.payload_json) as Record<string, unknown>,
  );
}

describe('fiscal events from the real flows (loopback API, real SQLite)', { timeout: 60_000 }, () => {
  it('journals every event the till makes, counts them on the X report, and exports them in SAF-T', async () => {
    till = await startTestAgent();
    const t = till;
    // Lines: two milk and a soap; one milk taken off, the soap deleted.
    await ok(t, 'sale/scan', { code: SCAN.milk });
    await ok(t, 'sale/scan', { code: SCAN.milk });
    const withSoap = ScanOutputSchema.parse(await ok(t, 'sale/scan', { code: SCAN.soap })).sale;
    const milkLine = withSoap.lines.find((l) => l.itemId === MILK.id);
    const soapLine = withSoap.lines.find((l) => l.itemId === SOAP.id);
    if (!milkLine || !soapLine) throw new Error('lines missing');
    await ok(t, 'sale/quantity', { lineId: milkLine.lineId, quantity: 1 });
    await ok(t, 'sale/void-line', { lineId: soapLine.lineId });
    // A refused change records nothing: an unknown line.
    expect((await t.call('sale/void-line', { lineId: 999 })).status).not.toBe(200);
    // Park and take back, look a price up, then pay cash.
    await ok(t, 'sale/suspend');
    await ok(t, 'sale/resume', { id: 'S1' });
    await ok(t, 'items/price-check', { code: SCAN.soap });
    await ok(t, 'sale/tender', { kind: 'cash' });
    // Milk is 10 % off for anyone (the seed's rule): the sale's own net is what the cash and the copy amount to.
    const milkNet = (t.agent.db.prepare('SELECT net_minor FROM sales ORDER BY id LIMIT 1').get() as { net_minor: number }).net_minor;
    expect(milkNet).toBeLessThan(MILK.unitPrice);
    // Paid in cash on a NOK till: the drawer took the net rounded to whole kroner (docs/ledger.md, "Cash rounding").
    const milkCash = roundToCashUnit(minor(milkNet), 100);
    // One copy, and no second.
    await ok(t, 'sale/reprint');
    const second = await t.call('sale/reprint', {});
    expect(second.status).toBe(409);
    expect(JSON.stringify(second.body)).toContain('one copy per sale');
    // A sale cancelled before payment.
    await ok(t, 'sale/scan', { code: SCAN.soap });
    await ok(t, 'sale/cancel');
    // Cancelling an empty basket is no cancelled sale.
    await ok(t, 'sale/cancel');

    // The manager: log in, training on, a training sale, training off, take cash out, an X report, log out.
    const login = ManagerLoginOutputSchema.parse(await ok(t, api('managerLogin'), { pin: DEMO_MANAGER_PIN }));
    if (login.result !== 'ok') throw new Error(login.result);
    const session = login.session;
    expect(await ok(t, api('managerTraining'), { session, on: true })).toEqual({ training: true, changed: true });
    expect(await ok(t, api('managerTraining'), { session, on: true })).toEqual({ training: true, changed: false });
    expect(ManagerDaySchema.parse(await ok(t, api('managerDay'), { session })).training).toBe(true);
    await ok(t, 'sale/scan', { code: SCAN.soap });
    await ok(t, 'sale/tender', { kind: 'cash' });
    await ok(t, api('managerTraining'), { session, on: false });
    const dayBefore = ManagerDaySchema.parse(await ok(t, api('managerDay'), { session }));
    // The float (0) plus the one real cash sale (milk); the training sale moved no money.
    expect(dayBefore.expectedCash).toBe(milkCash);
    const tooMuch = await t.call(api('managerCashWithdrawal'), { session, amount: milkCash + 1 });
    expect(tooMuch.status).toBe(409);
    expect(await ok(t, api('managerCashWithdrawal'), { session, amount: 1000, note: 'to the safe' })).toEqual({ amount: 1000, expectedCash: milkCash - 1000, drawerJobId: null });
    const x = ManagerReportSchema.parse(await ok(t, api('managerReport'), { session, kind: 'X' })).report;
    await ok(t, api('managerLogout'), { session });

    const seen = codes(t);
    for (const code of ['app_start', 'login', 'line_reduced', 'line_deleted', 'suspend', 'resume', 'price_lookup', 'copy_receipt', 'sale_cancelled', 'training_on', 'training_off', 'cash_withdrawal', 'x_report', 'logout']) {
      expect(seen, code).toContain(code);
    }
    expect(seen.filter((c) => c === 'sale_cancelled')).toHaveLength(1);
    expect(seen.filter((c) => c === 'line_deleted')).toHaveLength(1);
    expect(seen.filter((c) => c === 'training_on')).toHaveLength(1);
    // The demo cashier's shift is a log-in; the manager's PIN session is another, and its log-out.
    expect(eventPayloads(t, 'login').map((p) => p.operatorId)).toEqual(['demo', 'manager']);
    expect(eventPayloads(t, 'logout').map((p) => p.operatorId)).toEqual(['manager']);
    expect(eventPayloads(t, 'line_deleted')[0]).toMatchObject({ amountMinor: SOAP.unitPrice, operatorId: 'demo' });
    expect(eventPayloads(t, 'line_reduced')[0]).toMatchObject({ amountMinor: MILK.unitPrice });
    expect(eventPayloads(t, 'sale_cancelled')[0]).toMatchObject({ amountMinor: SOAP.unitPrice });
    expect(eventPayloads(t, 'cash_withdrawal')[0]).toMatchObject({ amountMinor: 1000, text: 'to the safe', operatorId: 'manager' });

    // The X report counts them, with amounts, and keeps the training sale apart.
    expect(x.sales).toEqual({ count: 1, net: milkNet });
    expect(x.fiscal?.training).toEqual({ count: 1, net: SOAP.unitPrice });
    expect(x.fiscal?.copies).toBe(1);
    expect(x.fiscal?.priceLookups).toBe(1);
    expect(x.fiscal?.amounts).toEqual({
      copies: { count: 1, amount: milkNet },
      provisional: { count: 0, amount: 0 },
      cancelledSales: { count: 1, amount: SOAP.unitPrice },
      corrections: { count: 2, amount: MILK.unitPrice + SOAP.unitPrice },
      cashWithdrawals: { count: 1, amount: 1000 },
    });
    expect(x.cash).toEqual({ expected: milkCash - 1000, counted: null, difference: null });
    expect(x.cashRounding).toEqual({ count: milkCash === milkNet ? 0 : 1, amount: milkCash - milkNet });

    // A price changed by a catalog import is journaled; an unchanged one is not.
    importCatalog(t.agent.db, [{ line: 2, item: { ...MILK, unitPrice: minor(MILK.unitPrice + 100) } }, { line: 3, item: SOAP }], new Date());
    expect(eventPayloads(t, 'price_change')).toEqual([expect.objectContaining({ text: `milk ${MILK.unitPrice} -> ${MILK.unitPrice + 100}`, amountMinor: MILK.unitPrice + 100 })]);

    // The SAF-T file of the day has every one of them as an event.
    const dir = tempDir('till-journal-events-');
    const out = path.join(dir, 'saft.xml');
    fs.writeFileSync(path.join(dir, 'till-agent.config.json'), JSON.stringify({ store: { name: 'Butikken AS', addressLines: ['Storgata 1'], orgNumber: '999 999 999' } }));
    const { config } = loadConfig({ dataDir: dir, env: { TILL_BRANCH_ID: 'oslo-1', TILL_POS_ID: 'pos-3' } });
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const result = exportSaft(t.agent.db, config, { from: yesterday < today ? yesterday : today, to: tomorrow, out, now: new Date() });
    expect(result.events).toBeGreaterThanOrEqual(seen.length);
    const xml = fs.readFileSync(out, 'utf8');
    for (const basic of ['EMPIN', 'EMPOUT', 'LINEREDUCE', 'LINEDELETE', 'SUSPEND', 'RESUME', 'PRICELOOKUP', 'COPYREC', 'SALECANCEL', 'TRAINON', 'TRAINOFF', 'CASHOUT', 'XREP', 'PRICECHG']) {
      expect(xml, basic).toContain(`<eventType>${basic}</eventType>`);
    }
  });

  it('journals a manager session that timed out as a log-out, once, noticed by the sweep without any call', async () => {
    till = await startTestAgent({ managerSessionTimes: { idleMs: 300, sweepMs: 50 } });
    const t = till;
    const login = ManagerLoginOutputSchema.parse(await ok(t, api('managerLogin'), { pin: DEMO_MANAGER_PIN }));
    if (login.result !== 'ok') throw new Error(login.result);
    expect(login.idleTimeoutMs).toBe(300);
    // Nobody calls: the sweep finds the session expired and journals the log-out.
    await vi.waitFor(() => expect(eventPayloads(t, 'logout').filter((p) => p.operatorId === 'manager')).toHaveLength(1), { timeout: 5000, interval: 50 });
    const [logout] = eventPayloads(t, 'logout');
    expect(logout).toMatchObject({ operatorId: 'manager', text: 'session timed out', expiredAt: expect.any(String) });
    // The session is gone; presenting it or logging it out adds no second log-out.
    expect((await t.call(api('managerDay'), { session: login.session })).status).toBe(401);
    await ok(t, api('managerLogout'), { session: login.session });
    expect(eventPayloads(t, 'logout')).toHaveLength(1);
    expect(codes(t).filter((c) => c === 'login' || c === 'logout')).toEqual(['login', 'logout']);
  });
});

