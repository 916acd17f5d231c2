import { execFileSync } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';
import { EXAMPLE_NAME, officialFixturesDir, XSD_NAME } from './saft-fixtures';
import { tillWithADay } from './saft-day';

const fixtures = officialFixturesDir();

/** Every transaction's signed fields and signature, read with a regular expression, not with the till's reader. */
function transactions(xml: string): { nr: string; date: string; time: string; amountIn: string; amountEx: string; signature: string; training: string }[] {
  const field = (block: string, name: string): string => new RegExp(`<${name}>([^<]*)</${name}>`).exec(block)?.[1] ?? '';
  return [...xml.matchAll(/<cashtransaction>([\s\S]*?)<\/cashtransaction>/g)].map((m) => {
    const b = m[1] ?? '';
    return { nr: field(b, 'nr'), date: field(b, 'transDate'), time: field(b, 'transTime'), amountIn: field(b, 'transAmntIn'), amountEx: field(b, 'transAmntEx'), signature: field(b, 'signature'), training: field(b, 'trainingID') };
  });
}

describe('SAF-T Cash Register export', () => {
  let till: { dataDir: string; configFile: string };
  let out: string;
  let keyFile: string;
  let root = '';
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const common = (): string[] => ['--data-dir', till.dataDir, '--config', till.configFile];

  beforeAll(async () => {
    // Kept for the whole file (tempDir's are removed after each test).
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'till-saft-'));
    fs.mkdirSync(path.join(root, 'data'));
    fs.mkdirSync(path.join(root, 'out'));
    till = tillWithADay(path.join(root, 'data'));
    const dir = path.join(root, 'out');
    out = path.join(dir, 'saft.xml');
    keyFile = path.join(dir, 'public.pem');
    const exported = await runCli(['saft', 'export', '--from', '2026-03-02', '--to', '2026-03-02', '--out', out, ...common()]);
    expect(exported.stderr).toBe('');
    expect(exported.stdout).toMatch(/wrote .*: 6 transactions, \d+ events/);
    const key = await runCli(['saft', 'public-key', '--out', keyFile, ...common()]);
    expect(key.code).toBe(0);
  }, 60_000);

  it.skipIf(fixtures === undefined)('validates against the official XSD (xmllint)', () => {
    const result = execFileSync('xmllint', ['--noout', '--schema', path.join(fixtures ?? '', XSD_NAME), out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(result).toBe('');
  });

  it('has every transaction signed in one chain that verifies with the exported public key and Node crypto alone', () => {
    const xml = fs.readFileSync(out, 'utf8');
    const txs = transactions(xml);
    expect(txs).toHaveLength(6);
    const key = createPublicKey(fs.readFileSync(keyFile, 'utf8'));
    let previous = '0';
    for (const tx of txs) {
      const text = [previous, tx.date, tx.time, tx.nr, tx.amountIn, tx.amountEx].join(';');
      expect(verify('sha1', Buffer.from(text), key, Buffer.from(tx.signature, 'base64')), `transaction ${tx.nr}`).toBe(true);
      previous = tx.signature;
    }
    expect(txs.map((t) => t.training)).toEqual(['false', 'false', 'false', 'false', 'true', 'false']);
    // The events the day recorded, with the Tax Administration's codes declared in <basics>.
    for (const type of ['POSSTART', 'EMPIN', 'SALREC', 'DRAWOPEN', 'COPYREC', 'VOIDREC', 'RETREC', 'TRAINREC', 'NORECEIPT', 'DRAWNOSALE', 'DRAWCLOSE', 'PROVREC', 'PRICELOOKUP', 'SALECANCEL', 'XREP', 'ZREP', 'EMPOUT', 'POSEND']) {
      expect(xml, type).toContain(`<eventType>${type}</eventType>`);
    }
    expect(xml).toContain('<basicID>DRAWNOSALE</basicID><predefinedBasicID>13005</predefinedBasicID>');
    expect(xml).toContain('<taxRegIdent>999999999MVA</taxRegIdent>');
    expect(xml).toContain('<basicID>dairy</basicID><predefinedBasicID>04006</predefinedBasicID>');
    // The cash sale rounded 89.47 to 89.00 and its void gave back the same: <rounding> before the payments, CASH as
    // the drawer took it, the transaction's amount unrounded.
    expect(xml).toContain('<rounding><roundingAmnt>-0.47</roundingAmnt></rounding><payment><paymentType>CASH</paymentType><paidAmnt>89.00</paidAmnt>');
    expect(xml).toContain('<rounding><roundingAmnt>0.47</roundingAmnt></rounding><payment><paymentType>CASH</paymentType><paidAmnt>-89.00</paidAmnt>');
  });

  it('counts the day in the Z report: receipts, copies, drawer openings without sale, training apart, article groups', async () => {
    const r = await runCli(['report', 'z', '--json', ...common()]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { sales: { count: number }; fiscal: Record<string, unknown> };
    // Three sales that count (cash, card, kiosk); the training sale is counted apart.
    expect(report.sales.count).toBe(3);
    expect(report.fiscal).toMatchObject({
      salesReceipts: 2,
      returnReceipts: 1,
      voidReceipts: 1,
      copies: 1,
      provisionalReceipts: 1,
      drawerOpeningsWithoutSale: 1,
      cancelledSales: 1,
      priceLookups: 1,
      salesWithoutReceipt: 1,
      training: { count: 1 },
    });
    expect((report.fiscal['articleGroups'] as { group: string }[]).map((g) => g.group)).toEqual(['alcohol', 'dairy', 'fruit']);
    const csv = await runCli(['report', 'z', '--csv', ...common()]);
    expect(csv.stdout).toContain('fiscal,drawer_openings_without_sale,1,,');
  });

  it('passes saft verify with the public key', async () => {
    const r = await runCli(['saft', 'verify', out, '--public-key', keyFile]);
    expect(r.stdout).toMatch(/SAF-T file intact: 6 transactions, \d+ events, 1 register\(s\); 6 signatures checked/);
    expect(r.code).toBe(0);
  });

  it('names the transaction whose amount was changed in the database, in saft verify and journal verify', async () => {
    const raw = new Database(dbPath(till.dataDir));
    raw.exec('DROP TRIGGER sales_appendOnlyUpdate');
    raw.prepare('UPDATE sales SET net_minor = net_minor - 500 WHERE sale_no = 2').run();
    raw.close();
    const journal = await runCli(['journal', 'verify', ...common()]);
    expect(journal.code).toBe(1);
    expect(journal.stdout).toContain('fiscal signatures BROKEN at demo-branch-till-1-000002');
    const altered = path.join(path.dirname(out), 'altered.xml');
    expect((await runCli(['saft', 'export', '--from', '2026-03-02', '--to', '2026-03-02', '--out', altered, ...common()])).code).toBe(0);
    const r = await runCli(['saft', 'verify', altered, '--public-key', keyFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^SAF-T file BROKEN at transaction 2 \(register till-1, line \d+\): its lines add up to/);
    expect(r.stdout).toMatch(/transaction 2 .*its signature does not verify/);
  });

  it.skipIf(fixtures === undefined)("passes the official example file through saft verify's structure checks", async () => {
    const r = await runCli(['saft', 'verify', path.join(fixtures ?? '', EXAMPLE_NAME)]);
    expect(r.stdout).toMatch(/SAF-T file intact: 4 transactions, \d+ events, 1 register\(s\); signatures not checked/);
    expect(r.code).toBe(0);
  });

  it('refuses a file that is not well-formed, saying where', async () => {
    const bad = path.join(tempDir('till-saft-bad-'), 'bad.xml');
    fs.writeFileSync(bad, '<auditfile xmlns="urn:StandardAuditFile-Taxation-CashRegister:NO">\n<header>\n</auditfile>\n');
    const r = await runCli(['saft', 'verify', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not well-formed XML: line 3: </auditfile> where </header> was expected');
  });
});
