import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { openDb, type WritableDb } from '../../../main/store';
import { refsOfHolder } from '../../../main/store/discount-refs';
import { DinteroClient } from '../../../main/sync/connectors/dintero/dintero-client';
import { DinteroEffects } from '../../../main/sync/connectors/dintero/dintero-effects';
import { lookupCustomer } from '../../../main/sync/pull/customers';
import { fetchCustomerRefs, fetchPublicRefs } from '../../../main/sync/pull/discount-refs';
import { refreshGiftCard } from '../../../main/sync/pull/gift-cards';
import { RulesPuller } from '../../../main/sync/pull/rules-pull';
import type { EffectToDeliver } from '../../../main/sync/outbox/connector';
import { tempDir } from '../../helpers/temp-dir';
import { saleEnvelope } from '../../integration/connectors/fixtures';
import { startTestServer, type Reply, type Seen, type TestServer } from '../../unit/sync/connectors/test-server';
import { checkRequest, operationOf, TRANSACTION_FIELDS } from './published-fields';

/**
 * The Dintero connector against a loopback server that answers only as the published types show
 * (./published-fields.ts): every request it builds is checked against the field table, every response field it
 * reads must be a published one, and undocumented answers (a 409 on claims, a `duplicate` flag) are not taken as
 * "already applied".
 */

const REF = '0b9d3a52-8f0e-4d6c-9a1b-2c3d4e5f6a7b';
const RULE = { id: 'r-1', requirement: { purchase_from: '2020-01-01T00:00:00Z', purchase_to: '2040-01-01T00:00:00Z' }, reward: { type: 'discount_percent', value: 10 }, updated_at: '2026-11-01T00:00:00Z' };

/** What each part of the connector reads from an answer (its zod schemas), by operation. */
const READS: Readonly<Record<string, readonly string[]>> = {
  token: ['access_token', 'token_type', 'expires_in'],
  'rules list': ['id', 'updated_at', 'deleted_at', 'active'],
  'customer rules': ['id', 'ref_id', 'statistics'],
  'public rules': ['id', 'ref_id'],
  'claims list': ['id', 'ref', 'deleted_at'],
  receipts: ['receipts', 'duplicates'],
  'wallet info': ['card_id', 'currency', 'amount_balance', 'amount_available'],
  'customers search': ['customer_id', 'phone_number', 'email'],
};

let server: TestServer | undefined;
let db: WritableDb | undefined;
afterEach(async () => {
  db?.close();
  db = undefined;
  await server?.close();
  server = undefined;
});

type Script = { claimStatus?: number; liveClaims?: unknown[]; walletAnswer?: Reply };

function documented(script: Script): (req: Seen) => Reply {
  return (req) => {
    const path = new URL(req.url, 'http://x').pathname.replace(/^\/v1\/accounts\/[^/]+\//, '');
    if (path === 'auth/token') return { status: 200, body: { access_token: 'jwt', token_type: 'Bearer', expires_in: 86400 } };
    if (path === 'discounts/rules') return { status: 200, body: [RULE] };
    if (/^discounts\/customers\/[^/]+\/rules$/.test(path)) return { status: 200, body: [{ ...RULE, ref_id: REF, statistics: { usage: 0 } }] };
    if (path === 'discounts/public/rules') return { status: 200, body: [] };
    if (path === 'discounts/available_for_receipt/claims' && req.method === 'POST') {
      return script.claimStatus ? { status: script.claimStatus, body: { error: { message: 'conflict' } } } : { status: 200, body: { ...(req.body as object), id: 'c-1' } };
    }
    if (path === 'discounts/available_for_receipt/claims') return { status: 200, body: script.liveClaims ?? [] };
    if (path.startsWith('discounts/available_for_receipt/claims/')) return { status: 200, body: { id: 'c-1', deleted_at: '2026-11-23T10:00:00Z' } };
    if (path === 'receipts') return { status: 200, body: { receipts: [{ id: 'x' }], duplicates: 0 } };
    if (path === 'wallets/transactions') return script.walletAnswer ?? { status: 200, body: { id: 't-1', ref_id: 'k', amount: 500, currency: 'NOK' } };
    if (path === 'wallets/info') return { status: 200, body: { card_id: 'card-1', amount: 1000, currency: 'NOK', amount_balance: 1000, amount_available: 1000 } };
    if (path === 'customers/users') return { status: 200, body: [{ customer_id: 'cust-1', phone_number: '+4799887766', email: 'k@example.com' }] };
    return { status: 404, body: { error: { message: `no ${path}` } } };
  };
}

async function rig(script: Script = {}): Promise<{ client: DinteroClient; db: WritableDb; effects: DinteroEffects; server: TestServer }> {
  server = await startTestServer(documented(script));
  db = openDb(dbPath(tempDir()));
  const client = new DinteroClient({ baseUrl: server.url, accountId: 'T12345678', clientId: 'id', clientSecret: 'secret', posId: 'till-1', branchId: 'oslo-1' });
  return { client, db, effects: new DinteroEffects(client), server };
}

function effect(kind: EffectToDeliver['kind'], idempotencyKey: string, payload: unknown): EffectToDeliver {
  return { envelopeId: 1, envelopeRef: 'oslo-1-till-7-000001', seq: 0, kind, idempotencyKey, payload, amountAtRisk: 0, attempt: 1 };
}

function envelopeEffect(kind: string): EffectToDeliver {
  const e = saleEnvelope('oslo-1-till-7-000001').effects.find((x) => x.kind === kind);
  if (!e) throw new Error(`no ${kind} in the fixture`);
  return effect(e.kind, e.idempotencyKey, e.payload);
}

describe('Dintero conformance: every request the connector builds is a published one', () => {
  it('rules pulls, refs, customer lookup, gift card, claims, release, receipt and wallet', async () => {
    const { client, db, effects, server } = await rig();
    const now = (): number => Date.parse('2026-11-23T10:00:00Z');
    const puller = new RulesPuller(client, db, now);
    await puller.pull({ full: true });
    await puller.pull();
    await fetchPublicRefs({ db, client, now });
    await fetchCustomerRefs({ db, client, now }, 'cust-1');
    await lookupCustomer({ db, client, now }, { phoneNumber: '+47 99 88 77 66' });
    await lookupCustomer({ db, client, now }, { token: 'card-0001', tokenType: 'card' });
    await refreshGiftCard({ db, client, now }, 'gift-token-0001', { pin: '1234' });
    expect(await effects.discountClaim(envelopeEffect('discount_claim'))).toEqual({ type: 'applied' });
    expect(await effects.claimRelease(effect('claim_release', 'oslo-1-till-7-000002:claim-release', { reverses: 'oslo-1-till-7-000001:claim', claim_ref: 'oslo-1-till-7-000001:claim' }))).toBeDefined();
    expect(await effects.receipt(envelopeEffect('receipt'))).toEqual({ type: 'applied' });
    expect(await effects.walletTransaction(envelopeEffect('wallet_transaction'))).toEqual({ type: 'applied' });
    const problems = server.seen.flatMap((s) => checkRequest(s.method, s.url, s.body).map((p) => `${s.method} ${s.url}: ${p}`));
    expect(problems).toEqual([]);
    const names = new Set(server.seen.map((s) => operationOf(s.method, new URL(s.url, 'http://x').pathname.replace(/^\/v1\/accounts\/[^/]+\//, ''))?.name));
    for (const n of ['token', 'rules list', 'customer rules', 'public rules', 'claim', 'claims list', 'receipts', 'wallet transaction', 'wallet info', 'customers search']) expect(names.has(n), n).toBe(true);
    // The refs the till keeps are the ones the server issued.
    expect(refsOfHolder(db, 'cust-1').map((r) => r.refId)).toEqual([REF]);
  });

  it('reads only published response fields', () => {
    const where: Readonly<Record<string, readonly [string, string]>> = {
      token: ['POST', 'auth/token'],
      'rules list': ['GET', 'discounts/rules'],
      'customer rules': ['GET', 'discounts/customers/c/rules'],
      'public rules': ['GET', 'discounts/public/rules'],
      'claims list': ['GET', 'discounts/available_for_receipt/claims'],
      receipts: ['POST', 'receipts'],
      'wallet info': ['POST', 'wallets/info'],
      'customers search': ['GET', 'customers/users'],
    };
    for (const [name, reads] of Object.entries(READS)) {
      const [method, path] = where[name] ?? ['', ''];
      const published = new Set(operationOf(method, path)?.responseFields ?? []);
      for (const field of reads) expect(published.has(field), `${name} reads ${field}`).toBe(true);
    }
  });

  it('the table catches what the API does not offer', () => {
    expect(checkRequest('GET', '/v1/accounts/T1/discounts/rules?include=customers', undefined)).toEqual([expect.stringContaining('include=customers')]);
    expect(checkRequest('GET', '/v1/accounts/T1/discounts/rules?since_datetime=2026-01-01T00:00:00Z&starting_after=x', undefined)).toEqual([expect.stringContaining('cannot be combined')]);
    const derived = { purchase_at: '2026-01-01T00:00:00Z', customer_id: 'c', discounts: [{ id: 'r-1', refs: [{ id: 'r-1:c', amount: 1, usage: 1 }] }] };
    expect(checkRequest('POST', '/v1/accounts/T1/discounts/available_for_receipt/claims', derived)).toEqual([expect.stringContaining('not a ref the server issued')]);
  });
});

describe('Dintero conformance: only documented answers are read', () => {
  it('a refused claim (409 is not in the published list) is not "already applied" unless a live claim carries our ref', async () => {
    const refused = await rig({ claimStatus: 409 });
    const first = await refused.effects.discountClaim(envelopeEffect('discount_claim'));
    expect(first.type).not.toBe('already_applied');
    await server?.close();
    db?.close();
    const landed = await rig({ claimStatus: 409, liveClaims: [{ id: 'c-1', ref: 'oslo-1-till-7-000001:claim' }] });
    expect(await landed.effects.discountClaim(envelopeEffect('discount_claim'))).toEqual({ type: 'already_applied' });
    expect(landed.server.seen.some((s) => s.method === 'GET' && s.url.includes('ref=oslo-1-till-7-000001%3Aclaim'))).toBe(true);
  });

  it('a wallet answer is applied on 200 whatever it carries; a 409 is a refusal, not "already applied"', async () => {
    const flagged = await rig({ walletAnswer: { status: 200, body: { id: 't-1', duplicate: true } } });
    expect(await flagged.effects.walletTransaction(envelopeEffect('wallet_transaction'))).toEqual({ type: 'applied' });
    await server?.close();
    db?.close();
    const conflict = await rig({ walletAnswer: { status: 409, body: { error: { message: 'conflict' } } } });
    expect((await conflict.effects.walletTransaction(envelopeEffect('wallet_transaction'))).type).not.toBe('already_applied');
  });

  it('every wallet transaction the connector sends names the card once: the code only on a first drawdown, the card id after', async () => {
    const { effects, server } = await rig();
    const card = { amount: 500, currency: 'NOK' };
    // A tender-time drawdown: the code's first use, with the PIN the cashier typed.
    await effects.walletTransaction(effect('wallet_transaction', 'k:tender', { ...card, token: 'GC-CODE-1', card_id: 'card-1', type: 'drawdown', pin: '4321' }));
    // The outbox's retry of that drawdown, the replay of a lost one, and the fund that gives it back: by card id.
    await effects.walletTransaction({ ...effect('wallet_transaction', 'k:tender', { ...card, token: 'GC-CODE-1', card_id: 'card-1', type: 'drawdown', pin: '4321' }), attempt: 2 });
    await effects.walletTransaction(effect('wallet_transaction', 'k:tender', { ...card, card_id: 'card-1', type: 'drawdown', replay: true }));
    await effects.walletTransaction(effect('wallet_transaction', 'k:tender:refund', { ...card, token: 'GC-CODE-1', card_id: 'card-1', type: 'fund' }));
    const sent = server.seen.filter((s) => s.url.endsWith('wallets/transactions'));
    expect(sent.flatMap((s) => checkRequest(s.method, s.url, s.body))).toEqual([]);
    const bodies = sent.map((s) => s.body as Record<string, unknown>);
    expect(bodies.map((b) => [b['token'], b['card_id'], b['pin'], b['type'], b['ref_id']])).toEqual([
      ['GC-CODE-1', undefined, '4321', 'drawdown', 'k:tender'],
      [undefined, 'card-1', undefined, 'drawdown', 'k:tender'],
      [undefined, 'card-1', undefined, 'drawdown', 'k:tender'],
      [undefined, 'card-1', undefined, 'fund', 'k:tender:refund'],
    ]);
    // Every field sent has its published source in the table.
    for (const b of bodies) for (const k of Object.keys(b)) expect(TRANSACTION_FIELDS[k], k).toMatch(/^S[12] /);
    expect(checkRequest('POST', '/v1/accounts/T1/wallets/transactions', { ref_id: 'k', amount: 1, currency: 'NOK', card_id: 'c', pin: '1234' })).toEqual([expect.stringContaining('body.pin')]);
  });

  it('a retried drawdown whose code is answered 404 is uncertain with evidence, never refused; a 403 by card id names the scope', async () => {
    const spent = await rig({ walletAnswer: { status: 404, body: { error: { message: 'not found' } } } });
    const retry = await spent.effects.walletTransaction({ ...effect('wallet_transaction', 'k:pay:0', { amount: 500, currency: 'NOK', token: 'GC-CODE-2', type: 'drawdown' }), attempt: 2 });
    expect(retry).toMatchObject({ type: 'permanent', evidence: { verdict: 'undecided', amount: 500, direction: -1 } });
    expect(JSON.stringify(retry)).not.toContain('GC-CODE-2');
    // The first try of a code answered 404 is a plain refusal (the code is unknown, expired or used elsewhere).
    const first = await spent.effects.walletTransaction(effect('wallet_transaction', 'k:pay:1', { amount: 500, currency: 'NOK', token: 'GC-CODE-2', type: 'drawdown' }));
    expect(first).toMatchObject({ type: 'permanent' });
    expect(first).not.toHaveProperty('evidence');
    await server?.close();
    db?.close();
    const narrow = await rig({ walletAnswer: { status: 403, body: { error: { message: 'forbidden' } } } });
    const fund = await narrow.effects.walletTransaction(effect('wallet_transaction', 'k:pay:0:refund', { amount: 500, currency: 'NOK', card_id: 'card-1', type: 'fund' }));
    expect(fund).toMatchObject({ type: 'permanent', reason: expect.stringContaining('write:wallets') as unknown });
    expect(fund).not.toHaveProperty('evidence');
  });
});
