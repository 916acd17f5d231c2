import { afterEach, describe, expect, it } from 'vitest';
import { LoyaltyClient, isMemberNotFound, readEnvelope } from '../../../../../main/sync/connectors/loyalty/loyalty-client';
import { recordingLogger, startTestServer, type Reply, type Seen, type TestServer } from '../test-server';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(handler: (req: Seen) => Reply, sourceType: 'POS' | 'Kiosk' = 'POS'): Promise<{ client: LoyaltyClient; log: ReturnType<typeof recordingLogger> }> {
  server = await startTestServer(handler);
  const log = recordingLogger();
  return { client: new LoyaltyClient({ baseUrl: `${server.url}v1/`, apiKey: 'api-key-secret-1', sourceType, version: '1.2.3', posId: 'till-7', branchId: 'oslo-1', logger: log }), log };
}

describe('readEnvelope', () => {
  it('unwraps success, and the top-level member of an "ok" answer', () => {
    expect(readEnvelope(200, { status: 'success', data: { confirmationCode: 'C1' } })).toEqual({ ok: true, data: { confirmationCode: 'C1' }, confirmationCode: 'C1' });
    expect(readEnvelope(200, { status: 'ok', member: { points: 5 } })).toEqual({ ok: true, data: { member: { points: 5 } }, confirmationCode: undefined });
    // Seed 004's example: the code beside the status.
    expect(readEnvelope(200, { status: 'success', confirmationCode: 'ABC123' })).toEqual({ ok: true, data: { confirmationCode: 'ABC123' }, confirmationCode: 'ABC123' });
  });

  it('treats the documented business errors as permanent and a server error code as transient', () => {
    const notFound = readEnvelope(200, { status: 'error', error: { code: '4001012', message: 'Member not found' } });
    expect(notFound.ok).toBe(false);
    if (!notFound.ok) expect(isMemberNotFound(notFound.failure)).toBe(true);
    expect(readEnvelope(200, { status: 'error', error: { code: '203', message: 'Cannot find any member' } })).toMatchObject({ ok: false, failure: { kind: 'permanent', code: '203' } });
    expect(readEnvelope(400, { status: 'error', error: { code: 407, message: 'creditBalance balance … insufficient' } })).toMatchObject({ ok: false, failure: { kind: 'permanent', code: '407' } });
    expect(readEnvelope(200, { status: 'error', error: { code: '1001', message: 'phoneNumber is not allowed' } })).toMatchObject({ ok: false, failure: { kind: 'permanent', code: '1001' } });
    expect(readEnvelope(200, { status: 'error', error: { code: '500', message: 'Server error' } })).toMatchObject({ ok: false, failure: { kind: 'transient', delivery: 'unknown' } });
  });

  it('reads an undocumented code as an unknown outcome, never as a refusal', () => {
    for (const code of ['2003', '401', 'TIMEOUT', '9999']) {
      expect(readEnvelope(400, { status: 'error', error: { code, message: 'x' } })).toMatchObject({ ok: false, failure: { kind: 'transient', delivery: 'unknown' }, answer: { kind: 'undocumented', code } });
    }
    expect(readEnvelope(200, { hello: 'world' })).toMatchObject({ ok: false, failure: { kind: 'transient', delivery: 'unknown' } });
  });
});

describe('LoyaltyClient', () => {
  it('POSTs JSON with all five identification headers', async () => {
    const { client } = await start(() => ({ status: 200, body: { status: 'success', data: {} } }), 'Kiosk');
    await client.post('member/details', { member: { membershipKey: 'm-1' } });
    await client.post('event', { event: { type: 'signup' } });
    expect(server?.seen.map((s) => s.url)).toEqual(['/v1/member/details', '/v1/event']);
    for (const req of server?.seen ?? []) {
      expect(req.method).toBe('POST');
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['x-api-key']).toBe('api-key-secret-1');
      expect(req.headers['x-source-type']).toBe('Kiosk');
      expect(req.headers['x-source-name']).toBe('till-agent/1.2.3');
      expect(req.headers['x-branch-id']).toBe('oslo-1');
      expect(req.headers['x-pos-id']).toBe('till-7');
    }
  });

  it('reads the envelope of a 4xx answer and keeps HTTP 5xx transient', async () => {
    const { client } = await start((req) =>
      req.url.endsWith('payment') ? { status: 400, body: { status: 'error', error: { code: '407', message: 'insufficient' } } } : { status: 502, body: { status: 'error', error: { code: '407', message: 'gateway' } } },
    );
    expect(await client.post('payment', {})).toMatchObject({ ok: false, failure: { kind: 'permanent', code: '407', status: 400 } });
    expect(await client.post('transaction', {})).toMatchObject({ ok: false, failure: { kind: 'transient', status: 502 } });
  });

  it('reads a 4xx with an undocumented code, or none, as an unknown outcome', async () => {
    const { client } = await start((req) =>
      req.url.endsWith('payment') ? { status: 409, body: { status: 'error', error: { code: '2003', message: 'already cancelled' } } } : { status: 401, body: 'Unauthorized' },
    );
    expect(await client.post('payment', {})).toMatchObject({ ok: false, failure: { kind: 'transient', delivery: 'unknown', status: 409 }, answer: { kind: 'undocumented', code: '2003' } });
    expect(await client.post('transaction', {})).toMatchObject({ ok: false, failure: { kind: 'transient', delivery: 'unknown', status: 401 } });
  });

  it('logs ids and codes but never the key, e-mails or phone numbers', async () => {
    const { client, log } = await start(() => ({ status: 200, body: { status: 'error', error: { code: '1001', message: 'phoneNumber +34612345678 not allowed' } } }));
    const result = await client.post('member/update', { member: { phoneNumber: '+34612345678', email: 'ana@example.es' } }, { logIds: { membershipKey: 'm-9' } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failure.reason).not.toContain('612345678');
    const text = log.lines.join('\n');
    expect(text).toContain('m-9');
    expect(text).not.toMatch(/api-key-secret|612345678|ana@example/);
  });
});
