import { afterEach, describe, expect, it } from 'vitest';
import { DinteroClient, refreshMarginMs } from '../../../../../main/sync/connectors/dintero/dintero-client';
import { recordingLogger, startTestServer, type Reply, type Seen, type TestServer } from '../test-server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Api = { tokens: number; handler: (req: Seen) => Reply };

/** Issues tokens t1, t2, … and lets the test decide the answer to every other call. */
async function start(api: Partial<Api> & { expiresIn?: number } = {}): Promise<{ state: Api; client: DinteroClient; clock: { now: number }; log: ReturnType<typeof recordingLogger> }> {
  const state: Api = { tokens: 0, handler: api.handler ?? (() => ({ status: 200, body: { ok: true } })) };
  server = await startTestServer((req) => {
    if (req.url.endsWith('/auth/token')) {
      state.tokens++;
      return { status: 200, body: { access_token: `t${state.tokens}`, token_type: 'Bearer', expires_in: api.expiresIn ?? 3600 } };
    }
    return state.handler(req);
  });
  const clock = { now: Date.parse('2026-11-23T10:00:00Z') };
  const log = recordingLogger();
  const client = new DinteroClient({
    baseUrl: server.url,
    accountId: 'T12345678',
    clientId: 'client-id-1',
    clientSecret: 'client-secret-xyz',
    posId: 'till-7',
    branchId: 'oslo-1',
    now: () => clock.now,
    logger: log,
  });
  return { state, client, clock, log };
}

describe('DinteroClient', () => {
  it('asks for a client-credentials token with HTTP Basic and the account audience', async () => {
    const { client } = await start();
    await client.call({ method: 'GET', path: 'discounts/rules' });
    const tokenReq = server?.seen[0];
    expect(tokenReq?.method).toBe('POST');
    expect(tokenReq?.url).toBe('/v1/accounts/T12345678/auth/token');
    expect(tokenReq?.headers.authorization).toBe(`Basic ${Buffer.from('client-id-1:client-secret-xyz').toString('base64')}`);
    expect(tokenReq?.body).toEqual({ grant_type: 'client_credentials', audience: 'https://api.dintero.com/v1/accounts/T12345678' });
    expect(server?.seen[1]?.url).toBe('/v1/accounts/T12345678/discounts/rules');
    expect(server?.seen[1]?.headers.authorization).toBe('Bearer t1');
  });

  it('sends x-pos-id and x-branch-id on every request, the token request included', async () => {
    const { client } = await start();
    await client.call({ method: 'POST', path: 'receipts', body: [] });
    await client.call({ method: 'GET', path: 'customers/users' });
    expect(server?.seen).toHaveLength(3);
    for (const req of server?.seen ?? []) {
      expect(req.headers['x-pos-id']).toBe('till-7');
      expect(req.headers['x-branch-id']).toBe('oslo-1');
    }
  });

  it('reuses the token until shortly before it expires, then fetches a new one', async () => {
    const { client, state, clock } = await start({ expiresIn: 600 });
    await client.call({ method: 'GET', path: 'a' });
    clock.now += 600_000 - refreshMarginMs(600) - 1;
    await client.call({ method: 'GET', path: 'a' });
    expect(state.tokens).toBe(1);
    clock.now += 1;
    await client.call({ method: 'GET', path: 'a' });
    expect(state.tokens).toBe(2);
    expect(server?.seen.at(-1)?.headers.authorization).toBe('Bearer t2');
  });

  it('on a 401 fetches one new token and retries the call once', async () => {
    const { client, state } = await start({ handler: (req) => (req.headers.authorization === 'Bearer t1' ? { status: 401, body: { error: { message: 'jwt expired' } } } : { status: 200, body: { n: 1 } }) });
    const result = await client.call({ method: 'GET', path: 'a' });
    expect(result).toMatchObject({ ok: true, body: { n: 1 } });
    expect(state.tokens).toBe(2);
    expect(client.tokensFetched).toBe(2);
  });

  it('gives up after one refresh when the server keeps refusing', async () => {
    const { client, state } = await start({ handler: () => ({ status: 401, body: { error: { message: 'no scope' } } }) });
    const result = await client.call({ method: 'GET', path: 'a' });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', status: 401 } });
    expect(state.tokens).toBe(2);
    expect(server?.seen.filter((s) => !s.url.endsWith('/auth/token'))).toHaveLength(2);
  });

  it('shares one token request between concurrent calls', async () => {
    const { client, state } = await start();
    await Promise.all([client.call({ method: 'GET', path: 'a' }), client.call({ method: 'GET', path: 'b' }), client.call({ method: 'GET', path: 'c' })]);
    expect(state.tokens).toBe(1);
  });

  it('reports a refused token request as a failure of the call, without throwing', async () => {
    server = await startTestServer(() => ({ status: 401, body: { error: { message: 'bad client' } } }));
    const client = new DinteroClient({ baseUrl: `${server.url}v1`, accountId: 'T12345678', clientId: 'c', clientSecret: 's', posId: 'p', branchId: 'b' });
    const result = await client.call({ method: 'GET', path: 'a' });
    expect(result).toMatchObject({ ok: false, failure: { kind: 'permanent', status: 401 } });
    expect(server.seen[0]?.url).toBe('/v1/accounts/T12345678/auth/token');
  });

  it('never logs the client secret, the token or the Basic credentials', async () => {
    const { client, log } = await start({ handler: (req) => (req.headers.authorization === 'Bearer t1' ? { status: 401 } : { status: 200, body: {} }) });
    await client.call({ method: 'GET', path: 'a' });
    const text = log.lines.join('\n');
    expect(log.lines.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/client-secret-xyz|Bearer|Basic|"t1"|"t2"/);
  });
});
