import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Agent, startAgent } from '../../../main/agent/start-agent';
import { loadConfig } from '../../../main/config';
import { ApiError, httpBridge } from '../../../renderer/shared/api-client';
import { tempDir } from '../../helpers/temp-dir';

/**
 * The renderer's HTTP client against a real agent on a free loopback port: the agent's code reaches the screen
 * as ApiError.code, and an answer that did not come from the agent is AGENT_UNREACHABLE, never a made-up
 * NOT_FOUND or INTERNAL.
 */
let agent: Agent | undefined;
let other: http.Server | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
  await new Promise<void>((resolve) => (other ? other.close(() => resolve()) : resolve()));
  other = undefined;
});

async function start(): Promise<Agent> {
  const { config } = loadConfig({ dataDir: tempDir(), env: { TILL_BRANCH_ID: 'oslo-1', TILL_POS_ID: 'pos-3' } });
  agent = await startAgent({ config, port: 0, rendererDir: undefined });
  return agent;
}

/** fetch with the page's relative paths resolved against a base URL, as the browser resolves them. */
function at(base: string): typeof fetch {
  return ((url: string, init?: RequestInit) => fetch(new URL(url, base), init)) as typeof fetch;
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe('error codes over HTTP and the WebSocket', () => {
  it("keeps the agent's code and status: UNAUTHORIZED, SCHEMA_INVALID with its issues, NOT_FOUND", async () => {
    const a = await start();
    const wrong = httpBridge('not-the-token', at(a.url));
    expect(await failure(wrong.getStatus(undefined))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    const right = httpBridge(a.token, at(a.url));
    expect((await right.getStatus(undefined)).posId).toBe('pos-3');
    const bad = await failure(right.setQuantity({ lineId: 0, quantity: -1 }));
    expect(bad).toMatchObject({ status: 400, code: 'SCHEMA_INVALID' });
    expect(bad.issues?.length).toBeGreaterThan(0);
    expect(await failure(right.resumeSale({ id: 'no-such-basket' }))).toMatchObject({ status: 404, code: 'NOT_FOUND', message: expect.stringContaining('no-such-basket') });
  });

  it('an agent that cannot be reached, or something else on its port, is AGENT_UNREACHABLE', async () => {
    // A port that was just free: nothing listens there now.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await failure(httpBridge('t', at(`http://127.0.0.1:${port}/`)).getStatus(undefined));
    expect(refused).toMatchObject({ code: 'AGENT_UNREACHABLE', status: undefined });

    // Another program answers 404 with a page of its own: not the agent's NOT_FOUND.
    other = http.createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    await new Promise<void>((resolve) => other?.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
    expect(await failure(httpBridge('t', at(base)).getStatus(undefined))).toMatchObject({ code: 'AGENT_UNREACHABLE', status: 404 });
  });

  it('a refused WebSocket upgrade carries the same {code, message} body', async () => {
    const a = await start();
    const refused = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${a.port}/api/events?token=wrong`);
      ws.on('unexpected-response', (req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
          req.destroy();
        });
      });
      ws.on('error', reject);
    });
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.stringContaining('token') } });
  });
});
