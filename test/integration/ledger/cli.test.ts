import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';

const CSV = [
  'id,codes,name,groups,unit_price,vat_rate,unit,age_limit,eligible_for_discount',
  'milk,7038010009457,Milk 1 l,dairy:Dairy,21.90,15,piece,,true',
  'bad,123456789013,No check digit,dairy,1.00,25,piece,,',
  'apples,2301,Apples,fruit,34.90,15,weight,,yes',
  'short,1,Too few fields',
  'beer,beer1|7310070000002,Beer,alcohol,29.90,25,piece,18,no',
].join('\n');

describe('till-agent catalog, sale and journal', () => {
  it('imports the good rows, reports the bad ones by line, and sells from the catalog', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'items.csv'), CSV);
    const imported = await runCli(['catalog', 'import', path.join(dir, 'items.csv'), '--data-dir', dir]);
    expect(imported.code).toBe(3);
    expect(imported.stdout).toMatch(/imported 3 item\(s\); refused 2 row\(s\)/);
    expect(imported.stderr).toMatch(/items\.csv line 3: "123456789013" looks like a GTIN but its check digit is wrong/);
    expect(imported.stderr).toMatch(/items\.csv line 5: has 3 field\(s\), the header has 9/);
    const lookup = await runCli(['catalog', 'lookup', '07310070000002', '--json', '--data-dir', dir]);
    expect(JSON.parse(lookup.stdout)).toMatchObject({ id: 'beer', ageLimit: 18, eligibleForDiscount: false, unitPrice: 2990 });

    fs.writeFileSync(
      path.join(dir, 'sale.json'),
      JSON.stringify({ operator: 'anna', customerId: 'cust-1', lines: [{ code: '7038010009457', quantity: 2 }, { code: '2301', grams: 452 }], tenders: [{ kind: 'card', amount: '20.00', terminalRef: 'T-77' }, { kind: 'cash' }] }),
    );
    const refused = await runCli(['sale', 'run', path.join(dir, 'sale.json'), '--data-dir', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/No shift is open/);
    const sold = await runCli(['sale', 'run', path.join(dir, 'sale.json'), '--open-shift', 'anna', '--rule-set-version', 'r-1', '--json', '--data-dir', dir]);
    expect(sold.code).toBe(0);
    const result = JSON.parse(sold.stdout);
    expect(result).toMatchObject({ receiptId: 'demo-branch-till-1-000001', saleNo: 1, totals: { net: 4380 + 1577 }, change: 0 });
    const voided = await runCli(['sale', 'void', 'demo-branch-till-1-000001', '--json', '--data-dir', dir]);
    expect(JSON.parse(voided.stdout)).toMatchObject({ kind: 'void', receiptId: 'demo-branch-till-1-000002', totals: { net: -(4380 + 1577) } });

    const ok = await runCli(['journal', 'verify', '--data-dir', dir]);
    expect(ok.code).toBe(0);
    // Day, shift, the cashier's log-in event (kassasystemforskrifta), sale, void.
    expect(ok.stdout).toMatch(/journal intact: 5 entries/);
    const db = new Database(path.join(dir, 'till.sqlite'));
    expect(db.prepare('SELECT rule_set_version FROM sales WHERE sale_no = 1').get()).toEqual({ rule_set_version: 'r-1' });
    db.exec('DROP TRIGGER journal_appendOnlyUpdate');
    db.prepare("UPDATE journal SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 2").run();
    db.close();
    const broken = await runCli(['journal', 'verify', '--json', '--data-dir', dir]);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, brokenAt: 2, entries: 1 });
  });
});
