import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../../main/sandbox';
import { REPO, runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';
import { sandboxEnv } from '../../helpers/sandbox-env';

let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe('till-agent sync drain with the real connectors', () => {
  it('delivers scripted sales to the sandbox exactly once and leaves nothing waiting', async () => {
    sandbox = await startSandbox({ port: 0, strictIdentification: true, demo: true });
    const env = {
      TILL_BRANCH_ID: 'demo-branch',
      TILL_POS_ID: 'till-9',
      ...sandboxEnv(sandbox),
    };
    const dir = tempDir();
    expect((await runCli(['catalog', 'import', path.join(REPO, 'demo', 'catalog.json'), '--data-dir', dir], env)).code).toBe(0);
    const catalog = JSON.parse(fs.readFileSync(path.join(REPO, 'demo', 'catalog.json'), 'utf8')) as { items: { codes: string[] }[] };
    const code = catalog.items[0]?.codes[0] ?? '';
    fs.writeFileSync(path.join(dir, 'sale.json'), JSON.stringify({ operator: 'anna', lines: [{ code, quantity: 1 }], tenders: [{ kind: 'cash' }] }));
    for (let i = 0; i < 2; i++) {
      const sold = await runCli(['sale', 'run', path.join(dir, 'sale.json'), ...(i === 0 ? ['--open-shift', 'anna'] : []), '--data-dir', dir], env);
      expect(sold.code, sold.stderr).toBe(0);
    }
    const drained = await runCli(['sync', 'drain', '--data-dir', dir], env);
    expect(drained.code, drained.stderr).toBe(0);
    expect(drained.stdout).toMatch(/Delivered 2 envelope\(s\)/);
    const seen = sandbox.inspect();
    expect(seen.receipts).toBe(2);
    expect(Object.values(seen.loyaltyTransactions).map((t) => t.applied)).toEqual([1, 1]);
    const again = await runCli(['sync', 'drain', '--data-dir', dir], env);
    expect(again.stdout).toMatch(/Delivered 0 envelope\(s\)/);
    expect(sandbox.inspect().receipts).toBe(2);
  });
});
