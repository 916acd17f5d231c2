import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ROUTES, SaleViewSchema } from '../../../main/api/contract';
import { launchBrowser } from '../../helpers/browser';
import { startTestAgent, type TestAgent } from '../sale-api/fixtures';

/**
 * What keeps a web page on another origin, a DNS-rebinding page and the store network out of the local API.
 * `server.test.ts` already proves the basics (401 without the token on /api/status, 403 for a foreign Host or
 * Origin on a GET, the WebSocket refused without a token, the port closed on the machine's other address);
 * this file covers the rest: CORS preflights and simple requests, every route, the WebSocket's Origin and
 * Host, the listening socket's address, and a real browser page on another origin trying all of it.
 */
// One agent per test: tempDir() removes the data directory (and the log) after each test.
let till: TestAgent;
beforeEach(async () => {
  till = await startTestAgent();
});
afterEach(async () => {
  await till.close();
});

type Raw = { status: number; headers: http.IncomingHttpHeaders; body: string };

function raw(method: string, p: string, headers: Record<string, string>, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: till.agent.port, path: p, method, headers, setHost: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const host = (): string => `127.0.0.1:${till.agent.port}`;
const EVIL = 'http://evil.example';

function expectNoCorsGrant(res: Raw): void {
  for (const name of Object.keys(res.headers)) expect(name.startsWith('access-control-'), `${name} sent`).toBe(false);
}

async function basketLines(): Promise<number> {
  return SaleViewSchema.parse((await till.call('sale')).body).lines.length;
}

describe('another origin', () => {
  it('gets no CORS grant on a preflight, whatever it asks for', async () => {
    for (const origin of [EVIL, 'null', `http://127.0.0.1:${till.agent.port + 1}`]) {
      const res = await raw('OPTIONS', '/api/sale/scan', { host: host(), origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' });
      expect(res.status).toBe(403);
      expectNoCorsGrant(res);
    }
    // Even our own origin's preflight grants nothing: the screens are same-origin and never need CORS.
    const own = await raw('OPTIONS', '/api/sale/scan', { host: host(), origin: `http://127.0.0.1:${till.agent.port}`, 'access-control-request-method': 'POST' });
    expectNoCorsGrant(own);
  });

  it('cannot change the basket with a simple cross-site request, even knowing the token', async () => {
    const before = await basketLines();
    const form = await raw('POST', `/api/sale/items?token=${till.agent.token}`, { host: host(), origin: EVIL, 'content-type': 'text/plain' }, JSON.stringify({ itemId: 'milk' }));
    expect(form.status).toBe(403);
    expect(JSON.parse(form.body)).toMatchObject({ error: { code: 'FORBIDDEN', message: expect.stringMatching(/Origin/) } });
    expectNoCorsGrant(form);
    const withHeader = await raw('POST', '/api/sale/items', { host: host(), origin: EVIL, authorization: `Bearer ${till.agent.token}`, 'content-type': 'application/json' }, JSON.stringify({ itemId: 'milk' }));
    expect(withHeader.status).toBe(403);
    expect(await basketLines()).toBe(before);
  });

  it('is refused on the WebSocket (cross-site WebSocket hijacking) and by Host (DNS rebinding), even with the token', async () => {
    const upgrade = (headers: Record<string, string>): Promise<number> =>
      new Promise((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${till.agent.port}/api/events?token=${till.agent.token}`, { headers });
        ws.on('unexpected-response', (req, res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => resolve(-1));
      });
    expect(await upgrade({ origin: EVIL })).toBe(403);
    expect(await upgrade({ host: `rebind.evil.example:${till.agent.port}` })).toBe(403);
    expect(await upgrade({ origin: `http://localhost:${till.agent.port}` })).toBe(101);
  });
});

describe('the token', () => {
  it('is required on every route of the contract, for any method, and a near miss is refused', async () => {
    const near = `${till.agent.token.slice(0, -1)}${till.agent.token.endsWith('A') ? 'B' : 'A'}`;
    for (const route of Object.values(ROUTES)) {
      for (const auth of [{} as Record<string, string>, { authorization: 'Bearer ' }, { authorization: `Bearer ${near}` }, { authorization: `Basic ${Buffer.from(`x:${till.agent.token}`).toString('base64')}` }]) {
        const res = await raw(route.method, route.path, { host: host(), 'content-type': 'application/json', ...auth }, route.method === 'POST' ? '{}' : undefined);
        expect(res.status, `${route.method} ${route.path} ${JSON.stringify(auth)}`).toBe(401);
      }
    }
    expect((await raw('GET', `/api/status?token=${near}`, { host: host() })).status).toBe(401);
    expect((await raw('GET', '/api/no-such-route', { host: host() })).status).toBe(401);
  });
});

describe('the listening socket', () => {
  it('is bound to 127.0.0.1 only (read from the kernel socket table)', () => {
    if (process.platform !== 'linux') return;
    const hex = till.agent.port.toString(16).toUpperCase().padStart(4, '0');
    const listening: string[] = [];
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      if (!fs.existsSync(table)) continue;
      for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
        const [, local, , state] = line.trim().split(/\s+/);
        if (state === '0A' && local?.endsWith(`:${hex}`)) listening.push(local);
      }
    }
    // 0100007F is 127.0.0.1 in the kernel's little-endian hex; 0.0.0.0 or :: would be every interface.
    expect(listening).toEqual(['0100007F:' + hex]);
  });
});

describe('a real browser page on another origin', () => {
  let browser: Browser | undefined;
  let site: http.Server | undefined;
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
  });

  it('can neither read from nor write to the API, nor open its event stream', async () => {
    // The hostile page lives on another port of 127.0.0.1: another origin, the closest a page can get.
    site = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>evil</title>'));
    await new Promise<void>((resolve) => site?.listen(0, '127.0.0.1', resolve));
    const sitePort = (site.address() as { port: number }).port;
    browser = await launchBrowser();
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${sitePort}/`);
    const before = await basketLines();
    const logFile = path.join(till.agent.log.dir, 'till-agent.log');
    const refusedBefore = fs.readFileSync(logFile, 'utf8').split('refused a request').length;

    const api = `http://127.0.0.1:${till.agent.port}`;
    const token = till.agent.token;
    const outcome = await page.evaluate(
      async ({ api, token }) => {
        const attempt = async (run: () => Promise<unknown>): Promise<string> => {
          try {
            return `answered ${String(await run())}`;
          } catch (err) {
            return `failed ${(err as Error).name}`;
          }
        };
        const read = await attempt(async () => (await fetch(`${api}/api/status?token=${token}`)).status);
        const readWithHeader = await attempt(async () => (await fetch(`${api}/api/status`, { headers: { authorization: `Bearer ${token}` } })).status);
        const write = await attempt(async () => (await fetch(`${api}/api/sale/items`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ itemId: 'milk' }) })).status);
        // no-cors: the page cannot read the answer, but the request would still reach the agent.
        const blind = await attempt(async () => (await fetch(`${api}/api/sale/items?token=${token}`, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ itemId: 'milk' }) })).type);
        const socket = await new Promise<string>((resolve) => {
          // The browser's own WebSocket (the name `WebSocket` in this file is the `ws` package, which vite rewrites).
          const BrowserSocket = Reflect.get(globalThis, 'WebSocket') as new (url: string) => { onopen: (() => void) | null; onerror: (() => void) | null };
          const ws = new BrowserSocket(`${api.replace('http', 'ws')}/api/events?token=${token}`);
          ws.onopen = () => resolve('opened');
          ws.onerror = () => resolve('refused');
        });
        return { read, readWithHeader, write, blind, socket };
      },
      { api, token },
    );
    expect(outcome).toEqual({ read: 'failed TypeError', readWithHeader: 'failed TypeError', write: 'failed TypeError', blind: 'answered opaque', socket: 'refused' });
    // The blind write reached the agent and was refused there: the basket is unchanged.
    expect(await basketLines()).toBe(before);
    await till.agent.log.flush();
    const refusedAfter = fs.readFileSync(logFile, 'utf8').split('refused a request').length;
    expect(refusedAfter - refusedBefore).toBeGreaterThanOrEqual(4);
  });
});
