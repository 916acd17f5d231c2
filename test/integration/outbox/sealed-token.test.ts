import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { openDb } from '../../../main/store';
import { atRestKeyReport, lostKeyWarning } from '../../../main/store/at-rest-keys';
import { getEnvelope, listEffects } from '../../../main/store/outbox';
import { type Connector, OutboxWorker, seededRandom } from '../../../main/sync/outbox';
import { tempDir } from '../../helpers/temp-dir';
import { enqueue, sale } from '../../unit/sync/outbox/fakes';
import { httpTestConnector } from './http-test-connector';
import { TestBackend } from './test-backend';

/**
 * A gift-card drawdown in the outbox (issue 19 finding 4): its token is sealed in the row and opened only for the
 * connector, on the first try and on a retry after a failure; one sealed with a key the till lost goes to the
 * manager with that reason and is never sent without its token.
 */

const TOKEN = 'GC7700000000099';
const drawdown = { kind: 'wallet_transaction' as const, idempotencyKey: 's1:pay:0', payload: { ref_id: 's1:pay:0', amount: 500, currency: 'NOK', token: TOKEN, type: 'drawdown' } };

let backend: TestBackend;
let url: string;

beforeEach(async () => {
  backend = new TestBackend();
  url = await backend.start();
});

afterEach(async () => {
  await backend.stop();
});

function recording(): { connector: Connector & { close(): void }; sent: unknown[] } {
  const inner = httpTestConnector(url);
  const sent: unknown[] = [];
  return {
    sent,
    connector: {
      ...inner,
      wallet_transaction: (e, signal) => {
        sent.push(e.payload);
        return inner.wallet_transaction(e, signal);
      },
    },
  };
}

const worker = (db: Parameters<typeof enqueue>[0], connector: Connector): OutboxWorker =>
  new OutboxWorker({ db, connector, clock: { now: () => new Date() }, sleep: () => Promise.resolve(), random: seededRandom(7) });

describe('gift-card tokens in the outbox', () => {
  it('are sealed in the row and sent whole, on the first try and again after a failure', async () => {
    const file = dbPath(tempDir());
    const db = openDb(file);
    const { connector, sent } = recording();
    try {
      const id = enqueue(db, sale('s1', 'anonymous', [drawdown]), Date.now());
      const raw = (db.prepare("SELECT payload FROM outbox_effects WHERE kind = 'wallet_transaction'").get() as { payload: string }).payload;
      expect(raw).not.toContain(TOKEN);
      expect(JSON.parse(raw)).toMatchObject({ card: '…0099', token_sealed: expect.stringMatching(/^sealed:v1:/) as unknown });
      backend.fault({ match: (kind) => kind === 'wallet_transaction', fault: { type: 'status', status: 503 } });
      await worker(db, connector).drain({ waitForRetriesMs: 0 });
      expect(getEnvelope(db, id)?.state).toBe('retry');
      await worker(db, connector).drain({ waitForRetriesMs: 60_000 });
      expect(getEnvelope(db, id)?.state).toBe('done');
      expect(backend.count('s1:pay:0')).toBe(1);
      expect(sent).toHaveLength(2);
      for (const p of sent) expect(p).toEqual({ ref_id: 's1:pay:0', amount: 500, currency: 'NOK', token: TOKEN, type: 'drawdown' });
    } finally {
      connector.close();
      db.close();
    }
  });

  it('one sealed with a key the till lost reaches the manager, saying so, and is never sent', async () => {
    const file = dbPath(tempDir());
    let db = openDb(file);
    const id = enqueue(db, sale('s1', 'anonymous', [drawdown]), Date.now());
    db.close();
    fs.rmSync(path.join(path.dirname(file), 'sealed-field-key'));
    db = openDb(file);
    const { connector, sent } = recording();
    try {
      expect(lostKeyWarning(atRestKeyReport(db))).toContain('1 undelivered gift-card effect(s) can no longer be sent');
      await worker(db, connector).drain({ waitForRetriesMs: 0 });
      expect(sent).toEqual([]);
      const effect = listEffects(db, id).find((e) => e.kind === 'wallet_transaction');
      expect(effect).toMatchObject({ state: 'needs_attention', reasonCode: 'rejected' });
      expect(effect?.reason).toContain('the gift card …0099 is sealed with a key this till no longer has');
      // The rest of the sale is delivered: a lost card token holds back nothing else.
      expect(listEffects(db, id).filter((e) => e.kind !== 'wallet_transaction').every((e) => e.state === 'done')).toBe(true);
    } finally {
      connector.close();
      db.close();
    }
  });
});
