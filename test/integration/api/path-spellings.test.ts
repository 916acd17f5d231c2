import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Agent, startAgent } from '../../../main/agent/start-agent';
import { ROUTES, SaleViewSchema } from '../../../main/api/contract';
import { loadConfig } from '../../../main/config';
import { pathSpellings } from '../../helpers/path-spellings';
import { tempDir } from '../../helpers/temp-dir';

/**
 * Issue 19, finding 1: the token check looked for `/api/` in the raw URL while the router decodes the path, so
 * `GET /%61pi/status` answered without the token. Now the decision is made on the route the router matched.
 * This table tries every route of the contract, and the event WebSocket, under every spelling in
 * test/helpers/path-spellings.ts, against a real agent that also serves screen files (the static plugin's
 * wildcard route is where unknown spellings land): without the token every one is 401.
 */
// One agent per test: tempDir() removes the data directory (and the screen files in it) after each test.
let agent: Agent;
beforeEach(async () => {
  const dataDir = tempDir('till-spellings-');
  const rendererDir = path.join(dataDir, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>till</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  const { config } = loadConfig({ dataDir, env: { TILL_BRANCH_ID: 'oslo-1', TILL_POS_ID: 'pos-3' } });
  agent = await startAgent({ config, port: 0, rendererDir });
});
afterEach(async () => {
  await agent.close();
});

type Raw = { status: number; body: string };

function raw(method: string, p: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: agent.port, path: p, method, headers: { host: `127.0.0.1:${agent.port}`, ...headers }, setHost: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A WebSocket upgrade by hand: the status line of the answer (101 when it opened). */
function upgrade(p: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port: agent.port,
      path: p,
      headers: { host: `127.0.0.1:${agent.port}`, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
      setHost: false,
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const auth = (): Record<string, string> => ({ authorization: `Bearer ${agent.token}` });

describe('every route under every path spelling', () => {
  it('answers 401 without the token, and changes nothing', async () => {
    const wrong: string[] = [];
    let tried = 0;
    for (const route of Object.values(ROUTES)) {
      for (const [what, spelling] of pathSpellings(route.path)) {
        for (const method of [route.method, route.method === 'GET' ? 'HEAD' : 'PUT']) {
          tried++;
          const res = await raw(method, spelling, { 'content-type': 'application/json' }, method === 'POST' || method === 'PUT' ? '{}' : undefined);
          if (res.status !== 401) wrong.push(`${method} ${spelling} (${what}): ${res.status} ${res.body.slice(0, 80)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(tried).toBeGreaterThan(Object.keys(ROUTES).length * 40);
    // Nothing reached a handler: the basket is as it started.
    const sale = SaleViewSchema.parse(JSON.parse((await raw('GET', '/api/sale', auth())).body));
    expect(sale.lines).toEqual([]);
  });

  it('refuses the event WebSocket under every spelling without the token', async () => {
    const wrong: string[] = [];
    for (const [what, spelling] of pathSpellings('/api/events')) {
      const status = await upgrade(spelling);
      if (status !== 401) wrong.push(`${spelling} (${what}): ${status}`);
    }
    expect(wrong).toEqual([]);
    // The same upgrade with the token opens: the test reaches the real route.
    expect(await upgrade(`/api/events?token=${agent.token}`)).toBe(101);
  });

  it('still routes the decoded spellings with the token (the table does reach the router)', async () => {
    expect((await raw('GET', '/%61pi/status', auth())).status).toBe(200);
    expect((await raw('GET', '/api/st%61tus', auth())).status).toBe(200);
    expect(await upgrade(`/%61pi/events?token=${agent.token}`)).toBe(101);
    // An unknown API spelling with the token is a plain 404 that names nothing.
    const unknown = await raw('GET', '/API/status', auth());
    expect(unknown.status).toBe(404);
    expect(unknown.body).not.toMatch(/status/i);
  });

  it('serves the screen files without the token, and logs each refusal without the query', async () => {
    const index = await raw('GET', '/');
    expect(index.status).toBe(200);
    expect(index.body).toMatch(/<title>till<\/title>/);
    expect((await raw('GET', '/assets/app.js')).status).toBe(200);
    // An unknown path without the token is 401 too, so probing cannot tell an API path from a missing file.
    expect((await raw('GET', '/no-such-file.js')).status).toBe(401);
    expect((await raw('GET', '/%61pi/status?token=not-it')).status).toBe(401);
    expect(await upgrade('/%61pi/events')).toBe(401);
    await agent.log.flush();
    const log = fs.readFileSync(path.join(agent.log.dir, 'till-agent.log'), 'utf8');
    const refusals = log.split('\n').filter((l) => l.includes('refused a request'));
    expect(refusals.some((l) => l.includes('"/%61pi/status"'))).toBe(true);
    expect(refusals.some((l) => l.includes('/%61pi/events'))).toBe(true);
    expect(log).not.toContain('not-it');
  });
});
