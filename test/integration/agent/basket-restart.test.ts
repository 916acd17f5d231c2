import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { dbPath } from '../../../main/agent/data-dir';
import { SaleViewSchema, TenderOutputSchema, type SaleView } from '../../../main/api/contract';
import { openReadonlyDb } from '../../../main/store';
import { storedBaskets } from '../../../main/store/open-baskets';
import { type Ready, startServe } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';
import { seededDataDir } from '../../e2e/seed-till';
import { BEER, BREAD, MILK, SCAN, SOAP } from '../sale-api/seed';

/**
 * The open basket, its customer and tenders, and the suspended baskets survive a real `till-agent serve` killed
 * with SIGKILL in the middle of a sale: the next start carries on where the cashier was, and a committed sale
 * leaves no stored basket behind.
 */

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

async function serve(dataDir: string): Promise<Ready> {
  const { child, ready } = await startServe(['--data-dir', dataDir, '--port', '0'], { TILL_BRANCH_ID: 'oslo-1', TILL_POS_ID: 'pos-9', TILL_LOCALE: 'en-GB' });
  children.push(child);
  return ready;
}

async function kill(): Promise<void> {
  const child = children.pop();
  if (!child) throw new Error('no agent running');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

function client(ready: Ready): (p: string, body?: unknown) => Promise<{ status: number; body: unknown }> {
  return async (p, body) => {
    const res = await fetch(`${ready.url}api/${p}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${ready.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.json() };
  };
}

describe('the basket survives an agent killed with SIGKILL', { timeout: 60_000 }, () => {
  it('restores the open basket (lines, customer, tenders) and the suspended ones; a commit removes the stored basket', async () => {
    const dataDir = seededDataDir(tempDir());
    let call = client(await serve(dataDir));
    const view = async (): Promise<SaleView> => SaleViewSchema.parse((await call('sale')).body);

    // A member's basket, suspended; then a second basket with a part payment, and the agent dies.
    expect((await call('sale/scan', { code: SCAN.milk })).status).toBe(200);
    expect((await call('sale/scan', { code: SCAN.bread })).status).toBe(200);
    expect((await call('sale/customer', { memberId: 'm-1', customerId: 'cust-1' })).status).toBe(200);
    const memberBasket = await view();
    expect((await call('sale/suspend', {})).status).toBe(200);
    expect((await call('sale/scan', { code: SCAN.soap })).status).toBe(200);
    expect((await call('sale/scan', { code: SCAN.soap })).status).toBe(200);
    const part = TenderOutputSchema.parse((await call('sale/tender', { kind: 'cash', amount: 1000 })).body);
    expect(part.committed).toBe(false);
    const before = part.sale;
    await kill();

    call = client(await serve(dataDir));
    const after = await view();
    expect(after.lines).toEqual(before.lines);
    expect(after.tenders).toEqual([{ kind: 'cash', amount: 1000 }]);
    expect(after.remaining).toBe(2 * SOAP.unitPrice - 1000);
    expect(after.suspended).toEqual(before.suspended);
    expect(after.suspended).toHaveLength(1);
    // Revisions keep increasing across the restart, so a screen never takes the restored view for an old one.
    expect(after.revision).toBeGreaterThanOrEqual(before.revision);

    // Paying the rest commits the sale, and the stored open basket is emptied with it.
    const done = TenderOutputSchema.parse((await call('sale/tender', { kind: 'cash' })).body);
    expect(done.committed).toBe(true);
    expect(done.receipt?.lines.map((l) => l.description)).toEqual([SOAP.name]);
    const readonly = openReadonlyDb(dbPath(dataDir));
    try {
      const rows = storedBaskets(readonly);
      const open = rows.find((r) => r.slot === 'open');
      expect(JSON.parse(open?.bodyJson ?? '{}')).toMatchObject({ basket: { items: [] }, tenders: [] });
      expect(rows.map((r) => r.slot)).toEqual(['open', 'S1']);
    } finally {
      readonly.close();
    }

    // The suspended member basket comes back with its customer and member price after a second kill.
    const resumed = SaleViewSchema.parse((await call('sale/resume', { id: 'S1' })).body);
    expect(resumed.customer).toEqual(memberBasket.customer);
    await kill();
    call = client(await serve(dataDir));
    const again = await view();
    expect(again.lines.map((l) => l.itemId)).toEqual([MILK.id, BREAD.id]);
    expect(again.lines).toEqual(memberBasket.lines);
    expect(again.customer).toEqual(memberBasket.customer);
    expect(again.suspended).toEqual([]);
    expect(again.lastReceipt).toBeNull();
  });

  it('keeps an age-restricted basket locked across a restart until someone approves it', async () => {
    const dataDir = seededDataDir(tempDir());
    let call = client(await serve(dataDir));
    expect((await call('sale/scan', { code: BEER.codes[0] })).status).toBe(200);
    const locked = SaleViewSchema.parse((await call('sale')).body);
    expect(locked.checks.pending).toEqual([expect.objectContaining({ kind: 'age', ageLimit: 18 })]);
    await kill();

    call = client(await serve(dataDir));
    const after = SaleViewSchema.parse((await call('sale')).body);
    expect(after.checks.pending).toEqual(locked.checks.pending);
    expect((await call('sale/tender', { kind: 'cash' })).status).toBe(409);
    expect((await call('sale/approve', { operatorId: 'op-7' })).status).toBe(200);
    // The approval is stored with the basket too: a second restart does not ask again.
    await kill();
    call = client(await serve(dataDir));
    const approved = SaleViewSchema.parse((await call('sale')).body);
    expect(approved.checks.pending).toEqual([]);
    expect(approved.checks.approvals).toEqual([expect.objectContaining({ operatorId: 'op-7', verifiedAge: 18 })]);
    const done = TenderOutputSchema.parse((await call('sale/tender', { kind: 'cash' })).body);
    expect(done.committed).toBe(true);
  });
});
