import { execFile } from 'node:child_process';
import fc from 'fast-check';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DinteroClient } from '../../../../main/sync/connectors/dintero/dintero-client';
import { HttpClient, MAX_BODY_BYTES } from '../../../../main/sync/connectors/http';
import { isSafeText } from '../../../../main/core/safe-text';
import { fuzzParams } from '../../../helpers/fuzz';
import { startTestServer, type TestServer } from './test-server';

/**
 * What a rogue or broken back end can do to the agent through its HTTP client (issue 19, findings 3, 7, 9):
 * redirect a request (with its credentials and body) to another host, send an endless answer, or stall the
 * token call. Real loopback servers on port 0.
 */
const servers: TestServer[] = [];
const raw: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  for (const s of raw.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function serve(handler: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const s = await startTestServer(handler);
  servers.push(s);
  return s;
}

async function rawServer(handler: http.RequestListener): Promise<string> {
  const s = http.createServer(handler);
  raw.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/`;
}

describe('redirects', () => {
  it('are never followed: the second port sees nothing, and the failure says why', async () => {
    const elsewhere = await serve(() => ({ status: 200, body: { stolen: true } }));
    for (const status of [301, 302, 303, 307, 308]) {
      const origin = await serve(() => ({ status, headers: { location: `${elsewhere.url}steal?x=1` } }));
      const client = new HttpClient({ name: 'loyalty', baseUrl: origin.url, headers: () => ({ 'x-api-key': 'key-secret-1' }) });
      const result = await client.request({ method: 'POST', path: 'members/search', body: { phoneNumber: '+4799887766' } });
      expect(result, String(status)).toEqual({
        ok: false,
        failure: { kind: 'permanent', status, code: 'REDIRECT', reason: `HTTP ${status}: the back end redirected to ${new URL(elsewhere.url).origin}; redirects are not followed, check the base URL` },
      });
      expect(origin.seen).toHaveLength(1);
    }
    expect(elsewhere.seen).toEqual([]);
  });

  it('to the same origin are not followed either (one request, a clear failure)', async () => {
    const origin = await serve((req) => (req.url === '/moved' ? { status: 200, body: {} } : { status: 302, headers: { location: '/moved' } }));
    const result = await new HttpClient({ name: 'dintero', baseUrl: origin.url }).request({ method: 'GET', path: 'x' });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', code: 'REDIRECT' } });
    expect(origin.seen.map((s) => s.url)).toEqual(['/x']);
  });

  it('on the Dintero token call are not followed, so the client secret stays home', async () => {
    const elsewhere = await serve(() => ({ status: 200, body: { access_token: 'stolen', expires_in: 3600 } }));
    const origin = await serve(() => ({ status: 307, headers: { location: `${elsewhere.url}auth/token` } }));
    const client = new DinteroClient({ baseUrl: origin.url, accountId: 'T1', clientId: 'c', clientSecret: 'secret-abc', posId: 'p', branchId: 'b' });
    const result = await client.call({ method: 'GET', path: 'discounts/rules' });
    expect(result).toMatchObject({ ok: false, failure: { code: 'REDIRECT' } });
    expect(elsewhere.seen).toEqual([]);
  });
});

describe('answer size', () => {
  it('stops reading past the cap and fails as an uncertain transient answer', async () => {
    let written = 0;
    const url = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = (): void => {
        while (written < 100 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    });
    const result = await new HttpClient({ name: 'test', baseUrl: url }).request({ method: 'GET', path: 'huge' });
    expect(result).toEqual({ ok: false, failure: { kind: 'transient', delivery: 'unknown', reason: `the answer was larger than ${MAX_BODY_BYTES / 1024} KiB and was not read` } });
    // The server was cut off long before it sent everything.
    expect(written).toBeLessThan(50 * 1024 * 1024);
  });

  it('fails at once on a declared Content-Length over the cap', async () => {
    const url = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MAX_BODY_BYTES + 1) });
      res.write('{');
    });
    const result = await new HttpClient({ name: 'test', baseUrl: url }).request({ method: 'GET', path: 'x' });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'transient', delivery: 'unknown' } });
  });

  it('a 100 MB answer leaves the asking process under 300 MB RSS (measured in a child process)', async () => {
    const url = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 100 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    });
    const child = path.join(import.meta.dirname, 'big-answer-child.ts');
    const out = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', child, url], { cwd: path.resolve(import.meta.dirname, '../../../..'), timeout: 60_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
    });
    const { result, maxRss } = JSON.parse(out) as { result: unknown; maxRss: number };
    expect(result).toMatchObject({ ok: false, failure: { kind: 'transient', delivery: 'unknown' } });
    expect(maxRss).toBeLessThan(300 * 1024 * 1024);
  }, 90_000);
});

describe('deadlines', () => {
  it('bound a call whose Dintero token request hangs by the caller\'s timeout, not the client default', async () => {
    const origin = await serve((req) => (req.url.endsWith('/auth/token') ? 'hang' : { status: 200, body: {} }));
    const client = new DinteroClient({ baseUrl: origin.url, accountId: 'T1', clientId: 'c', clientSecret: 's', posId: 'p', branchId: 'b', timeoutMs: 30_000 });
    const started = performance.now();
    const result = await client.call({ method: 'GET', path: 'customers', timeoutMs: 300 });
    const took = performance.now() - started;
    expect(result).toEqual({ ok: false, failure: { kind: 'transient', reason: 'timeout waiting for a Dintero token', delivery: 'not_sent' } });
    // Bounded by the caller's 300 ms, far from the client's 30 s (generous for a loaded machine).
    expect(took).toBeLessThan(10_000);
    // The call itself was never sent.
    expect(origin.seen.filter((s) => !s.url.endsWith('/auth/token'))).toEqual([]);
  });

  it('bound it by the caller\'s abort signal too (the member lookup passes one)', async () => {
    const origin = await serve((req) => (req.url.endsWith('/auth/token') ? 'hang' : { status: 200, body: {} }));
    const client = new DinteroClient({ baseUrl: origin.url, accountId: 'T1', clientId: 'c', clientSecret: 's', posId: 'p', branchId: 'b', timeoutMs: 30_000 });
    const started = performance.now();
    const result = await client.call({ method: 'GET', path: 'customers', signal: AbortSignal.timeout(300) });
    expect(result).toMatchObject({ ok: false, failure: { reason: 'timeout waiting for a Dintero token' } });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('give the request only what is left after the token', async () => {
    let tokenAsked = 0;
    const origin = await serve((req) => {
      if (req.url.endsWith('/auth/token')) {
        tokenAsked++;
        return { status: 200, body: { access_token: 't', expires_in: 3600 } };
      }
      return 'hang';
    });
    const client = new DinteroClient({ baseUrl: origin.url, accountId: 'T1', clientId: 'c', clientSecret: 's', posId: 'p', branchId: 'b', timeoutMs: 30_000 });
    const started = performance.now();
    const result = await client.call({ method: 'GET', path: 'customers', timeoutMs: 400 });
    expect(result).toMatchObject({ ok: false, failure: { reason: 'timeout', delivery: 'unknown' } });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(tokenAsked).toBe(1);
  });
});

describe('random back-end answers (fuzz)', () => {
  it('always give a classified result with a safe reason, never a throw, and never follow a redirect', async () => {
    let answer: { status: number; headers: Record<string, string>; body: Buffer } = { status: 200, headers: {}, body: Buffer.alloc(0) };
    let elsewhere = 0;
    const other = await rawServer((_req, res) => {
      elsewhere++;
      res.end('{}');
    });
    const url = await rawServer((_req, res) => {
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
    const client = new HttpClient({ name: 'fuzz', baseUrl: url, timeoutMs: 5_000, maxBodyBytes: 4096 });
    const text = fc.string({ unit: 'binary', maxLength: 80 });
    const header = fc.record(
      { location: fc.oneof(fc.constant(`${other}x`), text.map(encodeURI)), 'retry-after': fc.oneof(fc.nat().map(String), text.map(encodeURI)), etag: text.map(encodeURI) },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
      fc.record({ error: fc.record({ code: fc.oneof(text, fc.integer()), message: text }) }).map((v) => Buffer.from(JSON.stringify(v))),
      fc.uint8Array({ maxLength: 6000 }).map((b) => Buffer.from(b)),
    );
    const status = fc.oneof(fc.integer({ min: 200, max: 599 }), fc.constantFrom(301, 302, 303, 307, 308, 304, 204));
    await fc.assert(
      fc.asyncProperty(status, header, body, async (s, h, b) => {
        answer = { status: s, headers: h, body: s === 204 || s === 304 ? Buffer.alloc(0) : b };
        const result = await client.request({ method: 'POST', path: 'x', body: { a: 1 } });
        if (!result.ok) {
          expect(isSafeText(result.failure.reason), result.failure.reason).toBe(true);
          if (result.failure.kind === 'permanent' && result.failure.code !== undefined) expect(isSafeText(result.failure.code)).toBe(true);
        } else {
          expect(s < 300 || s === 304).toBe(true);
        }
      }),
      fuzzParams(150),
    );
    expect(elsewhere).toBe(0);
  });
});
