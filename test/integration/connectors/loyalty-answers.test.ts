import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../main/sandbox';
import { openDb, type WritableDb } from '../../../main/store';
import { getLoyaltyTransaction, getPaymentOp } from '../../../main/store/loyalty-confirmations';
import { enqueueEnvelope, outboxStatus, type NewEnvelope } from '../../../main/store/outbox';
import type { LoyaltyWire } from '../../../main/sync/connectors/loyalty/transaction-body';
import { OutboxWorker, seededRandom } from '../../../main/sync/outbox';
import { tempDir } from '../../helpers/temp-dir';
import { testConnector } from '../../helpers/test-connector';
import { startTestServer, type Reply, type Seen, type TestServer } from '../../unit/sync/connectors/test-server';
import { fakeTime, type FakeTime } from '../../unit/sync/outbox/fakes';
import { MEMBER, PAY, refundEnvelope, saleEnvelope, SANDBOX_DATA, START_CREDIT, voidEnvelope } from './fixtures';

type Rig = { db: WritableDb; time: FakeTime; worker: OutboxWorker; close: () => Promise<void> };
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

function till(baseUrl: string, apiKey: string, close: () => Promise<void>, wire?: LoyaltyWire): Rig {
  const time = fakeTime();
  const db = openDb(dbPath(tempDir()));
  const connector = testConnector({
    db,
    loyalty: { baseUrl, apiKey, ...(wire ? { wire } : {}) },
    now: () => time.now(),
    timeoutMs: 400,
  });
  const worker = new OutboxWorker({ db, connector, clock: time.clock, sleep: time.sleep, random: seededRandom(7), concurrency: 1 });
  rig = {
    db,
    time,
    worker,
    close: async () => {
      db.close();
      await close();
    },
  };
  return rig;
}

async function againstSandbox(options: SandboxOptions): Promise<{ r: Rig; sandbox: SandboxHandle }> {
  const sandbox = await startSandbox({ seed: 4, strictIdentification: true, data: SANDBOX_DATA, paymentAsset: 'credit', ...options });
  return { r: till(sandbox.loyaltyUrl, sandbox.apiKey, () => sandbox.close()), sandbox };
}

/** Only the Loyalty effects: these tills have no Dintero. */
function loyaltyOnly(envelope: NewEnvelope): NewEnvelope {
  return { ...envelope, effects: envelope.effects.filter((e) => e.kind === 'loyalty_payment' || e.kind === 'loyalty_transaction') };
}

async function deliver(r: Rig, envelope: NewEnvelope): Promise<void> {
  r.db.transaction(() => enqueueEnvelope(r.db, loyaltyOnly(envelope), r.time.clock.now()))();
  await r.worker.drain({ waitForRetriesMs: 3600_000 });
}

const SALE = 'oslo-1-till-7-000001';

describe('Loyalty connector: every documented success shape', () => {
  for (const loyaltyAnswers of ['top-level', 'data', 'rotate'] as const) {
    it(`keeps the confirmation code of a payment answered ${loyaltyAnswers}, then refunds part and cancels the rest`, async () => {
      const { r, sandbox } = await againstSandbox({ loyaltyAnswers });
      await deliver(r, saleEnvelope(SALE, { giftCard: false }));
      const pay = getPaymentOp(r.db, `${SALE}:pay:1`);
      const paid = sandbox.inspect().payments[0];
      expect(pay?.state).toBe('done');
      expect(pay?.confirmationCode).toBe(paid?.confirmationCode);
      expect(getLoyaltyTransaction(r.db, SALE)?.confirmationCode).toEqual(expect.any(String));
      // The payment carried the whole sale (the sandbox checks it as a Transaction).
      expect(paid?.transactionId).toBe(SALE);

      await deliver(r, refundEnvelope('oslo-1-till-7-000002', SALE, 100));
      expect(sandbox.inspect().payments[0]).toMatchObject({ refunded: 100, cancelled: false });
      await deliver(r, voidEnvelope('oslo-1-till-7-000003', SALE));
      const seen = sandbox.inspect();
      expect(seen.payments).toEqual([expect.objectContaining({ amount: PAY.credit, refunded: PAY.credit, cancelled: true })]);
      expect(seen.loyaltyTransactions[SALE]).toMatchObject({ applied: 1, cancelled: true });
      expect(seen.memberBalances[MEMBER.membershipKey]?.credit).toBe(START_CREDIT);
      expect(outboxStatus(r.db, r.time.clock.now()).counts).toMatchObject({ done: 3, needs_attention: 0, retry: 0, pending: 0 });
    });
  }
});

describe('Loyalty connector: request shapes and undocumented answers (scripted loopback server)', () => {
  let server: TestServer | undefined;
  afterEach(() => {
    server = undefined;
  });

  async function scripted(handler: (req: Seen) => Reply, wire?: Parameters<typeof till>[3]): Promise<{ r: Rig; seen: Seen[] }> {
    server = await startTestServer(handler);
    const s = server;
    return { r: till(`${s.url}v1/`, 'key-1', () => s.close(), wire), seen: s.seen };
  }

  const balance = { status: 'success', member: { points: 0, credit: START_CREDIT } };

  it('never resends a payment answered with an undocumented code: it is uncertain until reconciled', async () => {
    const { r, seen } = await scripted((req) => (req.url.endsWith('/payment') ? { status: 409, body: { status: 'error', error: { code: '2003', message: '?' } } } : { status: 200, body: balance }));
    await deliver(r, saleEnvelope(SALE, { giftCard: false }));
    expect(getPaymentOp(r.db, `${SALE}:pay:1`)?.state).not.toBe('failed');
    expect(seen.filter((s) => s.url.endsWith('/payment'))).toHaveLength(1);
    const status = outboxStatus(r.db, r.time.clock.now());
    expect(status.counts.done).toBe(0);
  });

  it('sends cancels with the negative amount and partial refunds as a cancel, or as the settings say', async () => {
    const bodies: unknown[] = [];
    const answer = (req: Seen): Reply => {
      if (!req.url.endsWith('/payment')) return { status: 200, body: { status: 'success', confirmationCode: 'TX-1', member: { points: 0, credit: START_CREDIT } } };
      bodies.push(req.body);
      return { status: 200, body: { status: 'success', confirmationCode: 'PAY-1' } };
    };
    const { r } = await scripted(answer);
    await deliver(r, saleEnvelope(SALE, { giftCard: false }));
    await deliver(r, refundEnvelope('oslo-1-till-7-000002', SALE, 100));
    await deliver(r, voidEnvelope('oslo-1-till-7-000003', SALE));
    expect(bodies.map((b) => (b as { payment: unknown }).payment)).toEqual([
      { action: 'pay', amount: PAY.credit },
      { action: 'cancel', confirmationCode: 'PAY-1', amount: -100 },
      { action: 'cancel', confirmationCode: 'PAY-1', amount: -(PAY.credit - 100) },
    ]);
    const pay = bodies[0] as { transaction: Record<string, unknown> };
    expect(pay.transaction).toMatchObject({ transactionId: SALE, totalGeneralDiscount: 0, meansOfPayment: expect.any(Array), items: [expect.objectContaining({ grossAmount: expect.any(Number), netAmount: expect.any(Number) })] });
  });

  it('follows the flow page instead when configured: no amount on a whole cancel, a negative pay for a part', async () => {
    const bodies: unknown[] = [];
    const answer = (req: Seen): Reply => {
      if (!req.url.endsWith('/payment')) return { status: 200, body: { status: 'success', member: { points: 0, credit: START_CREDIT } } };
      bodies.push((req.body as { payment: unknown }).payment);
      return { status: 200, body: { status: 'success', data: { confirmationCode: 'PAY-2' } } };
    };
    const { r } = await scripted(answer, { paymentsField: 'payments', itemAmounts: 'subtotal/total', cancelAmount: 'omit', partialRefund: 'negative_pay' });
    await deliver(r, saleEnvelope(SALE, { giftCard: false }));
    await deliver(r, refundEnvelope('oslo-1-till-7-000002', SALE, 100));
    await deliver(r, saleEnvelope('oslo-1-till-7-000004', { giftCard: false }));
    await deliver(r, voidEnvelope('oslo-1-till-7-000005', 'oslo-1-till-7-000004'));
    expect(bodies).toEqual([
      { action: 'pay', amount: PAY.credit },
      { action: 'pay', amount: -100 },
      { action: 'pay', amount: PAY.credit },
      { action: 'cancel', confirmationCode: 'PAY-2' },
    ]);
  });
});
