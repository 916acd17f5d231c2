import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { openReadonlyDb } from '../../../main/store';
import { findEntry } from '../../../main/store/ledger';
import { type Ready, startServe } from '../../helpers/cli';
import { mountSmallDisk, type SmallDisk, smallDiskUnavailable } from '../../helpers/small-disk';
import { seededDataDir } from '../../e2e/seed-till';
import { SCAN } from '../sale-api/seed';

const unavailable = smallDiskUnavailable();
const ENV = { TILL_LOCALE: 'en-GB' };

let disk: SmallDisk | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) await stop(child);
  disk?.unmount();
  disk = undefined;
});

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

type Reply = { status: number; body: { error?: { code: string; message: string }; committed?: boolean; receipt?: { receiptId: string } | null } };

function client(ready: Ready): (route: string, body?: unknown) => Promise<Reply> {
  return async (route, body) => {
    const res = await fetch(`${ready.url}api/${route}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${ready.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Reply['body'] };
  };
}

async function serve(dataDir: string): Promise<{ child: ChildProcess; ready: Ready; stderr: () => string }> {
  const started = await startServe(['--data-dir', dataDir, '--port', '0'], ENV);
  children.push(started.child);
  return started;
}

describe.skipIf(unavailable !== undefined)(`a full disk${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('refuses tenders and scans with DB_FULL, keeps every committed sale, stays up, and starts again while full', async () => {
    disk = mountSmallDisk(12);
    const dataDir = seededDataDir(path.join(disk.dir, 'data'));
    const till = await serve(dataDir);
    const call = client(till.ready);
    const committed: string[] = [];
    const sell = async (): Promise<Reply[]> => {
      const scan = await call('sale/scan', { code: SCAN.milk });
      if (scan.status !== 200) return [scan];
      const tender = await call('sale/tender', { kind: 'cash', amount: 10_000 });
      if (tender.status === 200 && tender.body.committed && tender.body.receipt) committed.push(tender.body.receipt.receiptId);
      return [scan, tender];
    };
    const before = await sell();
    expect(before.map((r) => r.status)).toEqual([200, 200]);

    // A basket on the screen when the disk fills up: its tender is refused, not half-saved, and the basket stays.
    expect((await call('sale/scan', { code: SCAN.milk })).status).toBe(200);
    expect((await call('sale/scan', { code: SCAN.bread })).status).toBe(200);
    disk.fill();
    const tender = await call('sale/tender', { kind: 'cash', amount: 10_000 });
    expect(tender.status, JSON.stringify(tender.body)).toBe(507);
    expect(tender.body.error).toMatchObject({ code: 'DB_FULL' });
    expect(tender.body.error?.message).toMatch(/full/);
    expect(tender.body.error?.message).not.toMatch(/ENOSPC/);
    // Scans are refused the same way; the agent answers every one and its process stays up.
    const scans: Reply[] = [];
    for (let i = 0; i < 5; i++) scans.push(await call('sale/scan', { code: SCAN.soap }));
    expect(scans.map((r) => r.status).filter((st) => st !== 507 && st !== 200)).toEqual([]);
    expect(scans.find((r) => r.status === 507)?.body.error).toMatchObject({ code: 'DB_FULL' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(till.child.exitCode).toBeNull();
    expect((await call('status')).status).toBe(200);

    // Stopped and started again while the disk is still full: it starts, and says why sales will be refused.
    await stop(till.child);
    const again = await serve(dataDir);
    const call2 = client(again.ready);
    expect((await call2('status')).status).toBe(200);
    expect(again.stderr()).toMatch(/disk .* full/i);

    // Room again: the next sale goes through, and every sale ever confirmed is in the ledger.
    disk.free();
    const after = await (async () => {
      const scan = await call2('sale/scan', { code: SCAN.milk });
      const tender = await call2('sale/tender', { kind: 'cash', amount: 10_000 });
      if (tender.body.receipt) committed.push(tender.body.receipt.receiptId);
      return [scan.status, tender.status];
    })();
    expect(after).toEqual([200, 200]);
    await stop(again.child);
    const db = openReadonlyDb(dbPath(dataDir));
    try {
      for (const id of committed) expect(findEntry(db, id), id).toBeDefined();
    } finally {
      db.close();
    }
  });
});
