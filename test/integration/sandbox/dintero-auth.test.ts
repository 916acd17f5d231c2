import { describe, expect, it } from 'vitest';
import { basic, dintero, IDENT, manualClock, sandbox, token } from './clients';

describe('Dintero simulator: credentials, bearer tokens, scopes and identification headers', () => {
  const tokenRequest = (s: { dinteroUrl: string; accountId: string }, headers: Record<string, string>, body?: unknown) =>
    fetch(`${s.dinteroUrl}/v1/accounts/${s.accountId}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body ?? { grant_type: 'client_credentials', audience: `https://api.dintero.com/v1/accounts/${s.accountId}` }),
    });

  it('issues a Bearer JWT with expires_in for the right client credentials, 4 hours by default', async () => {
    const s = await sandbox();
    const res = await tokenRequest(s, { ...IDENT, authorization: basic(s.clientId, s.clientSecret) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body.token_type).toBe('Bearer');
    expect(body.expires_in).toBe(4 * 3600);
    expect(body.access_token.split('.')).toHaveLength(3);
  });

  it('refuses a wrong secret, an unknown client and a missing Basic header with 401 and an error body', async () => {
    const s = await sandbox();
    for (const authorization of [basic(s.clientId, 'wrong'), basic('nobody', s.clientSecret), undefined]) {
      const res = await tokenRequest(s, { ...IDENT, ...(authorization ? { authorization } : {}) });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('UNAUTHORIZED');
      expect(body.error.message).not.toContain(s.clientSecret);
    }
  });

  it('refuses a grant type other than client_credentials and an audience of another account with 400', async () => {
    const s = await sandbox();
    const headers = { ...IDENT, authorization: basic(s.clientId, s.clientSecret) };
    expect((await tokenRequest(s, headers, { grant_type: 'password', audience: `https://api.dintero.com/v1/accounts/${s.accountId}` })).status).toBe(400);
    expect((await tokenRequest(s, headers, { grant_type: 'client_credentials', audience: 'https://api.dintero.com/v1/accounts/T00000000' })).status).toBe(400);
  });

  it('answers 404 for another account id in the path', async () => {
    const s = await sandbox();
    const other = s.accountId === 'T99999999' ? 'T11111111' : 'T99999999';
    const res = await fetch(`${s.dinteroUrl}/v1/accounts/${other}/auth/token`, {
      method: 'POST',
      headers: { ...IDENT, authorization: basic(s.clientId, s.clientSecret), 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', audience: `https://api.dintero.com/v1/accounts/${other}` }),
    });
    expect(res.status).toBe(404);
  });

  it('needs a valid bearer token on every other call: missing, forged and expired tokens get 401', async () => {
    const clock = manualClock('2026-11-23T10:00:00Z');
    const s = await sandbox({ now: clock.now, tokenTtlSeconds: 60 });
    const url = `${s.dinteroUrl}/v1/accounts/${s.accountId}/discounts/rules`;
    expect((await fetch(url, { headers: IDENT })).status).toBe(401);
    const good = await token(s);
    const [head, body] = good.split('.');
    expect((await fetch(url, { headers: { ...IDENT, authorization: `Bearer ${head}.${body}.forged` } })).status).toBe(401);
    expect((await fetch(url, { headers: { ...IDENT, authorization: `Bearer ${good}` } })).status).toBe(200);
    clock.advance(61_000);
    const expired = await fetch(url, { headers: { ...IDENT, authorization: `Bearer ${good}` } });
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
  });

  it('checks scopes: the POS client may not hand out discounts or fund cards (403), the admin client may', async () => {
    const s = await sandbox({ demo: true });
    const pos = await dintero(s);
    const admin = await dintero(s, true);
    const grant = { customers: ['cust-0003'] };
    const refused = await pos('POST', 'discounts/rules/demo-coffee-20kr/customers', grant);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
    expect((await admin('POST', 'discounts/rules/demo-coffee-20kr/customers', grant)).status).toBe(200);
    const fund = { ref_id: 'fund-1', amount: 100, currency: 'NOK', card_id: 'gc-0001', type: 'fund' };
    expect((await pos('POST', 'wallets/transactions', fund)).status).toBe(403);
    expect((await admin('POST', 'wallets/transactions', fund)).status).toBe(200);
  });

  it('with strict identification, refuses any call without x-pos-id or x-branch-id, the token call included', async () => {
    const s = await sandbox();
    const bearer = await token(s);
    for (const missing of ['x-pos-id', 'x-branch-id']) {
      const headers: Record<string, string> = { ...IDENT, authorization: `Bearer ${bearer}` };
      delete headers[missing];
      const res = await fetch(`${s.dinteroUrl}/v1/accounts/${s.accountId}/discounts/rules`, { headers });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'IDENTIFICATION_MISSING' });
      const tokenHeaders: Record<string, string> = { ...IDENT, authorization: basic(s.clientId, s.clientSecret) };
      delete tokenHeaders[missing];
      expect((await tokenRequest(s, tokenHeaders)).status).toBe(400);
    }
  });

  it('without strict identification, the headers are ignored as the real service does', async () => {
    const s = await sandbox({ strictIdentification: false });
    const res = await tokenRequest(s, { authorization: basic(s.clientId, s.clientSecret) });
    expect(res.status).toBe(200);
  });
});
