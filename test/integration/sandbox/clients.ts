/** Small fetch clients for the sandbox tests: the till's identification headers, a cached bearer token. */
import { afterEach } from 'vitest';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../main/sandbox';

const started: SandboxHandle[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

/** A sandbox on free loopback ports with strict identification, closed after the test. */
export async function sandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const s = await startSandbox({ strictIdentification: true, ...options });
  started.push(s);
  return s;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- simulator answers are JSON; each test asserts their shape
export type Reply = { status: number; body: any; headers: Headers };

export const IDENT = { 'x-pos-id': 'till-1', 'x-branch-id': 'demo-branch' } as const;

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text), headers: res.headers };
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export async function token(s: SandboxHandle, admin = false): Promise<string> {
  const res = await fetch(`${s.dinteroUrl}/v1/accounts/${s.accountId}/auth/token`, {
    method: 'POST',
    headers: {
      ...IDENT,
      'content-type': 'application/json',
      authorization: admin ? basic(s.adminClientId, s.adminClientSecret) : basic(s.clientId, s.clientSecret),
    },
    body: JSON.stringify({ grant_type: 'client_credentials', audience: `https://api.dintero.com/v1/accounts/${s.accountId}` }),
  });
  const r = await reply(res);
  if (r.status !== 200) throw new Error(`token: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.access_token as string;
}

export type Dintero = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply>;

/** Calls `/v1/accounts/{aid}/<path>` with a bearer token of the POS (or admin) client. */
export async function dintero(s: SandboxHandle, admin = false): Promise<Dintero> {
  const bearer = await token(s, admin);
  return async (method, path, body, headers = {}) =>
    reply(
      await fetch(`${s.dinteroUrl}/v1/accounts/${s.accountId}/${path}`, {
        method,
        headers: {
          ...IDENT,
          authorization: `Bearer ${bearer}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      }),
    );
}

export function loyaltyHeaders(s: SandboxHandle): Record<string, string> {
  return {
    'x-api-key': s.apiKey,
    'x-source-type': 'POS',
    'x-source-name': 'till-agent/test',
    'x-branch-id': 'demo-branch',
    'x-pos-id': 'till-1',
    'content-type': 'application/json',
  };
}

export type Loyalty = (path: string, body: unknown, headers?: Record<string, string | undefined>) => Promise<Reply>;

export function loyalty(s: SandboxHandle): Loyalty {
  return async (path, body, headers = {}) => {
    const merged: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...loyaltyHeaders(s), ...headers })) if (v !== undefined) merged[k] = v;
    return reply(await fetch(`${s.loyaltyUrl}${path}`, { method: 'POST', headers: merged, body: JSON.stringify(body) }));
  };
}

/** A clock tests move by hand. */
export function manualClock(iso: string): { now: () => Date; advance(ms: number): void } {
  let t = Date.parse(iso);
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}

/**
 * The ref the sandbox issued for a customer's instance of a rule (a random UUID, as Dintero issues them), read
 * from the customer's listing (`GET discounts/customers/{cid}/rules`), as a till learns it. `nth` picks among
 * several instances of the same rule.
 */
export async function refOf(call: Dintero, customerId: string, ruleId: string, nth = 0): Promise<string> {
  const listed = await call('GET', `discounts/customers/${encodeURIComponent(customerId)}/rules?limit=100`);
  const refs = (listed.body as { id: string; ref_id: string }[]).filter((r) => r.id === ruleId).map((r) => r.ref_id);
  const ref = refs[nth];
  if (ref === undefined) throw new Error(`customer ${customerId} holds no ref ${nth} of ${ruleId}`);
  return ref;
}
