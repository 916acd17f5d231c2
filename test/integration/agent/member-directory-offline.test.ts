import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { silentLogger } from '../../../main/log';
import { MemberDirectory } from '../../../main/agent/member-directory';
import { openDb, type WritableDb } from '../../../main/store';
import { LoyaltyClient } from '../../../main/sync/connectors/loyalty/loyalty-client';
import { tempDir } from '../../helpers/temp-dir';
import { recordingLogger } from '../../unit/sync/connectors/test-server';

// A network that swallows requests: connections are accepted and never answered (a cable pulled upstream).
let blackHole: net.Server;
let url: string;
const sockets: net.Socket[] = [];
let db: WritableDb;
let pending: Promise<unknown> = Promise.resolve();

beforeAll(async () => {
  blackHole = net.createServer((s) => void sockets.push(s));
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(blackHole.address() as net.AddressInfo).port}`;
  db = openDb(dbPath(tempDir()));
});
afterAll(async () => {
  // Hang up first, so the lookup left waiting ends (and writes what it writes) before the database closes.
  for (const s of sockets) s.destroy();
  await pending.catch(() => undefined);
  db.close();
  await new Promise((resolve) => blackHole.close(resolve));
});

function directory(knownOffline: boolean): MemberDirectory {
  const log = recordingLogger();
  const shared = { posId: 'till-7', branchId: 'oslo-1', logger: log, now: () => Date.now(), timeoutMs: 120_000 };
  const loyalty = new LoyaltyClient({ ...shared, baseUrl: url, apiKey: 'k', sourceType: 'POS', version: '1.2.3' });
  return new MemberDirectory({
    db: () => db,
    // Loyalty only: Dintero's token fetch does not take the caller's signal (reported), so it is left unconfigured.
    backEnds: { loyalty: () => loyalty, dintero: () => undefined },
    now: () => Date.now(),
    logger: silentLogger,
    // Far longer than this test may run: only the offline shortcut can make the lookup give up in time.
    timeoutMs: 60_000,
    knownOffline: () => knownOffline,
  });
}

describe('member lookups when the till knows it is offline', () => {
  it('give up on a silent network after a short wait and answer from the cache (here: nothing cached)', { timeout: 15_000 }, async () => {
    expect(await directory(true).identify({ by: 'number', memberNumber: '1001' })).toMatchObject({ status: 'unavailable' });
  });

  it('still wait the full timeout while the back end is thought online (the lookup is pending after the short wait)', { timeout: 15_000 }, async () => {
    let settled = false;
    pending = directory(false)
      .identify({ by: 'number', memberNumber: '1001' })
      .finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(settled).toBe(false);
  });
});
