import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, KIOSK_ROUTES, ROUTE_LEVELS } from '../../../main/api/channels';
import { ROUTES, type RouteName, type TillBridge } from '../../../main/api/contract';
import { surfaceUrl } from '../../../main/electron/app-protocol';
import { registerIpcHandlers, roleMayCall } from '../../../main/electron/ipc';
import { buildKioskBridge, buildKioskShellBridge } from '../../../main/electron/preload-bridge';
import { preloadFile } from '../../../main/electron/window-options';
import { roleOfSurface, WindowRoles } from '../../../main/electron/window-roles';
import { ApiError, shellClient } from '../../../renderer/shared/api-client';

/**
 * Issue 19, finding 8, in the Electron shell: the kiosk window's preload exposes the kiosk's routes only, and
 * the main process refuses every other channel from the kiosk window by the sender's webContents, not only by
 * hiding the method. Electron's binary cannot run here: the modules are tested with `electron` faked, as
 * shell.test.ts does.
 */

/** What the kiosk screen calls: renderer/kiosk/*.tsx, plus the status and sale that renderer/app/main.tsx loads. */
function kioskScreenCalls(): string[] {
  const dir = path.join(__dirname, '..', '..', '..', 'renderer', 'kiosk');
  const calls = new Set(['getStatus', 'getSale']);
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.tsx') || f.endsWith('.ts'))) {
    for (const m of fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/bridge\s*\.\s*(\w+)\s*\(/g)) calls.add(m[1] ?? '');
  }
  return [...calls].sort();
}

describe('the kiosk routes', () => {
  it('are exactly the calls the kiosk screen makes: no approval, tender, shift, help-clear or manager route', () => {
    expect([...KIOSK_ROUTES].sort()).toEqual(kioskScreenCalls());
    expect([...KIOSK_ROUTES].sort()).toEqual(['addItem', 'cancelSale', 'chooseReceipt', 'getSale', 'getStatus', 'identifyCustomer', 'payByCard', 'requestHelp', 'scan', 'searchItems', 'setQuantity', 'voidLine']);
    for (const name of ['approveSale', 'clearHelp', 'addTender', 'openShift', 'closeShift', 'openBusinessDay', 'priceCheck', 'managerLogin'] as const) expect(ROUTE_LEVELS[name]).toBe('till');
  });
});

describe('the kiosk window', () => {
  it('gets its own preload file; the cashier and manager windows the full one', () => {
    expect(preloadFile('kiosk')).toBe('kiosk-preload.cjs');
    expect(preloadFile('cashier')).toBe('preload.cjs');
    expect(preloadFile('manager')).toBe('preload.cjs');
    expect(roleOfSurface('kiosk')).toBe('kiosk');
    expect(roleOfSurface('cashier')).toBe('till');
    expect(roleOfSurface('manager')).toBe('till');
  });

  it("window.till in the kiosk window has the kiosk's routes and onEvent only, each on its own channel", async () => {
    const invoke = vi.fn((channel: string) => Promise.resolve({ ok: true, value: { channel } }));
    const shell = buildKioskShellBridge(invoke, () => () => undefined);
    expect(Object.keys(shell).sort()).toEqual([...KIOSK_ROUTES, 'onEvent'].sort());
    expect(Object.isFrozen(shell)).toBe(true);
    for (const k of ['approveSale', 'addTender', 'clearHelp', 'openShift', 'managerLogin', 'send', 'invoke', 'on']) expect(shell).not.toHaveProperty(k);
    await expect(shell.scan?.({ code: '123' })).resolves.toEqual({ ok: true, value: { channel: CHANNELS.scan } });
    expect(invoke).toHaveBeenCalledWith(CHANNELS.scan, { code: '123' });
  });

  it('the kiosk preload entry exposes that bridge through contextBridge (electron faked)', async () => {
    const exposed = new Map<string, unknown>();
    const invoke = vi.fn(() => Promise.resolve({ ok: true, value: null }));
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
      ipcRenderer: { invoke, on: vi.fn(), removeListener: vi.fn() },
    }));
    try {
      await import('../../../main/electron/kiosk.preload');
    } finally {
      vi.doUnmock('electron');
    }
    expect([...exposed.keys()]).toEqual(['till']);
    const till = exposed.get('till') as Record<string, unknown>;
    expect(Object.keys(till).sort()).toEqual([...KIOSK_ROUTES, 'onEvent'].sort());
    expect(till).not.toHaveProperty('approveSale');
  });

  it('a screen in the kiosk window calling a cashier route gets FORBIDDEN without anything being sent', async () => {
    const invoke = vi.fn(() => Promise.resolve({ ok: true, value: null }));
    const client = shellClient(buildKioskBridge(invoke));
    const refused = await client.approveSale({ operatorId: 'me' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/approve-sale/) });
    expect(invoke).not.toHaveBeenCalled();
  });
});

describe('the main process', () => {
  type Handler = (event: unknown, input: unknown) => Promise<unknown>;
  const status = { branchId: 'b', storeName: 'Store', posId: 'p', mode: 'kiosk', sourceType: 'Kiosk', version: '1', demo: false, currency: 'NOK', locale: 'nb-NO', timeZone: 'Europe/Oslo', startedAt: 'x', online: { dintero: 'online', loyalty: 'offline' }, queue: { pending: 0, inFlight: 0, retry: 0, needsAttention: 0, done: 0 }, devices: { scanner: { id: 'none', state: 'not-configured', detail: 'x' }, printer: { id: 'none', state: 'not-configured', detail: 'x' } }, keyboardWedge: { prefixKey: null, suffixKeys: ['Enter'], maxInterKeyMs: 30, minLength: 6 } } as const;

  function setUp(): { registered: Map<string, Handler>; roles: WindowRoles; called: string[]; warnings: unknown[]; destroy: Map<number, () => void> } {
    const registered = new Map<string, Handler>();
    const called: string[] = [];
    const warnings: unknown[] = [];
    // Every handler answers (and records that it ran): a refusal must come before it.
    const handlers: Record<string, () => Promise<unknown>> = {};
    for (const name of Object.keys(ROUTES) as RouteName[]) {
      handlers[name] = () => {
        called.push(name);
        return name === 'getStatus' ? Promise.resolve(status) : Promise.reject(new Error(`${name} ran`));
      };
    }
    const roles = new WindowRoles();
    const logger = { warn: (o: unknown) => warnings.push(o), error: vi.fn() };
    registerIpcHandlers({ handle: ((channel: string, fn: Handler) => registered.set(channel, fn)) as never }, handlers as unknown as TillBridge, (e) => roles.roleOf(e), () => logger as never);
    const destroy = new Map<number, () => void>();
    return { registered, roles, called, warnings, destroy };
  }

  const contents = (id: number, destroy: Map<number, () => void>) => ({ id, once: (_e: 'destroyed', fn: () => void) => void destroy.set(id, fn) });
  const from = (id: number) => ({ sender: { id }, senderFrame: { url: surfaceUrl('kiosk') } });

  it('refuses a cashier channel from the kiosk window before its handler runs, and logs the refusal', async () => {
    const { registered, roles, called, warnings, destroy } = setUp();
    roles.assign(contents(7, destroy), 'kiosk');
    for (const name of Object.keys(ROUTES) as RouteName[]) {
      if (ROUTE_LEVELS[name] === 'kiosk') continue;
      const answer = await registered.get(CHANNELS[name])?.(from(7), {});
      expect(answer, name).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/kiosk window may not/) } });
    }
    expect(called).toEqual([]);
    expect(warnings).toContainEqual({ channel: 'approve-sale', role: 'kiosk' });
    // A kiosk channel from the kiosk window reaches its handler.
    await expect(registered.get(CHANNELS.getStatus)?.(from(7), undefined)).resolves.toEqual({ ok: true, value: status });
    expect(called).toEqual(['getStatus']);
  });

  it('lets a cashier window call every channel, and refuses a sender it never made a window for', async () => {
    const { registered, roles, called, destroy } = setUp();
    roles.assign(contents(3, destroy), 'till');
    await registered.get(CHANNELS.approveSale)?.({ sender: { id: 3 }, senderFrame: { url: surfaceUrl('cashier') } }, { operatorId: 'me' });
    expect(called).toEqual(['approveSale']);
    const stranger = await registered.get(CHANNELS.getStatus)?.({ sender: { id: 99 }, senderFrame: { url: surfaceUrl('cashier') } }, undefined);
    expect(stranger).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/did not open/) } });
    // A destroyed window's id no longer has a role.
    destroy.get(3)?.();
    expect(roles.roleOf({ sender: { id: 3 } })).toBeUndefined();
    expect(called).toEqual(['approveSale']);
  });

  it('decides by role and route level alone', () => {
    for (const name of Object.keys(ROUTES) as RouteName[]) {
      expect(roleMayCall('till', name)).toBe(true);
      expect(roleMayCall('kiosk', name)).toBe(ROUTE_LEVELS[name] === 'kiosk');
      expect(roleMayCall(undefined, name)).toBe(false);
    }
  });
});
