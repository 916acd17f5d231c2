import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiErrorSchema, ROUTES, StatusSchema } from '../../../main/api/contract';
import { fuzzParams } from '../../helpers/fuzz';
import { pathSpellings } from '../../helpers/path-spellings';
import { SCAN, startTestAgent, type TestAgent } from '../sale-api/fixtures';

/**
 * The local API against random and malformed requests: a real agent (real handlers, a temp SQLite database,
 * the loopback server) must answer every one with a 4xx and a reason, never a 500, and keep answering.
 */
// One agent per test: tempDir() removes the data directory (and the log) after each test.
let till: TestAgent;
beforeEach(async () => {
  till = await startTestAgent();
});
afterEach(async () => {
  await till.close();
});

type Answer = { status: number; text: string };

async function send(method: string, p: string, headers: Record<string, string>, body: string | undefined): Promise<Answer> {
  const res = await fetch(`${till.agent.url}${p.replace(/^\//, '')}`, {
    method,
    headers: { authorization: `Bearer ${till.agent.token}`, ...headers },
    ...(body === undefined || method === 'GET' || method === 'HEAD' ? {} : { body }),
  });
  return { status: res.status, text: await res.text() };
}

/** A refusal must say what was wrong: a JSON error with a code and a non-empty message. */
function expectReason(answer: Answer): void {
  const parsed = ApiErrorSchema.safeParse(JSON.parse(answer.text));
  expect(parsed.success, answer.text).toBe(true);
  if (parsed.success) expect(parsed.data.error.message).toMatch(/\S/);
}

/** Bodies each route accepts, to mutate into near misses (the most revealing inputs for a validator). */
const VALID: Record<string, unknown> = {
  '/api/sale/scan': { code: SCAN.milk },
  '/api/sale/items': { itemId: 'bread', quantity: 2 },
  '/api/sale/quantity': { lineId: 1, quantity: 3 },
  '/api/sale/void-line': { lineId: 1 },
  '/api/sale/customer': { memberId: 'm-1' },
  '/api/sale/tender': { kind: 'card', amount: 100, terminalRef: 'T-1' },
  '/api/sale/resume': { id: 's-1' },
  '/api/items/price-check': { code: SCAN.soap },
  '/api/items/search': { query: 'milk', limit: 5 },
  '/api/shift/open': { operatorId: 'anna', openingFloat: 50_000 },
  '/api/shift/close': { countedCash: 0 },
};

const nearMiss = fc
  .tuple(fc.constantFrom(...Object.entries(VALID)), fc.string({ maxLength: 12 }), fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.double(), fc.bigInt().map(String), fc.constant(Number.MAX_SAFE_INTEGER + 2)))
  .map(([[p, body], key, value]) => {
    const keys = Object.keys(body as object);
    const target = keys.length > 0 && key.length % 3 !== 0 ? (keys[key.length % keys.length] as string) : key;
    return { p, body: JSON.stringify({ ...(body as object), [target]: value }) };
  });

const hostile = fc.constantFrom(
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '{"code":"x"',
  '[',
  'null',
  '"just a string"',
  '1e400',
  '{"code":"\\ud800"}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  '\u0000\u0001\u0002',
  '',
);

const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', undefined);
const routePaths = Object.values(ROUTES).map((r) => r.path);
/** Every route under every spelling of test/helpers/path-spellings.ts, for the router and the token check. */
const spelledPath = fc.constantFrom(...routePaths.flatMap((p) => pathSpellings(p).map(([, s]) => s)));
const anyPath = fc.oneof(spelledPath, fc.constantFrom(...routePaths), fc.string({ maxLength: 20 }).map((s) => `/api/${encodeURIComponent(s)}`), fc.constantFrom(...routePaths).map((p) => `${p}/../status`), fc.constantFrom(...routePaths).map((p) => `${p}?x=%ZZ&token=`));
const method = fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH');

describe('local API fuzz', () => {
  it('answers random and malformed requests with a 4xx and a reason, never a 500', async () => {
    const request = fc.oneof(
      fc.record({ method, p: anyPath, type: contentType, body: fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.string({ unit: 'binary', maxLength: 200 }), hostile) }),
      fc.record({ method: fc.constant('POST'), p: fc.constant(''), type: fc.constant('application/json'), body: fc.constant('') }).chain(() => nearMiss.map(({ p, body }) => ({ method: 'POST', p, type: 'application/json', body }))),
    );
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(request, async ({ method: m, p, type, body }) => {
        const answer = await send(m, p, type === undefined ? {} : { 'content-type': type }, body);
        statuses.add(answer.status);
        expect(answer.status, `${m} ${p} ${body}`).toBeLessThan(500);
        if (answer.status >= 400) expectReason(answer);
      }),
      fuzzParams(300),
    );
    // The requests reached the handlers (some near misses are valid), the validator and the router.
    expect([...statuses]).toEqual(expect.arrayContaining([200, 400, 404]));
    // Still answering, and no handler blew up on the way (a 500 would also have been logged as unexpected).
    const status = await till.call('status');
    expect(status.status).toBe(200);
    expect(StatusSchema.safeParse(status.body).success).toBe(true);
    const log = fs.readFileSync(path.join(till.agent.log.dir, 'till-agent.log'), 'utf8');
    expect(log).not.toMatch(/unexpected error/);
  });

  it('answers a random route under a random path spelling, method and body with 401 when the token is missing or wrong', async () => {
    const token = fc.constantFrom(undefined, '', 'Bearer', `Bearer ${'x'.repeat(43)}`, 'Basic dGlsbA==');
    await fc.assert(
      fc.asyncProperty(method, spelledPath, token, fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), hostile), async (m, p, auth, body) => {
        const res = await fetch(`${till.agent.url}${p.replace(/^\//, '')}`, {
          method: m,
          headers: { 'content-type': 'application/json', ...(auth === undefined ? {} : { authorization: auth }) },
          ...(m === 'GET' ? {} : { body }),
        });
        const text = await res.text();
        expect(res.status, `${m} ${p}`).toBe(401);
        expectReason({ status: res.status, text });
      }),
      fuzzParams(150),
    );
    expect((await till.call('sale')).body).toMatchObject({ lines: [] });
  });

  it('refuses an oversized body with 413 and a reason', async () => {
    const answer = await send('POST', '/api/items/search', { 'content-type': 'application/json' }, JSON.stringify({ query: 'x'.repeat(2 * 1024 * 1024) }));
    expect(answer.status).toBe(413);
    expectReason(answer);
  });

  it('survives bytes that are not HTTP at all, and keeps serving', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(till.agent.port, '127.0.0.1', () => socket.end('\u0016\u0003\u0001 not http at all\r\n\r\n'));
      let got = '';
      socket.on('data', (d: Buffer) => (got += d.toString()));
      socket.on('close', () => resolve(got));
      socket.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await till.call('status')).status).toBe(200);
  });
});
