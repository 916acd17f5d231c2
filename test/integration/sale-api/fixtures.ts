import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { type Agent, startAgent } from '../../../main/agent/start-agent';
import { type AgentEvent, EventSchema } from '../../../main/api/contract';
import { loadConfig } from '../../../main/config';
import type { CardTerminal } from '../../../main/devices/terminal/card-terminal';
import { tempDir } from '../../helpers/temp-dir';
import { seedTill } from './seed';

export { APPLES, BEER, BREAD, CATALOG, MILK, NOW, RULES, SCAN, SOAP, seedTill } from './seed';

export type TestAgent = { agent: Agent; call(path: string, body?: unknown): Promise<{ status: number; body: unknown }>; events: AgentEvent[]; nextEvent(match: (e: AgentEvent) => boolean): Promise<AgentEvent>; close(): Promise<void> };

/** One call to a running agent's API with its token: GET without a body, POST with one (a string is sent as it is). */
export async function callAgent(agent: Pick<Agent, 'url' | 'token'>, p: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${agent.url}api/${p}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${agent.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

/** A real agent on a free loopback port with a temp data dir (demo mode unless a config file is given). */
export async function startTestAgent(options: { config?: Record<string, unknown>; seed?: boolean; cardTerminal?: CardTerminal; dataDir?: string; managerSessionTimes?: { idleMs: number; sweepMs: number } } = {}): Promise<TestAgent> {
  // A given data dir is the same till started again (a restart test); the caller removes it.
  const dataDir = options.dataDir ?? tempDir('till-sale-api-');
  if (options.config) fs.writeFileSync(path.join(dataDir, 'till-agent.config.json'), JSON.stringify(options.config));
  const { config } = loadConfig({ dataDir, env: { TILL_BRANCH_ID: 'oslo-1', TILL_POS_ID: 'pos-3', TILL_LOCALE: 'en-GB' } });
  const agent = await startAgent({ config, port: 0, rendererDir: undefined, ...(options.cardTerminal ? { cardTerminal: options.cardTerminal } : {}), ...(options.managerSessionTimes ? { managerSessionTimes: options.managerSessionTimes } : {}) });
  if (options.seed ?? true) seedTill(agent.db);
  const events: AgentEvent[] = [];
  const waiters: { match: (e: AgentEvent) => boolean; resolve: (e: AgentEvent) => void }[] = [];
  const socket = new WebSocket(`ws://127.0.0.1:${agent.port}/api/events?token=${agent.token}`);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.on('message', (data: Buffer) => {
    const event = EventSchema.parse(JSON.parse(data.toString()));
    events.push(event);
    for (const w of [...waiters]) {
      if (w.match(event)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(event);
      }
    }
  });
  return {
    agent,
    events,
    call: (p, body) => callAgent(agent, p, body),
    nextEvent: (match) => new Promise((resolve) => waiters.push({ match, resolve })),
    async close() {
      socket.close();
      await agent.close();
    },
  };
}
