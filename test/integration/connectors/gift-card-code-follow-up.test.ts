import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { startSandbox, type SandboxHandle } from '../../../main/sandbox';
import { openDb, type WritableDb } from '../../../main/store';
import { getBalance, putBalance } from '../../../main/store/balance-cache';
import { getCodeState } from '../../../main/store/gift-card-codes';
import { lookupHasher } from '../../../main/store/lookup-hash';
import { enqueueEnvelope, outboxStatus, type NewEnvelope } from '../../../main/store/outbox';
import { FOLLOW_UP_TIMEOUT_MS } from '../../../main/sync/connectors/dintero/gift-card-code-follow-up';
import type { TillConnector } from '../../../main/sync/connectors/till-connector';
import { OutboxWorker, seededRandom } from '../../../main/sync/outbox';
import { sandboxBackends } from '../../helpers/sandbox-env';
import { tempDir } from '../../helpers/temp-dir';
import { testConnector } from '../../helpers/test-connector';
import { recordingLogger } from '../../unit/sync/connectors/test-server';
import { fakeTime } from '../../unit/sync/outbox/fakes';

/**
 * What a delivered wallet transaction does to the till's knowledge of the gift-card code it named (docs/connectors.md,
 * "Gift-card codes"): an offline tender's drawdown delivered by the outbox lowers the cached balance at once and marks
 * the code used; the lookup after it (bounded) marks a single-use code spent and refreshes a reusable one; a lookup
 * that gets no answer leaves it used (unconfirmed). A fund onto a code raises the cache only with the balance the
 * back end answers afterwards, never while it is undelivered. Real sandbox over loopback, real SQLite file.
 */

const SINGLE = { card_id: 'gc-fu-1', token: 'GCFU00000001', amount: 10_000, currency: 'NOK' };
const REUSABLE = { card_id: 'gc-fu-2', token: 'GCFU00000002', amount: 10_000, currency: 'NOK', expires_after_transaction: false };
const SILENT = { card_id: 'gc-fu-3', token: 'GCFU00000003', amount: 10_000, currency: 'NOK' };

type Rig = { sandbox: SandboxHandle; db: WritableDb; worker: OutboxWorker; connector: TillConnector; time: ReturnType<typeof fakeTime> };
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.connector.giftCardCodes?.settled();
  rig?.db.close();
  await rig?.sandbox.close();
  rig = undefined;
});

async function start(clientTimeoutMs = 400): Promise<Rig> {
  const time = fakeTime();
  const sandbox = await startSandbox({ seed: 29, data: { giftCards: [SINGLE, REUSABLE, SILENT] }, now: () => new Date(time.now()) });
  const db = openDb(dbPath(tempDir()));
  // The broad wallet scope a fund onto a card needs (docs/connectors.md, "Dintero scopes").
  const backends = sandboxBackends(sandbox);
  const dintero = { ...backends.dintero, clientId: sandbox.adminClientId, clientSecret: sandbox.adminClientSecret };
  const connector = testConnector({ db, ...backends, dintero, logger: recordingLogger(), now: () => time.now(), timeoutMs: clientTimeoutMs });
  const worker = new OutboxWorker({ db, connector, clock: time.clock, sleep: time.sleep, random: seededRandom(29), concurrency: 1 });
  rig = { sandbox, db, worker, connector, time };
  return rig;
}

const keyOf = (db: WritableDb, token: string): string => lookupHasher(db).hash('gift_card', token);

/** A gift-card effect as main/core/sale/effects.ts plans it: an offline tender's drawdown, or a void's fund. */
function walletEnvelope(ref: string, card: { token: string; card_id: string }, type: 'drawdown' | 'fund', amount: number): NewEnvelope {
  const key = `${ref}:pay:0`;
  const name = type === 'drawdown' ? { token: card.token } : { token: card.token, card_id: card.card_id };
  return { kind: type === 'drawdown' ? 'sale' : 'void', ref, orderingKey: `receipt:${ref}`, effects: [{ kind: 'wallet_transaction', idempotencyKey: key, payload: { ref_id: key, amount, currency: 'NOK', ...name, type } }] };
}

function enqueue(r: Rig, envelope: NewEnvelope): void {
  r.db.transaction(() => enqueueEnvelope(r.db, envelope, r.time.clock.now()))();
}

describe('a delivered gift-card transaction and the code it named', { timeout: 60_000 }, () => {
  it('an offline drawdown delivered later lowers the cache and marks the code used; the lookup after it finds a single-use code spent', async () => {
    const r = await start();
    const key = keyOf(r.db, SINGLE.token);
    putBalance(r.db, 'gift_card', key, 10_000, r.time.now() - 60_000);
    // The lookup after the drawdown gets no answer at first, so the state in between can be seen.
    r.sandbox.setFaults({ routes: { 'dintero.wallets.info': { hang: 1, times: 1 } } });
    enqueue(r, walletEnvelope('oslo-1-till-7-000001', SINGLE, 'drawdown', 700));
    await r.worker.drain();
    expect(outboxStatus(r.db, r.time.clock.now()).counts.done).toBe(1);
    expect(getBalance(r.db, 'gift_card', key)).toEqual({ kind: 'gift_card', key, balanceMinor: 9_300, fetchedAt: r.time.now() });
    expect(getCodeState(r.db, key)?.state).toBe('used');
    await r.connector.giftCardCodes?.settled();
    // No answer within the bound: still used, unconfirmed (the offline limits refuse it).
    expect(getCodeState(r.db, key)?.state).toBe('used');

    // The next transaction's lookup is answered: 404 for the spent code (reference §5, "no details are returned for
    // expired tokens"): spent, and its balance is gone.
    r.sandbox.setFaults({ routes: {} });
    r.connector.giftCardCodes?.afterTransaction(
      { envelopeId: 0, envelopeRef: 'x', seq: 0, kind: 'wallet_transaction', idempotencyKey: 'x', payload: { amount: 1, currency: 'NOK', token: SINGLE.token, type: 'fund', card_id: SINGLE.card_id }, amountAtRisk: 0, attempt: 1 },
      { type: 'applied' },
    );
    await r.connector.giftCardCodes?.settled();
    expect(getCodeState(r.db, key)?.state).toBe('spent');
    expect(getBalance(r.db, 'gift_card', key)).toBeUndefined();
  });

  it('a reusable code answers the lookup after its drawdown: reusable, with the balance the back end holds', async () => {
    const r = await start();
    const key = keyOf(r.db, REUSABLE.token);
    putBalance(r.db, 'gift_card', key, 10_000, r.time.now() - 60_000);
    enqueue(r, walletEnvelope('oslo-1-till-7-000002', REUSABLE, 'drawdown', 1_200));
    await r.worker.drain();
    await r.connector.giftCardCodes?.settled();
    expect(getCodeState(r.db, key)?.state).toBe('reusable');
    expect(getBalance(r.db, 'gift_card', key)?.balanceMinor).toBe(8_800);
    expect(r.sandbox.inspect().walletBalances[REUSABLE.card_id]?.available).toBe(8_800);
  });

  it('the lookup after a drawdown is bounded: a server that never answers leaves the code used within the bound', async () => {
    // The HTTP client would wait far longer: the follow-up's own bound ends the lookup.
    const r = await start(30_000);
    const key = keyOf(r.db, SILENT.token);
    r.sandbox.setFaults({ routes: { 'dintero.wallets.info': { hang: 1 } } });
    enqueue(r, walletEnvelope('oslo-1-till-7-000003', SILENT, 'drawdown', 500));
    const started = Date.now();
    await r.worker.drain();
    await r.connector.giftCardCodes?.settled();
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(FOLLOW_UP_TIMEOUT_MS - 100);
    expect(took).toBeLessThan(FOLLOW_UP_TIMEOUT_MS + 2_000);
    expect(getCodeState(r.db, key)?.state).toBe('used');
    // Never cached before: nothing to lower, and nothing made up.
    expect(getBalance(r.db, 'gift_card', key)).toBeUndefined();
  });

  it('a fund onto a code raises the cache only with the balance the back end answers once the fund landed', async () => {
    const r = await start();
    const key = keyOf(r.db, REUSABLE.token);
    enqueue(r, walletEnvelope('oslo-1-till-7-000004', REUSABLE, 'drawdown', 3_000));
    await r.worker.drain();
    await r.connector.giftCardCodes?.settled();
    expect(getBalance(r.db, 'gift_card', key)?.balanceMinor).toBe(7_000);

    // The refund's fund cannot be delivered yet: the cached balance stays where it was.
    r.sandbox.setFaults({ routes: { 'dintero.wallets.transactions.create': { status503: 1 } } });
    enqueue(r, walletEnvelope('oslo-1-till-7-000005', REUSABLE, 'fund', 3_000));
    await r.worker.drain();
    expect(outboxStatus(r.db, r.time.clock.now()).counts.done).toBe(1);
    await r.connector.giftCardCodes?.settled();
    expect(getBalance(r.db, 'gift_card', key)?.balanceMinor).toBe(7_000);

    r.sandbox.setFaults({ routes: {} });
    await r.worker.drain({ waitForRetriesMs: 3600_000 });
    expect(outboxStatus(r.db, r.time.clock.now()).counts.done).toBe(2);
    await r.connector.giftCardCodes?.settled();
    expect(r.sandbox.inspect().walletBalances[REUSABLE.card_id]?.available).toBe(10_000);
    expect(getBalance(r.db, 'gift_card', key)?.balanceMinor).toBe(10_000);
    expect(getCodeState(r.db, key)?.state).toBe('reusable');
  });
});
