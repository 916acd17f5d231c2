import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';

describe('till-agent sale run and the offline limits', () => {
  it('refuses an offline gift-card payment it has no balance for, and writes nothing; points are off by default', async () => {
    const dir = tempDir();
    expect((await runCli(['catalog', 'import', path.join(REPO, 'demo', 'catalog.json'), '--data-dir', dir])).code).toBe(0);
    const catalog = JSON.parse(fs.readFileSync(path.join(REPO, 'demo', 'catalog.json'), 'utf8')) as { items: { codes: string[] }[] };
    const code = catalog.items[0]?.codes[0] ?? '';
    const write = (tenders: unknown[]): string => {
      const file = path.join(dir, `sale-${Math.random().toString(36).slice(2)}.json`);
      fs.writeFileSync(file, JSON.stringify({ operator: 'anna', lines: [{ code }], tenders }));
      return file;
    };
    const gift = await runCli(['sale', 'run', write([{ kind: 'gift_card', cardToken: 'GC-1234-5678', offline: true }]), '--open-shift', 'anna', '--data-dir', dir]);
    expect(gift.code).not.toBe(0);
    expect(gift.stderr).toMatch(/gift-card/i);
    expect(gift.stderr).not.toContain('GC-1234-5678');
    const points = await runCli(['sale', 'run', write([{ kind: 'loyalty', memberId: 'm-1', asset: 'points', offline: true }]), '--data-dir', dir]);
    expect(points.code).not.toBe(0);
    expect(points.stderr).toMatch(/points/i);
    const cash = await runCli(['sale', 'run', write([{ kind: 'cash' }]), '--json', '--data-dir', dir]);
    expect(cash.code, cash.stderr).toBe(0);
    // The refused sales used no sale number: the cash sale is the first.
    expect(cash.stdout).toMatch(/-000001/);
  });
});
