import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_MANAGER_PIN } from '../../../main/agent/manager-pin';
import { ManagerLoginOutputSchema, ManagerReportSchema, ROUTES, type RouteName, SaleViewSchema, TenderOutputSchema } from '../../../main/api/contract';
import { minor } from '../../../main/core/money';
import { roundToCashUnit } from '../../../main/core/sale';
import { findEntry } from '../../../main/store/ledger';
import { tempDir } from '../../helpers/temp-dir';
import { BREAD, SCAN, SOAP, startTestAgent, type TestAgent } from './fixtures';

let till: TestAgent | undefined;
afterEach(async () => {
  await till?.close();
  till = undefined;
});

const api = (route: RouteName): string => ROUTES[route].path.replace(/^\/api\//, '');
const view = (body: unknown) => SaleViewSchema.parse(body);

async function ok(t: TestAgent, p: string, body: unknown = p === 'sale' ? undefined : {}): Promise<unknown> {
  const res = await t.call(p, body);
  expect(res.status, `${p}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}

describe('cash rounding and the external card terminal through the local API (NOK, real SQLite, restart)', { timeout: 60_000 }, () => {
  it('rounds cash to whole kroner, keeps it over a restart, and counts it in the drawer and the X report', async () => {
    const dataDir = tempDir('till-cash-rounding-');
    till = await startTestAgent({ dataDir });
    const t = till;

    // 1. Soap 49.50 paid with a 200 note: to pay in cash 50.00 (rounding +0.50), change 150.00.
    await ok(t, 'sale/scan', { code: SCAN.soap });
    const before = view(await ok(t, 'sale'));
    expect(before.remaining).toBe(SOAP.unitPrice);
    expect(before.cashDue).toBe(roundToCashUnit(minor(SOAP.unitPrice), 100));
    expect(before.cardTerminal).toBe('external');
    const first = TenderOutputSchema.parse(await ok(t, 'sale/tender', { kind: 'cash', amount: 20_000 }));
    expect(first.committed).toBe(true);
    expect(first.receipt).toMatchObject({ rounding: 50, change: 15_000, totals: { net: SOAP.unitPrice } });
    expect(first.receipt?.tenders).toEqual([{ kind: 'cash', amount: SOAP.unitPrice, tendered: 20_000, offline: false }]);

    // 2. Soap and bread, 89.40: cash left out pays the rounded cash due, 89.00 (rounding -0.40), no change.
    await ok(t, 'sale/scan', { code: SCAN.soap });
    await ok(t, 'sale/scan', { code: SCAN.bread });
    const due = SOAP.unitPrice + BREAD.unitPrice;
    const second = view(await ok(t, 'sale'));
    expect(second.totals.net).toBe(due);
    expect(second.cashDue).toBe(8900);
    // 88.99 in cash does not pay it: the sale stays open with the tender held.
    const short = TenderOutputSchema.parse(await ok(t, 'sale/tender', { kind: 'cash', amount: 8899 }));
    expect(short.committed).toBe(false);
    expect(short.sale.cashDue).toBe(1);
    await ok(t, 'sale/clear-tenders', {});
    const exact = TenderOutputSchema.parse(await ok(t, 'sale/tender', { kind: 'cash' }));
    expect(exact.committed).toBe(true);
    expect(exact.receipt).toMatchObject({ rounding: -40, change: 0 });
    expect(exact.receipt?.tenders).toEqual([{ kind: 'cash', amount: due, tendered: 8900, offline: false }]);

    // 3. Bread on the stand-alone card terminal: no reference, no rounding (a card pays to the øre).
    await ok(t, 'sale/scan', { code: SCAN.bread });
    expect((await t.call('sale/tender', { kind: 'card' })).status).toBe(400);
    expect((await t.call('sale/tender', { kind: 'card', terminal: 'external', terminalRef: 'T-1' })).status).toBe(400);
    const card = TenderOutputSchema.parse(await ok(t, 'sale/tender', { kind: 'card', terminal: 'external' }));
    expect(card.committed).toBe(true);
    expect(card.receipt?.rounding).toBeUndefined();
    expect(card.receipt?.tenders).toEqual([{ kind: 'card_external', amount: BREAD.unitPrice, offline: false }]);
    const layout = (await ok(t, 'sale/receipt-layout', { receiptId: card.receipt?.receiptId })) as { lines: { text: string }[] };
    expect(layout.lines.some((l) => /^Card \(external terminal\)\s+39\.90$/.test(l.text))).toBe(true);
    const cashLayout = (await ok(t, 'sale/receipt-layout', { receiptId: exact.receipt?.receiptId })) as { lines: { text: string }[] };
    expect(cashLayout.lines.map((l) => l.text).filter((l) => /^(Rounding|Cash)\s/.test(l))).toEqual([expect.stringMatching(/^Rounding\s+-0\.40$/), expect.stringMatching(/^Cash\s+89\.00$/)]);

    // 3b. Cash held above the total but short of the rounded cash part: 49.60 for the soap leaves 0.40 in cash due.
    await ok(t, 'sale/scan', { code: SCAN.soap });
    const held = TenderOutputSchema.parse(await ok(t, 'sale/tender', { kind: 'cash', amount: 4960 }));
    expect(held.committed).toBe(false);
    expect(held.sale).toMatchObject({ remaining: 0, cashDue: 40 });
    const topUp = TenderOutputSchema.parse(await ok(t, 'sale/tender', { kind: 'cash', amount: 100 }));
    expect(topUp.committed).toBe(true);
    expect(topUp.receipt).toMatchObject({ rounding: 50, change: 60 });

    // 3c. Part of a basket on the stand-alone terminal, held when the till restarts.
    await ok(t, 'sale/scan', { code: SCAN.bread });
    const part = TenderOutputSchema.parse(await ok(t, 'sale/tender', { kind: 'card', terminal: 'external', amount: 1000 }));
    expect(part.committed).toBe(false);

    // 4. Restart on the same data: the roundings are still there, in the document and the ledger's column.
    const ids = [first.receipt?.receiptId ?? '', exact.receipt?.receiptId ?? '', card.receipt?.receiptId ?? ''];
    await t.close();
    till = await startTestAgent({ dataDir, seed: false });
    const again = till;
    expect(ids.map((id) => findEntry(again.agent.db, id)?.entry.rounding)).toEqual([50, -40, undefined]);
    expect((again.agent.db.prepare('SELECT rounding_minor FROM sales ORDER BY id').all() as { rounding_minor: number }[]).map((r) => r.rounding_minor)).toEqual([50, -40, 0, 50]);
    expect(findEntry(again.agent.db, ids[2] ?? '')?.entry.tenders[0]).toMatchObject({ kind: 'card', terminal: 'external' });
    const restored = view(await ok(again, 'sale'));
    expect(restored.tenders).toEqual([{ kind: 'card_external', amount: 1000 }]);
    expect(restored.cashDue).toBe(roundToCashUnit(minor(BREAD.unitPrice - 1000), 100));
    await ok(again, 'sale/clear-tenders', {});

    // 5. The drawer expects the cash actually taken (50.00 + 89.00) and the X report shows the day's rounding.
    const login = ManagerLoginOutputSchema.parse(await ok(again, api('managerLogin'), { pin: DEMO_MANAGER_PIN }));
    if (login.result !== 'ok') throw new Error(login.result);
    const x = ManagerReportSchema.parse(await ok(again, api('managerReport'), { session: login.session, kind: 'X' })).report;
    expect(x.cashRounding).toEqual({ count: 3, amount: 50 - 40 + 50 });
    expect(x.tenders).toEqual([
      { kind: 'card', count: 1, amount: BREAD.unitPrice },
      { kind: 'cash', count: 4, amount: SOAP.unitPrice + due + SOAP.unitPrice },
    ]);
    expect(x.cash?.expected).toBe(5000 + 8900 + 5000);
    expect(x.net).toBe(SOAP.unitPrice + due + BREAD.unitPrice + SOAP.unitPrice);
    await ok(again, api('managerLogout'), { session: login.session });
    // Counting exactly the cash taken closes the shift without a difference.
    const closed = (await ok(again, 'shift/close', { countedCash: 5000 + 8900 + 5000 })) as { difference: number };
    expect(closed.difference).toBe(0);
    fs.rmSync(path.join(dataDir), { recursive: true, force: true });
  });
});
