import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildIndex, parseRules } from '../../main/core/discounts';
import { startSandbox, type DemoData, type SandboxHandle } from '../../main/sandbox';
import { openDb, type WritableDb } from '../../main/store';
import { listCachedRules } from '../../main/store/rules-cache';
import { DinteroClient } from '../../main/sync/connectors/dintero/dintero-client';
import { RulesPuller } from '../../main/sync/pull/rules-pull';
import type { BenchEntry } from './bench-types';

const RULES = 5_000;

type State = { sandbox: SandboxHandle; db: WritableDb; dir: string; puller: RulesPuller };

function rules(count: number): NonNullable<DemoData['rules']> {
  return Array.from({ length: count }, (_, i) => ({
    id: `rule-${String(i).padStart(5, '0')}`,
    name: `Rule ${i}`,
    requirement: { purchase_from: '2020-01-01T00:00:00Z', purchase_to: '2035-01-01T00:00:00Z', item: { items: [{ id: `70380100${String(i % 1000).padStart(5, '0')}` }] } },
    reward: { type: 'discount_percent', value: 5 + (i % 20) },
    customers: ['*'],
  }));
}

const entries: BenchEntry[] = [
  {
    name: 'rules.pull.5000',
    target: 'p50 <= 2000 ms (pull 5,000 rules from the loopback sandbox, cache them, parse and index)',
    samples: 5,
    async setup(): Promise<State> {
      const sandbox = await startSandbox({ strictIdentification: true, data: { rules: rules(RULES) } });
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-bench-rules-'));
      const db = openDb(path.join(dir, 'till.sqlite'));
      const client = new DinteroClient({ baseUrl: sandbox.dinteroUrl, accountId: sandbox.accountId, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, posId: 'bench', branchId: 'bench' });
      return { sandbox, db, dir, puller: new RulesPuller(client, db, Date.now) };
    },
    async run(state: unknown): Promise<void> {
      const { puller, db } = state as State;
      const result = await puller.pull({ full: true });
      if (result.status !== 'updated' || result.received !== RULES) throw new Error(`rules pull failed: ${JSON.stringify(result)}`);
      const parsed = parseRules(listCachedRules(db));
      if (parsed.rules.length !== RULES) throw new Error(`only ${parsed.rules.length} rules parsed`);
      buildIndex(parsed.rules);
    },
    async teardown(state: unknown): Promise<void> {
      const { sandbox, db, dir } = state as State;
      db.close();
      await sandbox.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  },
];

export default entries;
