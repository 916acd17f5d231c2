import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { KIOSK_ROUTES, ROUTE_LEVELS } from '../../../main/api/channels';
import { type AgentEvent, EventSchema, ManagerLoginOutputSchema, parseUnknown, ROUTES, type RouteName, SaleViewSchema, type SaleView, ScanOutputSchema } from '../../../main/api/contract';
import { SimulatedTerminal } from '../../../main/devices/terminal/simulated-terminal';
import { SCAN, startTestAgent, type TestAgent } from '../sale-api/fixtures';

/**
 * Issue 19, finding 8: the kiosk screen held the cashier's token, so age approval, cash tenders, shifts and the
 * back office were reachable with the kiosk's credentials. Now the kiosk screen gets the kiosk token, which
 * reaches only the routes ROUTE_LEVELS marks `kiosk` and the event WebSocket; everything else answers it
 * `403 FORBIDDEN` before any handler runs. Against a real agent on a loopback port, a kiosk till with the
 * seeded catalog and a simulated card terminal.
 */
let till: TestAgent | undefined;
afterEach(async () => {
  await till?.close();
  till = undefined;
});

async function startKiosk(): Promise<TestAgent> {
  till = await startTestAgent({ config: { demo: true, mode: 'kiosk' }, cardTerminal: new SimulatedTerminal({ delayMs: 30 }) });
  return till;
}

type Answer = { status: number; body: unknown };

/** One contract route called with the given token, as the screens' HTTP client calls it. */
async function callRoute(t: TestAgent, token: string, name: RouteName, input?: unknown): Promise<Answer> {
  const r = ROUTES[name];
  const res = await fetch(`${t.agent.url}${r.path.slice(1)}`, {
    method: r.method,
    headers: { authorization: `Bearer ${token}`, ...(r.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
    ...(r.method === 'POST' ? { body: JSON.stringify(input ?? {}) } : {}),
  });
  return { status: res.status, body: await res.json() };
}

/**
 * A valid input for every route (a Record, so a new route needs one): the refusals below are about the token,
 * not a body the handler would have refused anyway. Manager routes carry a live session the till token opened.
 */
function validInputs(session: string): Record<RouteName, unknown> {
  return {
    getStatus: undefined,
    getSale: undefined,
    scan: { code: SCAN.milk },
    addItem: { itemId: 'milk' },
    setQuantity: { lineId: 1, quantity: 3 },
    voidLine: { lineId: 1 },
    identifyCustomer: { memberId: 'member-1' },
    addTender: { kind: 'cash', amount: 100_000 },
    checkGiftCard: { cardNumber: 'GC1000000001' },
    clearTenders: {},
    cancelSale: {},
    suspendSale: {},
    resumeSale: { id: 'S1' },
    reprintReceipt: {},
    receiptLayout: { receiptId: 'R-1' },
    priceCheck: { code: SCAN.milk },
    searchItems: { query: 'milk' },
    getShift: undefined,
    openBusinessDay: {},
    closeBusinessDay: {},
    openShift: { operatorId: 'kiosk-customer', openingFloat: 0 },
    closeShift: { countedCash: 0 },
    requestHelp: {},
    clearHelp: {},
    managerLogin: { pin: '1234' },
    managerLogout: { session },
    managerSync: { session },
    managerRetry: { session, id: 1 },
    managerResolve: { session, id: 1, note: 'from the kiosk' },
    managerWriteOff: { session, id: 1, seq: 0, note: 'from the kiosk' },
    managerRules: { session },
    managerRefreshRules: { session },
    managerExplainRule: { session, id: 'dairy-10' },
    managerDevices: { session },
    managerTestPrint: { session },
    managerOpenDrawer: { session },
    managerDay: { session },
    managerOpenDay: { session },
    managerCloseDay: { session, countedCash: 0 },
    managerReport: { session, kind: 'X' },
    managerPrintReport: { session, kind: 'X' },
    managerTraining: { session, on: true },
    managerCashWithdrawal: { session, amount: 100 },
    managerSettings: { session },
    managerSaveSettings: { session, locale: 'nb-NO' },
    approveSale: { operatorId: 'kiosk-customer' },
    payByCard: {},
    chooseReceipt: { print: true },
    printProvisional: {},
  };
}

/** Everything a refused call could have changed: the sale, the shift, and the row count of every table. */
function snapshot(t: TestAgent, sale: unknown, shift: unknown): unknown {
  const tables = t.agent.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  const counts = Object.fromEntries(tables.map(({ name }) => [name, (t.agent.db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n]));
  return { sale, shift, counts };
}

async function state(t: TestAgent): Promise<unknown> {
  return snapshot(t, (await t.call('sale')).body, (await t.call('shift')).body);
}

const sale = (a: Answer): SaleView => SaleViewSchema.parse(a.body);

describe('the kiosk token', () => {
  it('is its own secret: not the API token, kept in a 0600 file, the same after a restart', async () => {
    const first = await startKiosk();
    const { kioskToken, token } = first.agent;
    expect(kioskToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(kioskToken).not.toBe(token);
    const dataDir = path.dirname(first.agent.log.dir);
    const file = path.join(dataDir, 'kiosk-token');
    expect(fs.readFileSync(file, 'utf8').trim()).toBe(kioskToken);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await first.close();
    till = await startTestAgent({ dataDir, config: { demo: true, mode: 'kiosk' }, seed: false });
    expect(till.agent.kioskToken).toBe(kioskToken);
    expect(till.agent.token).toBe(token);
  });

  it('gets 403 on every route that is not a kiosk route, with a valid body, and changes nothing', async () => {
    const t = await startKiosk();
    const { kioskToken, token } = t.agent;
    // A basket waiting for staff: an ID check pending (which calls for help) and a line the kiosk could void.
    await t.call('sale/scan', { code: SCAN.milk });
    const locked = ScanOutputSchema.parse((await t.call('sale/scan', { code: SCAN.beer })).body).sale;
    expect(locked.checks.pending.map((c) => c.kind)).toEqual(['age']);
    expect(locked.help).not.toBeNull();
    const login = parseUnknown(ManagerLoginOutputSchema, (await callRoute(t, token, 'managerLogin', { pin: '1234' })).body);
    if (login.result !== 'ok') throw new Error(`the demo PIN did not log in: ${login.result}`);
    const inputs = validInputs(login.session);

    const before = await state(t);
    const tillOnly = (Object.keys(ROUTES) as RouteName[]).filter((name) => ROUTE_LEVELS[name] === 'till');
    // The refusal is for the token: the body would have been taken.
    for (const name of tillOnly) expect(() => parseUnknown(ROUTES[name].input, ROUTES[name].method === 'GET' ? undefined : inputs[name]), name).not.toThrow();
    const wrong: string[] = [];
    for (const name of tillOnly) {
      const res = await callRoute(t, kioskToken, name, inputs[name]);
      const code = (res.body as { error?: { code?: string } }).error?.code;
      if (res.status !== 403 || code !== 'FORBIDDEN') wrong.push(`${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
    expect(tillOnly).toEqual(expect.arrayContaining(['approveSale', 'addTender', 'openShift', 'closeShift', 'clearHelp', 'priceCheck', 'managerLogin', 'managerCashWithdrawal']));
    expect(await state(t)).toEqual(before);

    // The same calls are open to staff: the ID check is approved with the API token, the session still lives.
    const approved = sale(await callRoute(t, token, 'approveSale', inputs.approveSale));
    expect(approved.checks.pending).toEqual([]);
    expect((await callRoute(t, token, 'managerSync', inputs.managerSync)).status).toBe(200);
  });

  it('works on every kiosk route and opens the event WebSocket: a whole kiosk sale with the kiosk token alone', async () => {
    const t = await startKiosk();
    const { kioskToken } = t.agent;
    const events: AgentEvent[] = [];
    const socket = new WebSocket(`ws://127.0.0.1:${t.agent.port}/api/events?token=${kioskToken}`);
    socket.on('message', (data: Buffer) => events.push(EventSchema.parse(JSON.parse(data.toString()))));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    try {
      const called = new Set<RouteName>();
      const kiosk = async (name: RouteName, input?: unknown): Promise<Answer> => {
        called.add(name);
        const res = await callRoute(t, kioskToken, name, input);
        expect(res.status, `${name}: ${JSON.stringify(res.body).slice(0, 200)}`).toBe(200);
        return res;
      };
      expect((await kiosk('getStatus')).body).toMatchObject({ mode: 'kiosk' });
      expect(sale(await kiosk('getSale')).lines).toEqual([]);
      expect((await kiosk('scan', { code: SCAN.milk })).body).toMatchObject({ ok: true });
      expect(sale(await kiosk('identifyCustomer', { memberId: 'member-1' })).customer).not.toBeNull();
      expect(sale(await kiosk('identifyCustomer', {})).customer).toBeNull();
      expect(sale(await kiosk('requestHelp', {})).help).not.toBeNull();
      const waiting = sale(await kiosk('payByCard', {}));
      expect(waiting.payment?.state).toBe('waiting');
      await expect.poll(() => events.some((e) => e.type === 'sale' && e.sale.receiptOffer !== null)).toBe(true);
      expect(sale(await kiosk('chooseReceipt', { print: false })).receiptOffer).toBeNull();
      await kiosk('scan', { code: SCAN.milk });
      // The customer's own basket edits: find bread by name, add it, count milk up, remove the bread.
      const found = (await kiosk('searchItems', { query: 'bread' })).body as { items: { itemId: string }[] };
      expect(found.items.length).toBeGreaterThan(0);
      const withBread = sale(await kiosk('addItem', { itemId: found.items[0]?.itemId }));
      expect(withBread.lines).toHaveLength(2);
      expect(sale(await kiosk('setQuantity', { lineId: withBread.lines[0]?.lineId, quantity: 2 })).lines[0]?.quantity).toBe(2);
      expect(sale(await kiosk('voidLine', { lineId: withBread.lines[1]?.lineId })).lines).toHaveLength(1);
      expect(sale(await kiosk('cancelSale', {})).lines).toEqual([]);
      expect([...called].sort()).toEqual([...KIOSK_ROUTES].sort());
      // The WebSocket carried the hello and the kiosk's own sale changes.
      expect(events[0]).toMatchObject({ type: 'hello' });
      expect(events.filter((e) => e.type === 'sale').length).toBeGreaterThan(3);
    } finally {
      socket.close();
    }
  });

  it('cannot approve an ID check or clear the help flag: the attendant with the API token can', async () => {
    const t = await startKiosk();
    const { kioskToken, token } = t.agent;
    const locked = ScanOutputSchema.parse((await callRoute(t, kioskToken, 'scan', { code: SCAN.beer })).body).sale;
    expect(locked.checks.pending).toHaveLength(1);
    expect(locked.help).not.toBeNull();
    expect(await callRoute(t, kioskToken, 'approveSale', { operatorId: 'me' })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN', message: expect.stringMatching(/kiosk's token/) } } });
    expect(await callRoute(t, kioskToken, 'clearHelp', {})).toMatchObject({ status: 403 });
    expect((await callRoute(t, kioskToken, 'payByCard', {})).status).toBe(409);
    const still = sale(await callRoute(t, kioskToken, 'getSale'));
    expect(still.checks.pending).toHaveLength(1);
    expect(still.help).not.toBeNull();
    expect(sale(await callRoute(t, token, 'clearHelp', {})).help).toBeNull();
    expect(sale(await callRoute(t, token, 'approveSale', { operatorId: 'attendant-7' })).checks.approvals).toHaveLength(1);
  });

  it('is refused on an unknown path with 403 and without any token stays 401; the refusals are logged without it', async () => {
    const t = await startKiosk();
    const { kioskToken } = t.agent;
    const get = (p: string, headers: Record<string, string> = {}): Promise<number> => fetch(`${t.agent.url}${p}`, { headers }).then((r) => r.status);
    expect(await get('api/no-such-route', { authorization: `Bearer ${kioskToken}` })).toBe(403);
    expect(await get(`api/shift?token=${kioskToken}`)).toBe(403);
    expect(await get('api/shift')).toBe(401);
    expect(await get(`api/status?token=${kioskToken}`)).toBe(200);
    await t.agent.log.flush();
    const log = fs.readFileSync(path.join(t.agent.log.dir, 'till-agent.log'), 'utf8');
    expect(log.split('\n').filter((l) => l.includes('refused a request') && l.includes('"status":403')).length).toBeGreaterThanOrEqual(2);
    expect(log).not.toContain(kioskToken);
  });
});
