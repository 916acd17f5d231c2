import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { startAgent, type Agent } from '../../../main/agent/start-agent';
import { loadConfig } from '../../../main/config';
import { tempDir } from '../../helpers/temp-dir';

let agent: Agent | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
});

// Requests are checked with zod; Fastify would load Ajv and fast-json-stringify for route JSON schemas at
// construction, about 14 ms of every start (docs/performance.md, "Start-up"). Own file: its own process.
describe('the local API', () => {
  it('starts without loading a JSON-schema validator or serializer', async () => {
    const { config } = loadConfig({ dataDir: tempDir(), env: { TILL_BRANCH_ID: 'oslo-1', TILL_POS_ID: 'pos-3' } });
    agent = await startAgent({ config, port: 0, rendererDir: undefined });
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.some((f) => f.includes('/node_modules/fastify/'))).toBe(true);
    // Fastify's error serializer (fast-json-stringify/lib/serializer.js, precompiled) is loaded either way.
    expect(loaded.filter((f) => /\/node_modules\/(ajv|@fastify\/ajv-compiler|@fastify\/fast-json-stringify-compiler)\/|\/fast-json-stringify\/index\.js$/.test(f))).toEqual([]);
  });
});
