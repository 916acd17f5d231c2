import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { type Agent, startAgent } from '../../../main/agent/start-agent';
import { loadConfig } from '../../../main/config';
import { startSandbox, type SandboxHandle } from '../../../main/sandbox';
import { openDb } from '../../../main/store';
import { acquireDeliveryLease } from '../../../main/store/outbox';
import { sandboxEnv } from '../../helpers/sandbox-env';
import { tempDir } from '../../helpers/temp-dir';

let agent: Agent | undefined;
let sandbox: SandboxHandle | undefined;
afterEach(async () => {
  await agent?.close();
  await sandbox?.close();
  agent = undefined;
  sandbox = undefined;
});

type LogLine = { level: number; msg: string; err?: { stack?: string }; holder?: { pid: number } };

describe('a delivery lease held by another process', () => {
  it('is logged once at info, without a stack, while the agent waits its turn', async () => {
    sandbox = await startSandbox({ port: 0 });
    const dataDir = tempDir();
    const { config } = loadConfig({ dataDir, env: sandboxEnv(sandbox) });
    // Another till-agent (on another host, so never judged dead) holds the lease for an hour.
    fs.mkdirSync(dataDir, { recursive: true });
    const db = openDb(dbPath(dataDir));
    acquireDeliveryLease(db, { owner: 'other:4242', host: 'other-host', pid: 4242, nowMs: Date.now(), ttlMs: 3_600_000 }, () => false);
    db.close();

    agent = await startAgent({ config, port: 0, rendererDir: undefined });
    const file = path.join(agent.log.dir, 'till-agent.log');
    const lines = async (): Promise<LogLine[]> => {
      await agent?.log.flush();
      return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as LogLine);
    };
    const waiting = (all: LogLine[]): LogLine[] => all.filter((l) => l.msg.includes('another till-agent process is delivering'));
    await expect.poll(async () => waiting(await lines()).length, { timeout: 10_000 }).toBeGreaterThan(0);
    // The worker looks again every two seconds: later looks are debug, below the file's level.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const all = await lines();
    expect(waiting(all)).toHaveLength(1);
    expect(waiting(all)[0]).toMatchObject({ level: 30, holder: { pid: 4242 } });
    expect(all.filter((l) => l.level >= 50)).toEqual([]);
    expect(all.some((l) => l.err?.stack !== undefined)).toBe(false);
  });
});
