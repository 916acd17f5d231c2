import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagerCloseDaySchema, ManagerLoginOutputSchema, ManagerReportSchema, ManagerRulesSchema, ManagerSyncSchema, ROUTES, RuleDescriptionSchema, type RouteName } from '../../../main/api/contract';
import { DEMO_MANAGER_PIN, setManagerPin } from '../../../main/agent/manager-pin';
import { listEffects, recordEffectFailure, recordEffectSuccess, settleEnvelope } from '../../../main/store/outbox';
import type { WritableDb } from '../../../main/store';
import { decodeEscPos } from '../../../native/printers/escpos-decoder';
import { TcpPrinterServer } from '../printers/printer-emulator';
import { SCAN, startTestAgent, type TestAgent } from '../sale-api/fixtures';

let till: TestAgent | undefined;
let printer: TcpPrinterServer | undefined;
afterEach(async () => {
  await till?.close();
  till = undefined;
  await printer?.close();
  printer = undefined;
});

const api = (route: RouteName): string => ROUTES[route].path.replace(/^\/api\//, '');

async function login(t: TestAgent, pin = DEMO_MANAGER_PIN): Promise<string> {
  const out = ManagerLoginOutputSchema.parse((await t.call(api('managerLogin'), { pin })).body);
  if (out.result !== 'ok') throw new Error(`login failed: ${out.result}`);
  return out.session;
}

/** A cash sale at the demo till (which opens its own business day and shift). */
async function cashSale(t: TestAgent): Promise<void> {
  expect((await t.call('sale/scan', { code: SCAN.milk })).status).toBe(200);
  expect((await t.call('sale/tender', { kind: 'cash' })).status).toBe(200);
}

/** A body each manager route accepts apart from the session. */
const EXTRA: Partial<Record<RouteName, Record<string, unknown>>> = {
  managerRetry: { id: 1 },
  managerResolve: { id: 1, note: 'settled' },
  managerWriteOff: { id: 1, seq: 1, note: 'posted in the back office' },
  managerExplainRule: { id: 'dairy-10' },
  managerReport: { kind: 'X' },
  managerPrintReport: { kind: 'X' },
  managerTraining: { on: true },
  managerCashWithdrawal: { amount: 100 },
};

describe('manager API over loopback HTTP with a real SQLite till', { timeout: 60_000 }, () => {
  it('refuses every manager route without a live manager session, even with the API token', async () => {
    till = await startTestAgent();
    const guarded = (Object.keys(ROUTES) as RouteName[]).filter((n) => n.startsWith('manager') && n !== 'managerLogin' && n !== 'managerLogout');
    expect(guarded.length).toBeGreaterThanOrEqual(15);
    for (const name of guarded) {
      const forged = await till.call(api(name), { session: 'x'.repeat(32), ...EXTRA[name] });
      expect(forged.status, name).toBe(401);
      expect(forged.body).toMatchObject({ error: { code: 'UNAUTHORIZED', message: expect.stringContaining('log in with the manager PIN') } });
      const missing = await till.call(api(name), { ...EXTRA[name] });
      expect(missing.status, name).toBe(400);
      expect(JSON.stringify(missing.body)).toContain('session');
    }
    // Nothing changed behind the refusals.
    expect(till.agent.db.prepare('SELECT count(*) AS n FROM business_days').get()).toEqual({ n: 0 });

    // A wrong PIN gets no session; the right one does, and logging out ends it.
    const wrong = ManagerLoginOutputSchema.parse((await till.call(api('managerLogin'), { pin: '0000' })).body);
    expect(wrong).toEqual({ result: 'wrong-pin', attemptsLeft: 4 });
    const session = await login(till);
    expect((await till.call(api('managerSettings'), { session })).body).toMatchObject({ branchId: 'oslo-1', posId: 'pos-3', mode: 'cashier', locale: 'en-GB' });
    expect((await till.call(api('managerLogout'), { session })).status).toBe(200);
    expect((await till.call(api('managerSettings'), { session })).status).toBe(401);
  });

  it('never writes a PIN, right or wrong, to the log', async () => {
    till = await startTestAgent();
    await setManagerPin(till.agent.db, '97315286', new Date());
    expect(ManagerLoginOutputSchema.parse((await till.call(api('managerLogin'), { pin: '86420975' })).body).result).toBe('wrong-pin');
    await login(till, '97315286');
    const dir = till.agent.log.dir;
    await till.close();
    till = undefined;
    const text = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    expect(text).toContain('manager login refused');
    expect(text).toContain('manager logged in');
    expect(text).not.toContain('97315286');
    expect(text).not.toContain('86420975');
  });

/** What the worker leaves when the Loyalty API refuses a sale's transaction: the receipt delivered, the transaction waiting. */
function refuseTransaction(db: WritableDb, id: number, reason: string): void {
  const now = Date.now();
  for (const e of listEffects(db, id)) {
    if (e.kind === 'loyalty_transaction') {
      recordEffectFailure(db, { envelopeId: id, seq: e.seq, error: reason, nowMs: now, countAttempt: true, keepSent: false, next: { state: 'needs_attention', code: 'rejected', reason } });
    } else {
      recordEffectSuccess(db, { envelopeId: id, seq: e.seq, idempotencyKey: e.idempotencyKey, outcome: 'applied', nowMs: now, countAttempt: true });
    }
  }
  settleEnvelope(db, id, { state: 'needs_attention', code: 'rejected', reason }, now);
}

  it('shows effects needing attention with reason and risk, retries one, and writes off a transaction only with a note', async () => {
    till = await startTestAgent();
    await cashSale(till);
    await cashSale(till);
    const db = till.agent.db;
    const ids = (db.prepare('SELECT id FROM outbox_envelopes ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    expect(ids).toHaveLength(2);
    // No back end is configured here, so the envelopes wait; mark them refused as the worker would.
    for (const id of ids) refuseTransaction(db, id, 'loyalty_transaction refused: HTTP 404 Member not found');
    const session = await login(till);

    const sync = ManagerSyncSchema.parse((await till.call(api('managerSync'), { session })).body);
    expect(sync.counts.needsAttention).toBe(2);
    expect(sync.needsAttention.map((a) => [a.id, a.reasonCode, a.reason])).toEqual(ids.map((id) => [id, 'rejected', 'loyalty_transaction refused: HTTP 404 Member not found']));
    expect(sync.currency).toBe('NOK');
    expect(sync.needsAttention[0]?.effects).toEqual([expect.objectContaining({ kind: 'loyalty_transaction', reasonCode: 'rejected', mandated: true, action: 'retry' })]);
    const txSeq = sync.needsAttention[0]?.effects[0]?.seq ?? -1;

    const [first, second] = ids as [number, number];
    const retried = ManagerSyncSchema.parse((await till.call(api('managerRetry'), { session, id: first })).body);
    expect(retried.needsAttention.map((a) => a.id)).toEqual([second]);
    expect(retried.counts.pending).toBe(1);
    // Retrying something that does not need it is a conflict, said in words.
    const again = await till.call(api('managerRetry'), { session, id: first });
    expect(again.status).toBe(409);

    // The Loyalty transaction is mandated: resolving cannot drop it, a write-off needs a note.
    expect((await till.call(api('managerResolve'), { session, id: second, seq: txSeq, note: 'posted by hand' })).status).toBe(409);
    expect((await till.call(api('managerWriteOff'), { session, id: second, seq: txSeq, note: '  ' })).status).toBe(400);
    const written = ManagerSyncSchema.parse((await till.call(api('managerWriteOff'), { session, id: second, seq: txSeq, note: 'member deleted; posted in the back office' })).body);
    expect(written.counts).toMatchObject({ needsAttention: 0 });
    expect(db.prepare("SELECT action, effect_seq, note FROM outbox_actions WHERE envelope_id = ? AND action = 'write_off'").get(second)).toEqual({
      action: 'write_off',
      effect_seq: txSeq,
      note: 'member deleted; posted in the back office',
    });
    // The first one is refused again after the manager's retry: the till now recommends the write-off.
    refuseTransaction(db, first, 'loyalty_transaction refused: HTTP 404 Member not found');
    const after = ManagerSyncSchema.parse((await till.call(api('managerSync'), { session })).body);
    expect(after.needsAttention[0]?.effects[0]).toMatchObject({ action: 'write_off', mandated: true });
    // The X report counts the write-off: one effect, the sale's net total.
    const x = ManagerReportSchema.parse((await till.call(api('managerReport'), { session, kind: 'X' })).body);
    const saleNet = (db.prepare('SELECT s.net_minor AS n FROM sales s JOIN outbox_envelopes e ON e.ref = s.receipt_id WHERE e.id = ?').get(second) as { n: number }).n;
    expect(saleNet).toBeGreaterThan(0);
    expect(x.report.writeOffs).toEqual({ count: 1, amount: saleNet });
    expect(x.csv).toContain(`write_offs,receipts_and_transactions,1,`);
  });

  it('shows the cached rule set, searches and explains a rule, and says why a refresh cannot run', async () => {
    till = await startTestAgent();
    const session = await login(till);
    const rules = ManagerRulesSchema.parse((await till.call(api('managerRules'), { session, query: 'dairy' })).body);
    expect(rules).toMatchObject({ version: 'rules-test-1', canRefresh: false });
    expect(rules.matches.map((r) => r.id)).toEqual(['dairy-10']);
    const explained = RuleDescriptionSchema.parse((await till.call(api('managerExplainRule'), { session, id: 'dairy-10' })).body);
    expect(explained).toMatchObject({ id: 'dairy-10', kind: 'item', active: true, reward: expect.stringContaining('10') });
    expect((await till.call(api('managerExplainRule'), { session, id: 'nope' })).status).toBe(404);
    const refresh = (await till.call(api('managerRefreshRules'), { session })).body as { ok: boolean; error: string };
    expect(refresh.ok).toBe(false);
    expect(refresh.error).toContain('No Dintero connection');
  });

  it('without a printer: test print, drawer and report print are refused with a clear reason', async () => {
    till = await startTestAgent();
    const session = await login(till);
    expect((await till.call(api('managerDevices'), { session })).body).toMatchObject({ drawer: { supported: false, reason: expect.stringContaining('no printer is configured') } });
    const drawer = await till.call(api('managerOpenDrawer'), { session });
    expect(drawer.status).toBe(503);
    expect(drawer.body).toMatchObject({ error: { code: 'DEVICE_UNAVAILABLE' } });
    expect((await till.call(api('managerTestPrint'), { session })).status).toBe(503);
  });

  it('makes the X report, closes the day with a stable Z report, and prints both, the test page and the drawer kick on a loopback printer', async () => {
    printer = new TcpPrinterServer();
    const port = await printer.listen();
    till = await startTestAgent({ config: { demo: true, devices: { printer: { kind: 'tcp', host: '127.0.0.1', port } } } });
    await cashSale(till);
    await cashSale(till);
    const session = await login(till);
    const emulator = printer.emulator;
    const printed = (): string[] => emulator.receipts().map((r) => decodeEscPos(r).lines.map((l) => l.text).join('\n'));
    // The two sales' receipts.
    await expect.poll(() => emulator.receipts().length, { timeout: 15_000 }).toBe(2);

    const x = ManagerReportSchema.parse((await till.call(api('managerReport'), { session, kind: 'X' })).body);
    expect(x.report).toMatchObject({ kind: 'X', sales: { count: 2 }, day: { closedAt: null } });
    expect(x.csv).toContain('entries,sales,2,');
    expect((await till.call(api('managerPrintReport'), { session, kind: 'X' })).status).toBe(200);
    await expect.poll(() => printed().some((p) => p.includes('X REPORT')), { timeout: 15_000 }).toBe(true);

    expect((await till.call(api('managerTestPrint'), { session })).status).toBe(200);
    await expect.poll(() => printed().some((p) => p.includes('Printer test: not a receipt')), { timeout: 15_000 }).toBe(true);
    const pulsesBefore = emulator.receipts().flatMap((r) => decodeEscPos(r).events).filter((e) => e.type === 'pulse').length;
    expect((await till.call(api('managerOpenDrawer'), { session })).status).toBe(200);
    await expect
      .poll(() => decodeEscPos(Uint8Array.from(emulator.segments.flat())).events.filter((e) => e.type === 'pulse').length, { timeout: 15_000 })
      .toBeGreaterThan(pulsesBefore);

    const closed = ManagerCloseDaySchema.parse((await till.call(api('managerCloseDay'), { session, countedCash: 10_000 })).body);
    expect(closed.day.open).toBeNull();
    expect(closed.report).toMatchObject({ kind: 'Z', sales: { count: 2, net: x.report.sales.net } });
    expect(closed.report.tenders).toEqual(x.report.tenders);
    // Asked for again later: the very same report, not a recomputation.
    await new Promise((r) => setTimeout(r, 20));
    const z = ManagerReportSchema.parse((await till.call(api('managerReport'), { session, kind: 'Z' })).body);
    expect(z.report).toEqual(closed.report);
    expect(z.fileName).toMatch(/^z-report-\d{4}-\d{2}-\d{2}-pos-3\.csv$/);
    expect(till.agent.db.prepare('SELECT count(*) AS n FROM z_reports').get()).toEqual({ n: 1 });
    // No open day: an X report is refused in words.
    const noDay = await till.call(api('managerReport'), { session, kind: 'X' });
    expect(noDay.status).toBe(409);
    expect((await till.call(api('managerPrintReport'), { session, kind: 'Z' })).status).toBe(200);
    await expect.poll(() => printed().some((p) => p.includes('Z REPORT')), { timeout: 15_000 }).toBe(true);

    // The next day opens with its first shift; a second open is refused while it is open.
    const reopened = (await till.call(api('managerOpenDay'), { session, operatorId: 'kari' })).body as { open: { id: number } | null; shift: { operatorId: string } | null; closed: unknown[] };
    expect(reopened.open?.id).toBeGreaterThan(closed.report.day.id);
    expect(reopened.shift?.operatorId).toBe('kari');
    expect(reopened.closed).toHaveLength(1);
    expect((await till.call(api('managerOpenDay'), { session })).status).toBe(409);
  });
});
