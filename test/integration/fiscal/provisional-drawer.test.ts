import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_MANAGER_PIN } from '../../../main/agent/manager-pin';
import { exportSaft } from '../../../main/agent/saft-export';
import { ManagerLoginOutputSchema, ManagerReportSchema, ReceiptDocumentSchema, ROUTES, type RouteName, SaleViewSchema } from '../../../main/api/contract';
import { loadConfig } from '../../../main/config';
import { decodeEscPos } from '../../../native/printers/escpos-decoder';
import { tempDir } from '../../helpers/temp-dir';
import { TcpPrinterServer } from '../printers/printer-emulator';
import { SCAN, startTestAgent, type TestAgent } from '../sale-api/fixtures';
import { officialFixturesDir, XSD_NAME } from './saft-fixtures';

let till: TestAgent | undefined;
let printer: TcpPrinterServer | undefined;
afterEach(async () => {
  await till?.close();
  till = undefined;
  await printer?.close();
  printer = undefined;
});

const api = (route: RouteName): string => ROUTES[route].path.replace(/^\/api\//, '');
const fixtures = officialFixturesDir();

function events(t: TestAgent, code: string): Record<string, unknown>[] {
  return (t.agent.db.prepare('SELECT j.payload_json FROM fiscal_events e JOIN journal j ON j.seq = e.journal_seq WHERE e.code = ? ORDER BY e.journal_seq').all(code) as { payload_json: string }[]).map(
    (r) => JSON.parse(r.payload_json) as Record<string, unknown>,
  );
}

describe('provisional receipt and drawer closed (loopback API, loopback printer, real SQLite)', { timeout: 60_000 }, () => {
  it('prints a provisional receipt of the open basket, journals it and the drawer closing, counts both, and exports them in a valid SAF-T file', async () => {
    printer = new TcpPrinterServer();
    const port = await printer.listen();
    till = await startTestAgent({ config: { demo: true, devices: { printer: { kind: 'tcp', host: '127.0.0.1', port } } } });
    const t = till;
    const emulator = printer.emulator;
    const printed = (): string[] => emulator.receipts().map((r) => decodeEscPos(r).lines.map((l) => l.text).join('\n'));

    // Nothing in the basket: nothing to bill, nothing journaled.
    const empty = await t.call(api('printProvisional'), {});
    expect(empty.status).toBe(409);
    expect(JSON.stringify(empty.body)).toContain('basket is empty');
    expect(events(t, 'provisional_receipt')).toHaveLength(0);

    expect((await t.call('sale/scan', { code: SCAN.milk })).status).toBe(200);
    const res = await t.call(api('printProvisional'), {});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const bill = ReceiptDocumentSchema.parse(res.body);
    expect(bill).toMatchObject({ provisional: true, receiptId: 'oslo-1-pos-3-P000001', tenders: [], openDrawer: false, lines: [expect.objectContaining({ description: 'Milk 1 l', net: 2151 })] });
    // On paper under the regulation's title, without a kick; the basket is still there to pay.
    await expect.poll(() => printed().find((p) => p.includes('oslo-1-pos-3-P000001')), { timeout: 15_000 }).toContain('Provisional receipt - not valid as a receipt');
    expect(printed().find((p) => p.includes('P000001'))).not.toContain('Sales receipt');
    const sale = SaleViewSchema.parse((await t.call('sale', undefined)).body);
    expect(sale.lines).toHaveLength(1);
    expect(events(t, 'provisional_receipt')).toEqual([expect.objectContaining({ operatorId: 'demo', text: 'oslo-1-pos-3-P000001', amountMinor: bill.totals.net })]);
    // The second one is numbered on, and no sale number was taken.
    expect(ReceiptDocumentSchema.parse((await t.call(api('printProvisional'), {})).body).receiptId).toBe('oslo-1-pos-3-P000002');
    expect(t.agent.db.prepare('SELECT count(*) AS n FROM sales').get()).toEqual({ n: 0 });

    // Paid in cash: the receipt kicks the drawer. The sensor reads open, then shut: one drawer-closed event.
    expect((await t.call('sale/tender', { kind: 'cash' })).status).toBe(200);
    await expect.poll(() => events(t, 'drawer_open_sale').length, { timeout: 15_000 }).toBe(1);
    emulator.drawerOpen = true;
    await expect.poll(() => emulator.statusRequests, { timeout: 10_000 }).toBeGreaterThan(emulator.statusRequests + 4);
    expect(events(t, 'drawer_close')).toHaveLength(0);
    emulator.drawerOpen = false;
    await expect.poll(() => events(t, 'drawer_close').length, { timeout: 10_000 }).toBe(1);

    // The X report counts both provisional receipts with their amount; the sale is a sale.
    const login = ManagerLoginOutputSchema.parse((await t.call(api('managerLogin'), { pin: DEMO_MANAGER_PIN })).body);
    if (login.result !== 'ok') throw new Error(login.result);
    const x = ManagerReportSchema.parse((await t.call(api('managerReport'), { session: login.session, kind: 'X' })).body).report;
    expect(x.sales.count).toBe(1);
    expect(x.fiscal?.provisionalReceipts).toBe(2);
    expect(x.fiscal?.amounts?.provisional).toEqual({ count: 2, amount: 2 * bill.totals.net });

    // The day's SAF-T file has both events, declared with the Tax Administration's codes, and is valid.
    const dir = tempDir('till-provisional-');
    const out = path.join(dir, 'saft.xml');
    fs.writeFileSync(path.join(dir, 'till-agent.config.json'), JSON.stringify({ store: { name: 'Butikken AS', addressLines: ['Storgata 1'], orgNumber: '999 999 999' } }));
    const { config } = loadConfig({ dataDir: dir, env: { TILL_BRANCH_ID: 'oslo-1', TILL_POS_ID: 'pos-3' } });
    const day = (ms: number): string => new Date(Date.now() + ms).toISOString().slice(0, 10);
    exportSaft(t.agent.db, config, { from: day(-86_400_000), to: day(86_400_000), out, now: new Date() });
    const xml = fs.readFileSync(out, 'utf8');
    expect(xml).toContain('<basicID>PROVREC</basicID><predefinedBasicID>13015</predefinedBasicID>');
    expect(xml).toContain('<basicID>DRAWCLOSE</basicID><predefinedBasicID>13006</predefinedBasicID>');
    expect(xml.match(/<eventType>PROVREC<\/eventType>/g)).toHaveLength(2);
    expect(xml.match(/<eventType>DRAWCLOSE<\/eventType>/g)).toHaveLength(1);
    if (fixtures !== undefined) {
      expect(execFileSync('xmllint', ['--noout', '--schema', path.join(fixtures, XSD_NAME), out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
    }
  });
});
