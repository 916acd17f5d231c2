import { describe, expect, it } from 'vitest';
import { type SandboxHandle } from '../../../main/sandbox';
import { enqueueEnvelope, outboxStatus, type NewEnvelope } from '../../../main/store/outbox';
import { DinteroClient } from '../../../main/sync/connectors/dintero/dintero-client';
import { DinteroEffects } from '../../../main/sync/connectors/dintero/dintero-effects';
import type { EffectToDeliver } from '../../../main/sync/outbox/connector';
import { type OutboxRig, useOutboxRig } from '../../helpers/outbox-rig';

/**
 * The outbox's gift-card drawdowns against the sandbox's single-use card codes (issue 14): a retry under the same
 * ref_id after our own attempt used the code answers the first transaction (the sandbox's written assumption,
 * docs/sandbox.md); a retry whose code another transaction used is answered 404 and reaches the manager as
 * uncertain, with evidence, never as refused or applied; a least-privilege client naming the card by id gets a
 * 403 that says which scope is missing.
 */

const SPENT = { card_id: 'gc-out-1', token: 'GCOUT0000001', amount: 10_000, currency: 'NOK' };
const OURS = { card_id: 'gc-out-2', token: 'GCOUT0000002', amount: 10_000, currency: 'NOK' };

type Rig = OutboxRig;
const start = useOutboxRig({ seed: 14, sandbox: { data: { giftCards: [SPENT, OURS] } }, concurrency: 1 });

/** An offline gift-card tender's drawdown, as main/core/sale/effects.ts plans it (no card id: nothing answered). */
function drawdown(ref: string, token: string): NewEnvelope {
  return {
    kind: 'sale',
    ref,
    orderingKey: `receipt:${ref}`,
    effects: [{ kind: 'wallet_transaction', idempotencyKey: `${ref}:pay:0`, payload: { ref_id: `${ref}:pay:0`, amount: 700, currency: 'NOK', token, type: 'drawdown' } }],
  };
}

function enqueue(r: Rig, envelope: NewEnvelope): void {
  r.db.transaction(() => enqueueEnvelope(r.db, envelope, r.time.clock.now()))();
}

function admin(sandbox: SandboxHandle): DinteroClient {
  return new DinteroClient({ baseUrl: sandbox.dinteroUrl, accountId: sandbox.accountId, clientId: sandbox.adminClientId, clientSecret: sandbox.adminClientSecret, posId: 'bo', branchId: 'bo' });
}

describe('outbox drawdowns with single-use card codes', { timeout: 60_000 }, () => {
  it('a retry under the same ref_id after our own attempt used the code answers that transaction: drawn once', async () => {
    const r = await start();
    r.sandbox.setFaults({ routes: { 'dintero.wallets.transactions.create': { resetAfter: 1, times: 1 } } });
    enqueue(r, drawdown('oslo-1-pos-1-000001', OURS.token));
    await r.worker.drain({ waitForRetriesMs: 3600_000 });
    expect(outboxStatus(r.db, r.time.clock.now()).counts.done).toBe(1);
    expect(r.sandbox.inspect().walletRefs['oslo-1-pos-1-000001:pay:0']).toMatchObject({ count: 1, amount: 700, cardId: OURS.card_id });
    expect(r.sandbox.inspect().walletBalances[OURS.card_id]?.available).toBe(9_300);
  });

  it('a retry whose code was used by another transaction is uncertain, with evidence, for the manager: never refused, never applied', async () => {
    const r = await start();
    // The first try never reaches the server's logic; meanwhile the code serves another sale elsewhere.
    r.sandbox.setFaults({ routes: { 'dintero.wallets.transactions.create': { status503: 1, times: 1 } } });
    enqueue(r, drawdown('oslo-1-pos-1-000002', SPENT.token));
    await r.worker.drain();
    const elsewhere = await admin(r.sandbox).call({ method: 'POST', path: 'wallets/transactions', body: { ref_id: 'elsewhere-1', amount: 100, currency: 'NOK', token: SPENT.token } });
    expect(elsewhere.ok).toBe(true);
    await r.worker.drain({ waitForRetriesMs: 3600_000 });
    const status = outboxStatus(r.db, r.time.clock.now());
    expect(status.counts.needs_attention).toBe(1);
    expect(status.needsAttention[0]).toMatchObject({ reasonCode: 'uncertain' });
    expect(status.needsAttention[0]?.reason).toContain('outcome unknown');
    const row = r.db.prepare("SELECT state, evidence, last_error FROM outbox_effects WHERE kind = 'wallet_transaction'").get() as { state: string; evidence: string; last_error: string };
    expect(row.state).toBe('needs_attention');
    expect(JSON.parse(row.evidence)).toMatchObject({ asset: 'gift card …0001', amount: 700, direction: -1, verdict: 'undecided', recommendation: expect.stringContaining('oslo-1-pos-1-000002:pay:0') as unknown });
    // Nothing of ours landed, and the code is not in clear in the evidence or the reason.
    expect(r.sandbox.inspect().walletRefs['oslo-1-pos-1-000002:pay:0']).toBeUndefined();
    expect(JSON.stringify(row)).not.toContain(SPENT.token);
  });

  it('a least-privilege client naming the card by id is refused with a reason that names the missing scope', async () => {
    const r = await start();
    const pos = new DinteroClient({ baseUrl: r.sandbox.dinteroUrl, accountId: r.sandbox.accountId, clientId: r.sandbox.clientId, clientSecret: r.sandbox.clientSecret, posId: 'pos-1', branchId: 'oslo-1' });
    const fund: EffectToDeliver = { envelopeId: 1, envelopeRef: 'x', seq: 0, kind: 'wallet_transaction', idempotencyKey: 'x:pay:0:refund', payload: { amount: 700, currency: 'NOK', card_id: OURS.card_id, token: OURS.token, type: 'fund' }, amountAtRisk: 0, attempt: 1 };
    const result = await new DinteroEffects(pos).walletTransaction(fund);
    expect(result).toMatchObject({ type: 'permanent', reason: expect.stringContaining('write:wallets') as unknown });
    expect(result).not.toHaveProperty('evidence');
    expect(r.sandbox.inspect().walletBalances[OURS.card_id]?.available).toBe(10_000);
  });
});
