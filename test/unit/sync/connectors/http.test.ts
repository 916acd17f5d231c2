import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, classifyNetworkError, parseRetryAfter } from '../../../../main/sync/connectors/http';
import { closedPort, recordingLogger, startTestServer, type Reply, type TestServer } from './test-server';

const NOW = Date.parse('2026-11-23T10:00:00Z');
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(reply: Reply, timeoutMs = 2_000): Promise<{ client: HttpClient; log: ReturnType<typeof recordingLogger> }> {
  server = await startTestServer(() => reply);
  const log = recordingLogger();
  return { client: new HttpClient({ name: 'test', baseUrl: server.url, logger: log, now: () => NOW, timeoutMs }), log };
}

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates relative to now', () => {
    expect(parseRetryAfter('7', NOW)?.toISOString()).toBe('2026-11-23T10:00:07.000Z');
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:01:00 GMT', NOW)?.toISOString()).toBe('2026-11-23T10:01:00.000Z');
  });

  it('ignores absent or malformed values and never returns a time in the past', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:00 GMT', NOW)?.getTime()).toBe(NOW);
  });
});

describe('classifyNetworkError', () => {
  it('knows a refused connection was never sent and a reset may have been applied', () => {
    expect(classifyNetworkError(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }), false)).toMatchObject({ kind: 'transient', delivery: 'not_sent' });
    expect(classifyNetworkError(new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } }), false)).toMatchObject({ delivery: 'not_sent' });
    expect(classifyNetworkError(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }), false)).toMatchObject({ delivery: 'unknown' });
    expect(classifyNetworkError(new Error('aborted'), true)).toEqual({ kind: 'transient', reason: 'timeout', delivery: 'unknown' });
  });
});

describe('HttpClient', () => {
  it('returns the parsed body and the ETag of a 2xx answer', async () => {
    const { client } = await clientFor({ status: 200, body: { a: 1 }, headers: { etag: '"v7"' } });
    const result = await client.request({ method: 'GET', path: 'x', query: { limit: 10, skip: undefined } });
    expect(result).toEqual({ ok: true, status: 200, body: { a: 1 }, etag: '"v7"' });
    expect(server?.seen[0]?.url).toBe('/x?limit=10');
  });

  it('classifies 5xx as transient with an unknown outcome, keeping the server reason', async () => {
    const { client } = await clientFor({ status: 503, body: { error: { message: 'down for maintenance' } }, headers: { 'retry-after': '30' } });
    const result = await client.request({ method: 'POST', path: 'x', body: {} });
    expect(result).toEqual({ ok: false, failure: { kind: 'transient', reason: 'HTTP 503: down for maintenance', status: 503, delivery: 'unknown', retryAt: new Date(NOW + 30_000) } });
  });

  it('classifies 429 as transient, not applied, with Retry-After as a time', async () => {
    const { client } = await clientFor({ status: 429, headers: { 'retry-after': '2' } });
    const result = await client.request({ method: 'POST', path: 'x', body: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure).toMatchObject({ kind: 'transient', delivery: 'not_sent', retryAt: new Date(NOW + 2_000) });
  });

  it('classifies other 4xx as permanent with the server code and reason, scrubbing personal data', async () => {
    const { client } = await clientFor({ status: 400, body: { error: { code: 'invalid', message: 'bad email kari@example.com' } } });
    const result = await client.request({ method: 'POST', path: 'x', body: {} });
    expect(result).toEqual({ ok: false, failure: { kind: 'permanent', status: 400, code: 'invalid', reason: 'HTTP 400 invalid: bad email [redacted]' } });
  });

  it('turns a connection reset into a transient failure with an unknown outcome', async () => {
    const { client } = await clientFor('reset');
    const result = await client.request({ method: 'POST', path: 'x', body: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure).toMatchObject({ kind: 'transient', delivery: 'unknown' });
  });

  it('times out a hanging server as transient with an unknown outcome', async () => {
    const { client } = await clientFor('hang', 100);
    const result = await client.request({ method: 'POST', path: 'x', body: {} });
    expect(result).toEqual({ ok: false, failure: { kind: 'transient', reason: 'timeout', delivery: 'unknown' } });
  });

  it('reports a refused connection as not sent', async () => {
    const port = await closedPort();
    const client = new HttpClient({ name: 'test', baseUrl: `http://127.0.0.1:${port}/` });
    const result = await client.request({ method: 'GET', path: 'x' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure).toMatchObject({ kind: 'transient', delivery: 'not_sent' });
  });

  it('logs method, path, status and ids, never the query string, headers or body', async () => {
    server = await startTestServer((req) => (req.url.startsWith('/fail') ? { status: 400, body: { error: { message: 'no +4799887766' } } } : { status: 200, body: {} }));
    const log = recordingLogger();
    const client = new HttpClient({ name: 'test', baseUrl: server.url, logger: log, headers: () => ({ 'x-api-key': 'key-secret-123456' }) });
    await client.request({ method: 'GET', path: 'users', query: { email: 'kari@example.com' }, logIds: { receiptId: 'r-42' } });
    await client.request({ method: 'POST', path: 'fail', body: { phoneNumber: '+4799887766', token: 'tok-abcdef' } });
    const text = log.lines.join('\n');
    expect(text).toContain('"path":"/users"');
    expect(text).toContain('"receiptId":"r-42"');
    expect(text).toContain('"status":400');
    expect(text).not.toMatch(/kari@example\.com|4799887766|key-secret|tok-abcdef/);
    expect(server.seen[0]?.headers['x-api-key']).toBe('key-secret-123456');
  });
});
