import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { checkManagerPin } from '../../../main/agent/manager-pin';
import { openDb } from '../../../main/store';
import { getPinHash } from '../../../main/store/manager-auth';
import { closeBusinessDay, closeShift } from '../../../main/store/ledger';
import { REPO, runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';

describe('till-agent manager set-pin and report', { timeout: 60_000 }, () => {
  it('sets the PIN from stdin (refusing a malformed one) and never prints it', async () => {
    const dir = tempDir();
    const bad = await runCli(['manager', 'set-pin', '--data-dir', dir], {}, 20_000, '12ab\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('The manager PIN must be 4 to 12 digits. (read from stdin)');
    const good = await runCli(['manager', 'set-pin', '--data-dir', dir], {}, 20_000, '246810\n');
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout + good.stderr).not.toContain('246810');
    const db = openDb(dbPath(dir));
    try {
      expect(getPinHash(db)?.algorithm).toBe('scrypt');
      expect(await checkManagerPin(db, '246810', () => new Date())).toEqual({ ok: true });
    } finally {
      db.close();
    }
  });

  it('prints the X report as text and CSV, and the Z report of a closed day the same every time', async () => {
    const dir = tempDir();
    expect((await runCli(['catalog', 'import', path.join(REPO, 'demo', 'catalog.json'), '--data-dir', dir])).code).toBe(0);
    const catalog = JSON.parse(fs.readFileSync(path.join(REPO, 'demo', 'catalog.json'), 'utf8')) as { items: { codes: string[] }[] };
    fs.writeFileSync(path.join(dir, 'sale.json'), JSON.stringify({ operator: 'anna', lines: [{ code: catalog.items[0]?.codes[0], quantity: 2 }], tenders: [{ kind: 'cash' }] }));
    const sold = await runCli(['sale', 'run', path.join(dir, 'sale.json'), '--open-shift', 'anna', '--data-dir', dir]);
    expect(sold.code, sold.stderr).toBe(0);

    const noZ = await runCli(['report', 'z', '--data-dir', dir]);
    expect(noZ.code).toBe(1);
    expect(noZ.stderr).toContain('No business day has been closed yet');
    const x = await runCli(['report', 'x', '--data-dir', dir]);
    expect(x.code, x.stderr).toBe(0);
    expect(x.stdout).toMatch(/^X report, business day \d{4}-\d{2}-\d{2}/);
    expect(x.stdout).toContain('Sales 1:');
    const csv = await runCli(['report', 'X', '--csv', '--data-dir', dir]);
    expect(csv.stdout.split('\r\n')[0]).toBe('section,key,count,amount,currency');
    expect(csv.stdout).toMatch(/\r\nentries,sales,1,\d+\.\d{2},NOK\r\n/);
    expect((await runCli(['report', 'y', '--data-dir', dir])).stderr).toContain('"y" is not a report');

    const db = openDb(dbPath(dir));
    closeShift(db, null, new Date());
    closeBusinessDay(db, new Date());
    db.close();
    const z1 = await runCli(['report', 'z', '--json', '--data-dir', dir]);
    expect(z1.code, z1.stderr).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    const z2 = await runCli(['report', 'z', '--json', '--data-dir', dir]);
    expect(z2.stdout).toBe(z1.stdout);
    expect(JSON.parse(z1.stdout)).toMatchObject({ kind: 'Z', sales: { count: 1 } });
    const out = path.join(dir, 'z.csv');
    expect((await runCli(['report', 'z', '--csv', '--out', out, '--data-dir', dir])).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain('report,kind,,Z,');
  });

  it('switches training mode: sales while it is on are counted apart on the X report, the switch journaled', async () => {
    const dir = tempDir();
    expect((await runCli(['catalog', 'import', path.join(REPO, 'demo', 'catalog.json'), '--data-dir', dir])).code).toBe(0);
    const catalog = JSON.parse(fs.readFileSync(path.join(REPO, 'demo', 'catalog.json'), 'utf8')) as { items: { codes: string[] }[] };
    fs.writeFileSync(path.join(dir, 'sale.json'), JSON.stringify({ operator: 'anna', lines: [{ code: catalog.items[0]?.codes[0], quantity: 1 }], tenders: [{ kind: 'cash' }] }));
    expect((await runCli(['manager', 'training', '--data-dir', dir])).stdout).toBe('Training mode is off\n');
    expect((await runCli(['manager', 'training', 'maybe', '--data-dir', dir])).stderr).toContain('"maybe" is not a training state');
    const on = await runCli(['manager', 'training', 'on', '--data-dir', dir]);
    expect(on.code, on.stderr).toBe(0);
    expect(on.stdout).toBe('Training mode is ON: sales are training sales (switched now).\n');
    expect((await runCli(['manager', 'training', 'on', '--data-dir', dir])).stdout).toContain('(it already was).');
    const sold = await runCli(['sale', 'run', path.join(dir, 'sale.json'), '--open-shift', 'anna', '--data-dir', dir]);
    expect(sold.code, sold.stderr).toBe(0);
    expect((await runCli(['manager', 'training', 'off', '--data-dir', dir])).code).toBe(0);
    const x = JSON.parse((await runCli(['report', 'x', '--json', '--data-dir', dir])).stdout) as { sales: { count: number }; fiscal: { training: { count: number; net: number } }; cash: { expected: number } };
    expect(x.sales.count).toBe(0);
    expect(x.fiscal.training.count).toBe(1);
    expect(x.fiscal.training.net).toBeGreaterThan(0);
    // The training sale's cash is not in the drawer.
    expect(x.cash.expected).toBe(0);
    const db = openDb(dbPath(dir));
    try {
      const codes = (db.prepare("SELECT code FROM fiscal_events WHERE code LIKE 'training%' ORDER BY journal_seq").all() as { code: string }[]).map((r) => r.code);
      expect(codes).toEqual(['training_on', 'training_off']);
    } finally {
      db.close();
    }
  });
});
