import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox, type FaultEvent, type SandboxHandle } from '../../../main/sandbox';
import { tempDir } from '../../helpers/temp-dir';
import { dintero, loyalty, loyaltyHeaders, refOf, sandbox } from './clients';

const OLA = { phoneNumber: '+4799999901' };

const sale = (id: string) => ({
  member: OLA,
  transaction: {
    transactionId: id,
    dateTime: '2026-11-23T10:00:00Z',
    totalAmount: 10000,
    items: [{ lineId: '1', code: 'x', name: 'X', departmentCode: 'd', departmentName: 'D', quantity: 1, grossAmount: 10000, netAmount: 10000 }],
    payments: [{ type: 'CASH', amount: 10000 }],
  },
});

function postSale(s: SandboxHandle, id: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${s.loyaltyUrl}transaction`, { method: 'POST', headers: loyaltyHeaders(s), body: JSON.stringify(sale(id)), ...(signal ? { signal } : {}) });
}

/** Resolves when the sandbox reports a fault of `kind`. */
function faultSeen(s: SandboxHandle, kind: FaultEvent['kind']): Promise<void> {
  return new Promise((resolve) => {
    const listener = (e: FaultEvent): void => {
      if (e.kind === kind) {
        s.events.off('fault', listener);
        resolve();
      }
    };
    s.events.on('fault', listener);
  });
}

async function networkError(p: Promise<Response>): Promise<string> {
  try {
    await p;
    return 'answered';
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return cause?.code ?? (err as Error).name;
  }
}

describe('Sandbox faults', () => {
  it.each([500, 502, 503] as const)('answers %i in the simulator envelope without applying the request', async (status) => {
    const s = await sandbox({ demo: true, faults: { routes: { 'loyalty.transaction': { [`status${status}`]: 1, times: 1 } } } });
    const res = await postSale(s, 'f1');
    expect(res.status).toBe(status);
    expect(((await res.json()) as { status: string }).status).toBe('error');
    expect(s.inspect().loyaltyTransactions).toEqual({});
    // `times: 1` used up: the retry goes through and applies once.
    expect((await postSale(s, 'f1')).status).toBe(200);
    expect(s.inspect().loyaltyTransactions['f1']?.applied).toBe(1);
    expect(s.inspect().faults['loyalty.transaction']).toEqual({ [`status-${status}`]: 1 });
  });

  it('answers 429 with Retry-After and a Dintero error body', async () => {
    const s = await sandbox({ demo: true, faults: { routes: { 'dintero.*': { status429: 1, retryAfterSeconds: 7 } } } });
    const res = await fetch(`${s.dinteroUrl}/v1/accounts/${s.accountId}/auth/token`, { method: 'POST' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_REQUESTS');
  });

  it('resets the connection before applying: the client sees ECONNRESET and nothing happened', async () => {
    const s = await sandbox({ demo: true, faults: { routes: { 'loyalty.transaction': { resetBefore: 1, times: 1 } } } });
    expect(await networkError(postSale(s, 'f2'))).toBe('ECONNRESET');
    expect(s.inspect().loyaltyTransactions).toEqual({});
  });

  it('resets the connection after applying: unanswered, yet applied; the retry gets the first answer', async () => {
    const s = await sandbox({ demo: true, faults: { routes: { 'loyalty.transaction': { resetAfter: 1, times: 1 } } } });
    expect(await networkError(postSale(s, 'f3'))).toBe('ECONNRESET');
    expect(s.inspect().loyaltyTransactions['f3']).toEqual({ applied: 1, replays: 0, cancelled: false });
    const retry = await postSale(s, 'f3');
    expect(retry.status).toBe(200);
    expect(s.inspect().loyaltyTransactions['f3']).toEqual({ applied: 1, replays: 1, cancelled: false });
  });

  it('resets after applying a claim: the retried claim gets 409 (our reading of "conflict"), and the claim is found by its ref', async () => {
    const s = await sandbox({ demo: true, faults: { routes: { 'dintero.claims.create': { resetAfter: 1, times: 1 } } } });
    const call = await dintero(s);
    const body = {
      ref: 'till-1-0009',
      purchase_at: '2026-11-23T10:00:00Z',
      customer_id: 'cust-0003',
      discounts: [{ id: 'demo-coffee-20kr', refs: [{ id: await refOf(call, 'cust-0003', 'demo-coffee-20kr'), amount: 2000, usage: 1 }] }],
    };
    await expect(call('POST', 'discounts/available_for_receipt/claims', body)).rejects.toThrow();
    expect((await call('POST', 'discounts/available_for_receipt/claims', body)).status).toBe(409);
    expect((await call('GET', 'discounts/available_for_receipt/claims?ref=till-1-0009')).body).toHaveLength(1);
    expect(s.inspect().claimsApplied).toEqual({ 'till-1-0009': 1 });
  });

  it('a repeated pay after a reset-after debits twice: the hazard the till must reconcile', async () => {
    const s = await sandbox({ demo: true, faults: { routes: { 'loyalty.payment': { resetAfter: 1, times: 1 } } } });
    const call = loyalty(s);
    const body = { member: OLA, payment: { action: 'pay', amount: 1000 } };
    await expect(call('payment', body)).rejects.toThrow();
    expect((await call('payment', body)).status).toBe(200);
    expect(s.inspect().payments).toHaveLength(2);
  });

  it('hangs without applying until the client gives up', async () => {
    const s = await sandbox({ demo: true, faults: { routes: { 'loyalty.transaction': { hang: 1, times: 1 } } } });
    const abort = new AbortController();
    const pending = networkError(postSale(s, 'f4', abort.signal));
    await faultSeen(s, 'hang');
    abort.abort();
    expect(await pending).toBe('AbortError');
    expect(s.inspect().loyaltyTransactions).toEqual({});
  });

  it('hangs after applying: the client gives up, the transaction is there', async () => {
    const s = await sandbox({ demo: true, faults: { routes: { 'loyalty.transaction': { hangAfter: 1, times: 1 } } } });
    const abort = new AbortController();
    const pending = networkError(postSale(s, 'f5', abort.signal));
    await faultSeen(s, 'hang-after');
    abort.abort();
    expect(await pending).toBe('AbortError');
    expect(s.inspect().loyaltyTransactions['f5']?.applied).toBe(1);
  });

  it('adds latency before handling: a client that gives up first sees a timeout, and nothing was applied yet', async () => {
    const s = await sandbox({ demo: true, faults: { routes: { 'loyalty.transaction': { latencyMs: 600_000, times: 1 } } } });
    const abort = new AbortController();
    const pending = networkError(postSale(s, 'f6', abort.signal));
    await faultSeen(s, 'latency');
    abort.abort();
    expect(await pending).toBe('AbortError');
    expect(s.inspect().loyaltyTransactions).toEqual({});
    expect(s.inspect().faults['loyalty.transaction']).toEqual({ latency: 1 });
  });

  it('goes offline (connection refused) and comes back on the same ports with its state', async () => {
    const s = await sandbox({ demo: true });
    expect((await postSale(s, 'f7')).status).toBe(200);
    await s.setOffline(true);
    expect(await networkError(postSale(s, 'f8'))).toBe('ECONNREFUSED');
    expect(await networkError(fetch(`${s.dinteroUrl}/v1/accounts/${s.accountId}/discounts/rules`))).toBe('ECONNREFUSED');
    await s.setOffline(false);
    expect((await postSale(s, 'f8')).status).toBe(200);
    expect(Object.keys(s.inspect().loyaltyTransactions).sort()).toEqual(['f7', 'f8']);
  });

  it('replays the same fault sequence for the same seed, and setFaults replaces the plan', async () => {
    const statuses = async (seed: number): Promise<number[]> => {
      const s = await sandbox({ demo: true, seed, faults: { routes: { 'loyalty.member.details': { status500: 0.3, status503: 0.3 } } } });
      const out: number[] = [];
      for (let i = 0; i < 24; i++) out.push((await loyalty(s)('member/details', { member: OLA })).status);
      s.setFaults({});
      out.push((await loyalty(s)('member/details', { member: OLA })).status);
      return out;
    };
    const a = await statuses(42);
    expect(await statuses(42)).toEqual(a);
    expect(new Set(a.slice(0, 24))).toEqual(new Set([200, 500, 503]));
    expect(a.at(-1)).toBe(200);
  });

  it('refuses an invalid fault configuration', async () => {
    await expect(startSandbox({ faults: { routes: { 'loyalty.transaction': { status500: 0.7, status503: 0.7 } } } })).rejects.toThrow(/more than 1/);
  });
});

describe('Sandbox state file', () => {
  it('keeps credentials, balances and idempotency records across a restart', async () => {
    const dataFile = path.join(tempDir(), 'sandbox.sqlite');
    const first = await startSandbox({ demo: true, dataFile });
    expect((await postSale(first, 'p1')).status).toBe(200);
    const { accountId, clientSecret, apiKey } = first;
    await first.close();
    const second = await startSandbox({ demo: true, dataFile });
    try {
      expect([second.accountId, second.clientSecret, second.apiKey]).toEqual([accountId, clientSecret, apiKey]);
      // The sandbox answers in seed 004's shape by default: the success fields beside `status`.
      const replay = (await (await postSale(second, 'p1')).json()) as { newBalance: { points: number } };
      expect(replay.newBalance.points).toBe(1260);
      // The demo data is loaded once, not again on every start.
      expect(second.inspect().loyaltyTransactions['p1']).toEqual({ applied: 1, replays: 1, cancelled: false });
      expect(fs.existsSync(dataFile)).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('emits fault events the caller can wait on', async () => {
    const s = await sandbox({ demo: true, faults: { routes: { '*': { status502: 1, times: 1 } } } });
    const seen = once(s.events, 'fault');
    await postSale(s, 'e1');
    expect(await seen).toEqual([{ route: 'loyalty.transaction', kind: 'status-502' }]);
  });
});
