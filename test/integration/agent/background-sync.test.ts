import { afterEach, describe, expect, it } from 'vitest';
import { type Agent, startAgent } from '../../../main/agent/start-agent';
import { loadConfig } from '../../../main/config';
import { minor } from '../../../main/core/money';
import { startSandbox, type SandboxHandle } from '../../../main/sandbox';
import { importCatalog } from '../../../main/store/catalog';
import { commitSale, openBusinessDay, openShift } from '../../../main/store/ledger';
import { outboxStatus } from '../../../main/store/outbox';
import { BEER, MILK, sampleReceipt, TILL } from '../ledger/fixtures';
import { tempDir } from '../../helpers/temp-dir';
import { sandboxEnv } from '../../helpers/sandbox-env';

let agent: Agent | undefined;
let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await agent?.close();
  await sandbox?.close();
  agent = undefined;
  sandbox = undefined;
});

describe('a configured till syncs in the background', () => {
  it('delivers a committed sale to both back ends without anyone asking, and the status shows it done', async () => {
    sandbox = await startSandbox({ port: 0, strictIdentification: true });
    const { config } = loadConfig({
      dataDir: tempDir(),
      env: {
        TILL_BRANCH_ID: TILL.branchId,
        TILL_POS_ID: TILL.posId,
        ...sandboxEnv(sandbox),
      },
    });
    agent = await startAgent({ config, port: 0, rendererDir: undefined });
    const now = new Date();
    importCatalog(agent.db, [MILK, BEER].map((item, i) => ({ line: i + 2, item })), now);
    openBusinessDay(agent.db, now);
    openShift(agent.db, 'anna', minor(0), now);
    const sale = commitSale(agent.db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(10_000) }], ruleSetVersion: 'none' }, now);

    const db = agent.db;
    await expect.poll(() => outboxStatus(db, new Date()).counts.done, { timeout: 15_000 }).toBe(1);
    const seen = sandbox.inspect();
    expect(seen.receipts).toBe(1);
    expect(seen.loyaltyTransactions[sale.entry.receiptId]?.applied).toBe(1);
    await expect.poll(async () => (await agent?.handlers.getStatus(undefined))?.queue.done).toBe(1);
  });
});
