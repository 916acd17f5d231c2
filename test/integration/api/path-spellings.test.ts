import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Agent, startAgent } from '../../../main/agent/start-agent';
import { ROUTE_LEVELS } from '../../../main/api/channels';
import { ROUTES, type RouteName, SaleViewSchema } from '../../../main/api/contract';
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

/**
 * Issue 19, finding 8: the kiosk screen's token reaches only the kiosk's routes. The same table with the kiosk
 * token: every spelling of every other route is 403 (the caller is known and may not), and a kiosk route is
 * reached under exactly the spellings that reach it with the API token (elsewhere 403, never 401), so no
 * spelling lets the kiosk token through to a till route, and none locks it out of its own.
 */
describe('the kiosk token under every path spelling', () => {
  const kioskAuth = (): Record<string, string> => ({ authorization: `Bearer ${agent.kioskToken}` });
  const names = Object.keys(ROUTES) as RouteName[];
  const methodsOf = (method: string): string[] => [method, method === 'GET' ? 'HEAD' : 'PUT'];
  const bodyOf = (method: string): string | undefined => (method === 'POST' || method === 'PUT' ? '{}' : undefined);

  it('answers 403 on every spelling of every route that is not a kiosk route, and changes nothing', async () => {
    const wrong: string[] = [];
    let tried = 0;
    for (const name of names.filter((n) => ROUTE_LEVELS[n] === 'till')) {
      const route = ROUTES[name];
      for (const [what, spelling] of pathSpellings(route.path)) {
        for (const method of methodsOf(route.method)) {
          tried++;
          const res = await raw(method, spelling, { 'content-type': 'application/json', ...kioskAuth() }, bodyOf(method));
          if (res.status !== 403) wrong.push(`${method} ${spelling} (${what}): ${res.status} ${res.body.slice(0, 80)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(tried).toBeGreaterThan(names.filter((n) => ROUTE_LEVELS[n] === 'till').length * 40);
    const sale = SaleViewSchema.parse(JSON.parse((await raw('GET', '/api/sale', auth())).body));
    expect(sale.lines).toEqual([]);
    expect(sale.checks.approvals).toEqual([]);
  });

  it('reaches a kiosk route wherever the API token does, and is 403 (never 401) where it does not', async () => {
    const wrong: string[] = [];
    let reached = 0;
    const ok2xx = (status: number): boolean => status >= 200 && status < 300;
    for (const name of names.filter((n) => ROUTE_LEVELS[n] === 'kiosk')) {
      const route = ROUTES[name];
      for (const [what, spelling] of pathSpellings(route.path)) {
        for (const method of methodsOf(route.method)) {
          const kiosk = await raw(method, spelling, { 'content-type': 'application/json', ...kioskAuth() }, bodyOf(method));
          const staff = await raw(method, spelling, { 'content-type': 'application/json', ...auth() }, bodyOf(method));
          // The same answer as the API token gets, or 403 where the spelling did not match a kiosk route (an
          // unknown path, a URL the router cannot decode, a screen-file route): never a 401, never locked out
          // of a route the API token reached.
          const same = kiosk.status === staff.status || (kiosk.status === 403 && !ok2xx(staff.status));
          if (!same || kiosk.status === 401) wrong.push(`${method} ${spelling} (${what}): kiosk token ${kiosk.status}, API token ${staff.status}`);
          if (ok2xx(kiosk.status)) reached++;
        }
      }
    }
    expect(wrong).toEqual([]);
    // The table does reach the kiosk routes (as written and under the spellings the router decodes).
    expect(reached).toBeGreaterThan(names.filter((n) => ROUTE_LEVELS[n] === 'kiosk').length * 3);
  });

  it('opens the event stream with the kiosk token wherever the API token does; elsewhere 403', async () => {
    const wrong: string[] = [];
    for (const [what, spelling] of pathSpellings('/api/events')) {
      const kiosk = await upgradeForHello(spelling, kioskAuth());
      const staff = await upgradeForHello(spelling, auth());
      // An upgrade the API token gets on a screen-file route (the static wildcard) is answered 101 and closed by
      // the WebSocket plugin without a hello: not the event stream, and the kiosk token gets 403 there.
      const ok = staff.hello ? kiosk.hello : kiosk.status === 403;
      if (!ok) wrong.push(`${spelling} (${what}): kiosk token ${kiosk.status}${kiosk.hello ? ' hello' : ''}, API token ${staff.status}${staff.hello ? ' hello' : ''}`);
    }
    expect(wrong).toEqual([]);
    expect(await upgradeForHello(`/api/events?token=${agent.kioskToken}`)).toEqual({ status: 101, hello: true });
  });
});

/** A WebSocket upgrade by hand that waits for the agent's hello: whether this reached the event stream. */
function upgradeForHello(p: string, headers: Record<string, string> = {}): Promise<{ status: number; hello: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port: agent.port,
      path: p,
      headers: { host: `127.0.0.1:${agent.port}`, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', ...headers },
      setHost: false,
    });
    req.on('upgrade', (res, socket, head) => {
      let seen = head.toString('latin1');
      const finish = (): void => {
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, hello: seen.includes('"hello"') });
      };
      // The agent sends its hello as the stream opens; an upgrade on another route is held open without one.
      const timer = setTimeout(finish, 400);
      if (seen.includes('"hello"')) return finish();
      socket.on('data', (d: Buffer) => {
        seen += d.toString('latin1');
        if (seen.includes('"hello"')) finish();
      });
      socket.on('close', finish);
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, hello: false });
    });
    req.on('error', reject);
    req.end();
  });
}
