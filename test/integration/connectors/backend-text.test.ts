import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { formatStatus } from '../../../main/cli/commands/sync';
import { isSafeText } from '../../../main/core/safe-text';
import { openDb, type WritableDb } from '../../../main/store';
import { enqueueEnvelope, outboxStatus } from '../../../main/store/outbox';
import { OutboxWorker, seededRandom } from '../../../main/sync/outbox';
import { tempDir } from '../../helpers/temp-dir';
import { testConnector } from '../../helpers/test-connector';
import { recordingLogger, startTestServer, type TestServer } from '../../unit/sync/connectors/test-server';
import { fakeTime } from '../../unit/sync/outbox/fakes';
import { saleEnvelope } from './fixtures';

/**
 * Issue 19, finding 6: a back end's error text kept terminal control characters, and `sync status` printed a
 * clear-screen, a window title and a forged line. A hostile back end on loopback answers with all of them;
 * neither the database, the log nor the printed status may carry them unescaped.
 */
const HOSTILE = '\u001b[2J\u001b]0;pwned\u0007\nFORGED: all envelopes delivered\r\u009b31m\u202egnp.exe\u0000';

let server: TestServer | undefined;
let db: WritableDb | undefined;
afterEach(async () => {
  db?.close();
  db = undefined;
  await server?.close();
  server = undefined;
});

/** Control characters other than the line breaks the status printer itself puts between its lines. */
function controls(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return [...text.matchAll(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g)].map((m) => `U+${m[0].charCodeAt(0).toString(16)}`);
}

describe('back-end text', () => {
  it('never reaches the database, the log or the printed sync status with its control characters', async () => {
    server = await startTestServer((req) =>
      req.url.endsWith('/auth/token') ? { status: 200, body: { access_token: 't1', expires_in: 3600 } } : { status: 400, body: { error: { code: `BAD\u001b[5m`, message: HOSTILE } } },
    );
    const file = dbPath(tempDir());
    db = openDb(file);
    const time = fakeTime();
    const log = recordingLogger();
    const connector = testConnector({
      db,
      dintero: { baseUrl: server.url, accountId: 'T1', clientId: 'c', clientSecret: 's' },
      logger: log,
      now: () => time.now(),
      timeoutMs: 2_000,
    });
    const sale = saleEnvelope('oslo-1-till-7-000001', { giftCard: false });
    // Only the Dintero claim: the loyalty effects would wait for a back end this till does not have.
    const claimOnly = { ...sale, effects: sale.effects.filter((e) => e.kind === 'discount_claim') };
    const target = db;
    target.transaction(() => enqueueEnvelope(target, claimOnly, time.clock.now()))();
    const worker = new OutboxWorker({ db, connector, clock: time.clock, sleep: time.sleep, random: seededRandom(1), concurrency: 1 });
    await worker.drain({ waitForRetriesMs: 0 });

    const status = outboxStatus(db, time.clock.now());
    expect(status.needsAttention).toHaveLength(1);
    const reason = status.needsAttention[0]?.reason ?? '';
    // The text is still there to read, escaped.
    expect(reason).toContain('FORGED: all envelopes delivered');
    expect(reason).toContain('\\x1b[2J');
    expect(isSafeText(reason)).toBe(true);

    const printed = formatStatus(status, 'NOK');
    expect(controls(printed)).toEqual([]);
    expect(printed.split('\n').some((l) => l.startsWith('FORGED'))).toBe(false);

    for (const line of log.lines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      for (const v of Object.values(parsed)) if (typeof v === 'string') expect(isSafeText(v), line).toBe(true);
    }

    db.close();
    db = undefined;
    const bytes = Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
    expect(bytes.includes(Buffer.from('\u001b[2J'))).toBe(false);
    expect(bytes.includes(Buffer.from(']0;pwned\u0007'))).toBe(false);
    expect(bytes.includes(Buffer.from('\u202e'))).toBe(false);
  });

  it('already stored unescaped (an older row) is escaped when sync status prints it', () => {
    const printed = formatStatus(
      {
        counts: { pending: 0, in_flight: 0, retry: 0, needs_attention: 1, done: 0 },
        oldestPendingAgeMs: 1_000,
        checking: 0,
        exposure: 0,
        openExposure: 0,
        needsAttention: [
          {
            id: 1,
            kind: 'sale',
            ref: 'r\u001b[1m1',
            reasonCode: 'rejected',
            reason: HOSTILE,
            amountAtRisk: 0,
            since: 0,
            effects: [
              { id: '1.1', seq: 1, kind: 'discount_claim', key: 'k1', state: 'needs_attention', reasonCode: 'rejected', reason: HOSTILE, amountAtRisk: 0, mandated: false, evidence: null, waitsFor: null },
            ],
          },
        ],
      },
      'NOK',
    );
    expect(controls(printed)).toEqual([]);
    expect(printed).toContain('\\x1b]0;pwned\\x07');
  });
});
