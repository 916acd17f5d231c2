import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Agent, startAgent } from '../../main/agent/start-agent';
import { type Config, loadConfig } from '../../main/config';
import { seedTill } from '../integration/sale-api/seed';
import { type SandboxEndpoints, sandboxEnv } from './sandbox-env';

export type SandboxTill = { readonly agent: Agent; readonly config: Config; readonly dataDir: string; close(): Promise<void> };

/**
 * A real till agent on a new data directory, talking to a running sandbox over loopback, with the seed's catalog
 * and rules: branch oslo-1, English screens. `env` adds or overrides `TILL_*` variables (other credentials).
 */
export async function startSandboxTill(sandbox: SandboxEndpoints, options: { readonly posId: string; readonly env?: Record<string, string> }): Promise<SandboxTill> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `till-${options.posId}-`));
  const { config } = loadConfig({ dataDir, env: { TILL_BRANCH_ID: 'oslo-1', TILL_POS_ID: options.posId, TILL_LOCALE: 'en-GB', ...sandboxEnv(sandbox), ...options.env } });
  const agent = await startAgent({ config, port: 0, rendererDir: undefined });
  seedTill(agent.db);
  return {
    agent,
    config,
    dataDir,
    async close() {
      await agent.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
