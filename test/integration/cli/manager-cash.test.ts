import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { openDb } from '../../../main/store';
import { REPO, runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';
import { minor } from '../../../main/core/money';
import { roundToCashUnit } from '../../../main/core/sale';

describe('till-agent manager cash-withdrawal', { timeout: 60_000 }, () => {
  it('takes cash out of the open shift\'s drawer, journaled as 13019 and left out of the expected cash; refuses bad input and more than the drawer holds', async () => {
    const dir = tempDir();
    const noShift = await runCli(['manager', 'cash-withdrawal', '--amount', '5', '--data-dir', dir]);
    expect(noShift.code).toBe(1);
    expect(noShift.stderr).toContain('No shift is open');

    expect((await runCli(['catalog', 'import', path.join(REPO, 'demo', 'catalog.json'), '--data-dir', dir])).code).toBe(0);
    const catalog = JSON.parse(fs.readFileSync(path.join(REPO, 'demo', 'catalog.json'), 'utf8')) as { items: { codes: string[] }[] };
    fs.writeFileSync(path.join(dir, 'sale.json'), JSON.stringify({ operator: 'anna', lines: [{ code: catalog.items[0]?.codes[0], quantity: 2 }], tenders: [{ kind: 'cash' }] }));
    expect((await runCli(['sale', 'run', path.join(dir, 'sale.json'), '--open-shift', 'anna', '--data-dir', dir])).code).toBe(0);
    const cashIn = (() => {
      const db = openDb(dbPath(dir));
      try {
        // Paid in cash on a NOK till: the drawer took the net rounded to whole kroner (docs/ledger.md, "Cash rounding").
        return roundToCashUnit(minor((db.prepare('SELECT net_minor FROM sales').get() as { net_minor: number }).net_minor), 100);
      } finally {
        db.close();
      }
    })();

    const bad = await runCli(['manager', 'cash-withdrawal', '--amount', '5,x', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--amount:');
    const zero = await runCli(['manager', 'cash-withdrawal', '--amount', '0', '--data-dir', dir]);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toContain('is not more than zero');
    const tooMuch = await runCli(['manager', 'cash-withdrawal', '--amount', ((cashIn + 1) / 100).toFixed(2), '--data-dir', dir]);
    expect(tooMuch.code).toBe(1);
    expect(tooMuch.stderr).toContain('cannot be taken out of it');

    const ok = await runCli(['manager', 'cash-withdrawal', '--amount', '5', '--note', 'to the safe', '--data-dir', dir]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Took 5.00 ');
    expect(ok.stdout).toContain(`The drawer should now hold ${((cashIn - 500) / 100).toFixed(2)}`);
    const db = openDb(dbPath(dir));
    try {
      const rows = db.prepare("SELECT j.payload_json FROM fiscal_events e JOIN journal j ON j.seq = e.journal_seq WHERE e.code = 'cash_withdrawal'").all() as { payload_json: string }[];
      expect(rows.map((r) => JSON.parse(r.payload_json) as unknown)).toEqual([expect.objectContaining({ amountMinor: 500, text: 'to the safe', operatorId: 'manager' })]);
    } finally {
      db.close();
    }
    const x = await runCli(['report', 'x', '--csv', '--data-dir', dir]);
    expect(x.stdout).toContain('fiscal_amount,cash_withdrawals,1,5.00,NOK');
    expect(x.stdout).toContain(`cash,expected,,${((cashIn - 500) / 100).toFixed(2)},NOK`);
  });
});
