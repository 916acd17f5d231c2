/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- simulator answers are JSON; the assertions are the type check */
import { describe, expect, it } from 'vitest';
import type { SandboxOptions } from '../../../main/sandbox';
import { loyalty, manualClock, sandbox as startSandbox } from './clients';

// These tests read the fields inside `data` (the /payment page's shape); the seed's top-level shape and the
// others are covered by the last block and by test/conformance/loyalty.
const sandbox = (options: SandboxOptions = {}): ReturnType<typeof startSandbox> => startSandbox({ loyaltyAnswers: 'data', ...options });

const OLA = { phoneNumber: '+4799999901' };
const OLA_KEY = '5a7d0000-0000-4000-8000-000000000001';

const sale = (id: string, net: number, payments = [{ type: 'CASH', amount: net }]) => ({
  transactionId: id,
  openTime: '2026-11-23T09:58:00Z',
  dateTime: '2026-11-23T10:00:00Z',
  totalAmount: net,
  totalTaxAmount: Math.floor(net / 5),
  totalGeneralDiscount: 0,
  items: [{ lineId: '1', code: 'dairy-milk-1l', name: 'Helmelk 1 l', departmentCode: 'dairy', departmentName: 'Meieri', quantity: 1, grossAmount: net, netAmount: net }],
  payments,
});

describe('Loyalty POS API simulator: headers and envelope', () => {
  it('needs every identification header: a missing one is 1001 naming it; a wrong or missing key is 401', async () => {
    const s = await sandbox({ demo: true });
    const call = loyalty(s);
    for (const name of ['x-source-type', 'x-source-name', 'x-branch-id', 'x-pos-id']) {
      const res = await call('member/details', { member: OLA }, { [name]: undefined });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ status: 'error', error: { code: '1001', message: `Missing required header ${name}`, path: `headers.${name}` } });
    }
    expect((await call('member/details', { member: OLA }, { 'x-api-key': 'wrong' })).body.error.code).toBe('401');
    expect((await call('member/details', { member: OLA }, { 'x-api-key': undefined })).status).toBe(401);
    expect((await call('member/details', { member: OLA }, { 'x-source-type': 'Fax' })).body.error.code).toBe('1001');
  });

  it('answers unknown routes, non-JSON bodies and GET in the same envelope', async () => {
    const s = await sandbox({ demo: true });
    const nowhere = await loyalty(s)('member/teleport', {});
    expect(nowhere.status).toBe(404);
    expect(nowhere.body.status).toBe('error');
    const text = await fetch(`${s.loyaltyUrl}member/details`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(((await text.json()) as { status: string }).status).toBe('error');
    expect((await fetch(`${s.loyaltyUrl}member/details`)).status).toBe(404);
  });
});

describe('Loyalty POS API simulator: members', () => {
  const newMember = {
    phoneNumber: '+4799999950',
    email: 'test.person@example.com',
    firstName: 'Test',
    lastName: 'Person',
    allowedSMS: true,
    allowedEmail: false,
    termsOfUse: true,
    gdpr: true,
    birthday: '1990-01-01',
  };

  it('registers a member from flat fields or newMemberData, and refuses a second one with the same phone', async () => {
    const s = await sandbox();
    const call = loyalty(s);
    const flat = await call('member/register', newMember);
    expect(flat.body.status).toBe('success');
    expect(flat.body.data.member).toMatchObject({ firstName: 'Test', points: 0, credit: 0, status: 'active' });
    expect(flat.body.data.member.membershipKey).toMatch(/^[0-9a-f-]{36}$/);
    const wrapped = await call('member/register', { newMemberData: { ...newMember, phoneNumber: '+4799999951', email: 'other@example.com' } });
    expect(wrapped.body.status).toBe('success');
    const dup = await call('member/register', { ...newMember, email: 'third@example.com' });
    expect(dup.status).toBe(400);
    expect(dup.body.error.code).toBe('1001');
  });

  it('requires every registration field and refuses null or empty values with 1001', async () => {
    const s = await sandbox();
    const call = loyalty(s);
    const { gdpr: _gdpr, ...missing } = newMember;
    expect((await call('member/register', missing)).body.error.code).toBe('1001');
    const bad = await call('member/register', { ...newMember, phoneNumber: 'call me' });
    expect(bad.body.error).toMatchObject({ code: '1001', path: 'body.phoneNumber' });
    expect((await call('member/details', { member: { phoneNumber: '' } })).body.error.code).toBe('1001');
    expect((await call('member/details', { member: { email: null } })).body.error.code).toBe('1001');
    expect((await call('member/details', { member: {} })).body.error.code).toBe('1001');
  });

  it('updates only the fields sent, and answers an unknown member with 4001012', async () => {
    const s = await sandbox({ demo: true });
    const call = loyalty(s);
    const res = await call('member/update', { member: OLA, newMemberData: { lastName: 'Nordmann-Hansen', allowedSMS: false } });
    expect(res.body).toEqual({ status: 'success', message: 'Member updated successfully', data: { memberId: OLA_KEY } });
    const after = await call('member/details', { member: { membershipKey: OLA_KEY } });
    expect(after.body.data.member).toMatchObject({ lastName: 'Nordmann-Hansen', allowedSMS: false, firstName: 'Ola' });
    const missing = await call('member/update', { member: { phoneNumber: '+4700000000' }, newMemberData: { firstName: 'X' } });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('4001012');
    expect((await call('member/update', { member: OLA, newMemberData: {} })).body.error.code).toBe('1001');
  });

  it('returns details by any identifier, with assets per x-return-assets and a benefit preview on request', async () => {
    const s = await sandbox({ demo: true });
    const call = loyalty(s);
    for (const member of [OLA, { email: 'ola.nordmann@example.com' }, { membershipKey: OLA_KEY }, { externalId: '9990000001' }]) {
      const res = await call('member/details', { member });
      expect(res.body.data.member).toMatchObject({ membershipKey: OLA_KEY, points: 1250, credit: 15000, birthday: expect.stringMatching(/T00:00:00.000Z$/) });
    }
    // Identifiers that point at two different members find nobody.
    expect((await call('member/details', { member: { ...OLA, email: 'kari.nordmann@example.com' } })).body.error.code).toBe('4001012');
    const active = await call('member/details', { member: OLA });
    expect(active.body.data.assets.map((a: { key: string }) => a.key)).toEqual(['asset-birthday-2026']);
    const all = await call('member/details', { member: OLA }, { 'x-return-assets': 'all' });
    expect(all.body.data.assets).toHaveLength(2);
    expect((await call('member/details', { member: OLA }, { 'x-return-assets': 'some' })).body.error.code).toBe('1001');
    const preview = await call('member/details', { member: OLA, transaction: sale('preview', 25000) }, { 'x-return-benefits': 'true' });
    expect(preview.body.data.benefits).toEqual({ pointsToEarn: 25, deals: [] });
    expect(s.inspect().memberBalances[OLA_KEY]).toEqual({ points: 1250, credit: 15000 });
  });

  it('sends, gets and verifies a short code, which also identifies the member in details until it expires', async () => {
    const clock = manualClock('2026-11-23T10:00:00Z');
    const s = await sandbox({ demo: true, now: clock.now });
    const call = loyalty(s);
    expect((await call('member/shortCode', { member: OLA, action: 'send' })).body).toEqual({ status: 'success', data: {} });
    const got = await call('member/shortCode', { member: OLA, action: 'get' });
    const code = got.body.data.shortCode as string;
    expect(code).toMatch(/^\d{6}$/);
    expect((await call('member/details', { member: { shortCode: code } })).body.data.member.membershipKey).toBe(OLA_KEY);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await call('member/shortCode', { member: OLA, action: 'verify', code: wrong })).body.error.code).toBe('1001');
    expect((await call('member/shortCode', { member: OLA, action: 'verify', code })).body.data).toEqual({ verified: true, membershipKey: OLA_KEY });
    expect((await call('member/shortCode', { member: OLA, action: 'verify', code })).body.error.code).toBe('1001');
    const later = (await call('member/shortCode', { member: OLA, action: 'get' })).body.data.shortCode as string;
    clock.advance(5 * 60_000 + 1);
    expect((await call('member/details', { member: { shortCode: later } })).body.error.code).toBe('1001');
    expect((await call('member/shortCode', { member: { ...OLA, email: 'x@example.com' }, action: 'send' })).body.error.code).toBe('1001');
  });

  it('records events, for a member or none, and refuses an unknown member', async () => {
    const s = await sandbox({ demo: true });
    const call = loyalty(s);
    expect((await call('event', { member: OLA, event: { type: 'visit', subType: 'kiosk', dateTime: '2026-11-23T10:00:00Z', tags: ['demo'] } })).body).toEqual({ status: 'success', data: {} });
    expect((await call('event', { event: { type: 'door-count', payload: { n: 3 } } })).body.status).toBe('success');
    expect((await call('event', { member: { phoneNumber: '+4700000000' }, event: { type: 'visit' } })).body.error.code).toBe('4001012');
    expect((await call('event', { event: {} })).body.error.code).toBe('1001');
    expect(s.inspect().loyaltyEvents).toBe(2);
  });
});

describe('Loyalty POS API simulator: transactions and payments', () => {
  it('earns points on a sale and answers a replayed transactionId with the first answer, applied once', async () => {
    const s = await sandbox({ demo: true });
    const call = loyalty(s);
    const first = await call('transaction', { member: OLA, transaction: sale('till-1-0001', 25990) });
    expect(first.body.data).toMatchObject({ pointsEarned: 25, newBalance: { points: 1275, credit: 15000 } });
    expect(first.body.data.confirmationCode).toMatch(/^[0-9a-f-]{36}$/);
    const replay = await call('transaction', { member: OLA, transaction: sale('till-1-0001', 25990) });
    expect(replay.body).toEqual(first.body);
    expect(s.inspect().loyaltyTransactions['till-1-0001']).toEqual({ applied: 1, replays: 1, cancelled: false });
    expect(s.inspect().memberBalances[OLA_KEY]?.points).toBe(1275);
    // The same id from another branch is another transaction.
    await call('transaction', { member: OLA, transaction: sale('till-1-0001', 25990) }, { 'x-branch-id': 'other-branch' });
    expect(s.inspect().loyaltyTransactions['till-1-0001']?.applied).toBe(2);
  });

  it('earns nothing on the part paid with loyalty credit, and accepts sales without a member', async () => {
    const s = await sandbox({ demo: true });
    const call = loyalty(s);
    const paid = await call('transaction', { member: OLA, transaction: sale('t2', 30000, [{ type: 'CREDIT', amount: 10000 }, { type: 'CARD', amount: 20000 }]) });
    expect(paid.body.data.pointsEarned).toBe(20);
    const anon = await call('transaction', { transaction: { ...sale('t3', 5000), payments: undefined, meansOfPayment: [{ type: 'CASH', amount: 5000 }] } });
    expect(Object.keys(anon.body.data)).toEqual(['confirmationCode']);
  });

  it('refuses a transaction without payments, with a bad item, or for an unknown member', async () => {
    const s = await sandbox({ demo: true });
    const call = loyalty(s);
    expect((await call('transaction', { transaction: { ...sale('x1', 100), payments: undefined } })).body.error.code).toBe('1001');
    const noDept = sale('x2', 100);
    delete (noDept.items[0] as Partial<(typeof noDept.items)[0]>).departmentCode;
    expect((await call('transaction', { transaction: noDept })).body.error.code).toBe('1001');
    expect((await call('transaction', { member: { phoneNumber: '+4700000000' }, transaction: sale('x3', 100) })).body.error.code).toBe('4001012');
    expect(s.inspect().loyaltyTransactions).toEqual({});
  });

  it('cancels a transaction by confirmation code, taking back its points once', async () => {
    const s = await sandbox({ demo: true });
    const call = loyalty(s);
    const done = await call('transaction', { member: OLA, transaction: sale('t4', 50000) });
    const code = done.body.data.confirmationCode as string;
    const cancel = await call('transaction', { transaction: { action: 'cancel', confirmationCode: code } });
    expect(cancel.body.data).toMatchObject({ confirmationCode: code, cancelled: true, newBalance: { points: 1250 } });
    expect((await call('transaction', { transaction: { action: 'cancel', confirmationCode: code } })).body).toEqual(cancel.body);
    expect(s.inspect().memberBalances[OLA_KEY]?.points).toBe(1250);
    expect((await call('transaction', { transaction: { action: 'cancel', confirmationCode: 'nope' } })).body.error.code).toBe('1001');
  });

  it('pays from the credit balance and answers 407 when it is too low', async () => {
    const s = await sandbox({ demo: true });
    const call = loyalty(s);
    const paid = await call('payment', { member: OLA, payment: { action: 'pay', amount: 5000 }, transaction: sale('t5', 5000) });
    expect(paid.body.data).toMatchObject({ newBalance: { points: 1250, credit: 10000 } });
    const tooMuch = await call('payment', { member: OLA, payment: { action: 'pay', amount: 10001 } });
    expect(tooMuch.body.error.code).toBe('407');
    expect(tooMuch.body.error.message).toMatch(/insufficient/);
    expect(s.inspect().memberBalances[OLA_KEY]?.credit).toBe(10000);
  });

  it('does not de-duplicate payments: the same pay sent twice debits twice, as the documents allow', async () => {
    const s = await sandbox({ demo: true });
    const call = loyalty(s);
    const body = { member: OLA, payment: { action: 'pay', amount: 3000 }, transaction: sale('t6', 3000) };
    const a = await call('payment', body);
    const b = await call('payment', body);
    expect(a.body.data.confirmationCode).not.toBe(b.body.data.confirmationCode);
    expect(s.inspect().memberBalances[OLA_KEY]?.credit).toBe(9000);
    expect(s.inspect().payments).toHaveLength(2);
  });

  it('cancels a payment by confirmation code, whole or in parts, and refuses a cancel with nothing left', async () => {
    const s = await sandbox({ demo: true });
    const call = loyalty(s);
    const paid = await call('payment', { member: OLA, payment: { action: 'pay', amount: 4000 } });
    const code = paid.body.data.confirmationCode as string;
    expect((await call('payment', { member: OLA, payment: { action: 'cancel', confirmationCode: code, amount: 1000 } })).body.error).toMatchObject({ code: '1001', path: 'body.payment.amount' });
    expect((await call('payment', { member: OLA, payment: { action: 'cancel', confirmationCode: code, amount: -4001 } })).body.error.code).toBe('1001');
    const part = await call('payment', { member: OLA, payment: { action: 'cancel', confirmationCode: code, amount: -1500 } });
    expect(part.body.data.newBalance.credit).toBe(12500);
    expect(s.inspect().payments[0]).toMatchObject({ refunded: 1500, cancelled: false });
    // Left out, the amount is all that is left (the flow page's example has none).
    const rest = await call('payment', { member: OLA, payment: { action: 'cancel', confirmationCode: code } });
    expect(rest.body.data.newBalance.credit).toBe(15000);
    const twice = await call('payment', { member: OLA, payment: { action: 'cancel', confirmationCode: code, amount: -4000 } });
    expect(twice.status).toBe(400);
    expect(twice.body.error).toMatchObject({ code: '1001', message: 'The payment is already cancelled' });
    expect((await call('payment', { member: { phoneNumber: '+4799999902' }, payment: { action: 'cancel', confirmationCode: code } })).body.error.code).toBe('1001');
    expect(s.inspect().payments.map((p) => [p.cancelled, p.refunded])).toEqual([[true, 4000]]);
    expect(s.inspect().memberBalances[OLA_KEY]?.credit).toBe(15000);
  });

  it('can be configured to pay with points instead', async () => {
    const s = await sandbox({ demo: true, paymentAsset: 'points' });
    const paid = await loyalty(s)('payment', { member: OLA, payment: { action: 'pay', amount: 250 } });
    expect(paid.body.data.newBalance).toEqual({ points: 1000, credit: 15000 });
  });
});

describe('Loyalty POS API simulator: the documented success shapes', () => {
  it('puts success fields beside status by default (seed 004), inside data, or answers details with "ok"', async () => {
    const top = await startSandbox({ demo: true });
    const paid = await loyalty(top)('payment', { member: OLA, payment: { action: 'pay', amount: 100 } });
    expect(paid.body).toMatchObject({ status: 'success', confirmationCode: expect.any(String), newBalance: { credit: 14900 } });
    expect(paid.body.data).toBeUndefined();
    const ok = await startSandbox({ demo: true, loyaltyAnswers: 'ok' });
    const details = await loyalty(ok)('member/details', { member: OLA });
    expect(details.body).toMatchObject({ status: 'ok', member: { membershipKey: OLA_KEY } });
    const rotating = await startSandbox({ demo: true, loyaltyAnswers: 'rotate' });
    const shapes: [unknown, boolean][] = [];
    for (let i = 0; i < 3; i++) {
      const body = (await loyalty(rotating)('member/details', { member: OLA })).body as Record<string, unknown>;
      shapes.push([body.status, 'data' in body]);
    }
    expect(shapes).toEqual([['success', false], ['success', true], ['ok', false]]);
  });
});
