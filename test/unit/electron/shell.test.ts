import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CHANNELS, EVENT_CHANNEL } from '../../../main/api/channels';
import { type AgentEvent, ROUTES, type TillBridge } from '../../../main/api/contract';
import { pushAgentEvents } from '../../../main/electron/event-push';
import { lockKioskWindow } from '../../../main/electron/kiosk-lock';
import { resolveAppFile, surfaceUrl } from '../../../main/electron/app-protocol';
import { registerIpcHandlers, senderTrusted } from '../../../main/electron/ipc';
import { buildBridge, buildShellBridge } from '../../../main/electron/preload-bridge';
import { TillError } from '../../../main/core/errors';
import type { Logger } from '../../../main/log';
import { shellClient } from '../../../renderer/shared/api-client';
import { APP_CSP, denyWindowOpen, hardenContents, hardenSession, kioskShortcutBlocked, navigationAllowed, permissionRequestHandler, withCsp } from '../../../main/electron/security';
import { windowOptions } from '../../../main/electron/window-options';

describe('window options', () => {
  it('isolate and sandbox every window without Node', () => {
    for (const surface of ['cashier', 'kiosk', 'manager'] as const) {
      const o = windowOptions(surface, '/app/preload.cjs');
      expect(o.webPreferences).toMatchObject({
        preload: '/app/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        disableBlinkFeatures: 'Auxclick',
      });
    }
  });

  it('lock the kiosk full-screen without dev tools', () => {
    expect(windowOptions('kiosk', 'p')).toMatchObject({ kiosk: true, fullscreen: true, closable: false, webPreferences: { devTools: false } });
    expect(windowOptions('cashier', 'p')).toMatchObject({ kiosk: false });
  });
});

describe('navigation, windows and permissions', () => {
  it('allows only the app bundle', () => {
    expect(navigationAllowed(surfaceUrl('cashier'))).toBe(true);
    expect(navigationAllowed('app://till/assets/index.js')).toBe(true);
    for (const url of ['https://evil.example/', 'http://127.0.0.1:7420/', 'file:///etc/passwd', 'app://other/index.html', 'javascript:alert(1)', 'not a url']) {
      expect(navigationAllowed(url)).toBe(false);
    }
  });

  it('denies window.open, navigation away and every permission request', () => {
    const handlers = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    const setWindowOpenHandler = vi.fn();
    hardenContents({ on: ((name: string, fn: never) => handlers.set(name, fn)) as never, setWindowOpenHandler });
    expect(setWindowOpenHandler).toHaveBeenCalledWith(denyWindowOpen);
    expect(denyWindowOpen({} as never)).toEqual({ action: 'deny' });
    const away = { preventDefault: vi.fn() };
    handlers.get('will-navigate')?.(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const home = { preventDefault: vi.fn() };
    handlers.get('will-navigate')?.(home, surfaceUrl('cashier'));
    expect(home.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')?.(webview, '');
    expect(webview.preventDefault).toHaveBeenCalled();
    const granted = vi.fn();
    permissionRequestHandler(null, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
  });

  it('sets the strict CSP on every response of the session', () => {
    const setPermissionRequestHandler = vi.fn();
    const setPermissionCheckHandler = vi.fn();
    let listener: ((details: unknown, cb: (r: unknown) => void) => void) | undefined;
    hardenSession({ setPermissionRequestHandler, setPermissionCheckHandler, webRequest: { onHeadersReceived: (fn: never) => (listener = fn) } } as never);
    expect(setPermissionRequestHandler).toHaveBeenCalledWith(permissionRequestHandler);
    const cb = vi.fn();
    listener?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, cb);
    expect(cb).toHaveBeenCalledWith({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [APP_CSP] } });
    expect(withCsp({ responseHeaders: {} } as never).responseHeaders['Content-Security-Policy']?.[0]).toMatch(/script-src 'self'/);
    expect(APP_CSP).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('blocks the kiosk shortcuts that would leave it, and lets a scanner\'s keys through', () => {
    const key = (k: string, mods: Partial<{ control: boolean; alt: boolean; meta: boolean; shift: boolean }> = {}) => ({ key: k, control: false, alt: false, meta: false, shift: false, ...mods });
    const blocked: [string, ReturnType<typeof key>][] = [
      ['Alt+F4', key('F4', { alt: true })],
      ['Alt+Tab', key('Tab', { alt: true })],
      ['Alt+Space', key(' ', { alt: true })],
      ['Alt+Left', key('ArrowLeft', { alt: true })],
      ['Ctrl+W', key('w', { control: true })],
      ['Ctrl+Q', key('q', { control: true })],
      ['Ctrl+R', key('r', { control: true })],
      ['Ctrl+Shift+R', key('R', { control: true, shift: true })],
      ['Ctrl+Shift+I', key('I', { control: true, shift: true })],
      ['Ctrl+Shift+J', key('J', { control: true, shift: true })],
      ['Ctrl+Plus', key('+', { control: true })],
      ['Ctrl+0', key('0', { control: true })],
      ['Meta', key('Meta', { meta: true })],
      ['F5', key('F5')],
      ['F11', key('F11')],
      ['F12', key('F12')],
      ['F7', key('F7')],
      ['Escape', key('Escape')],
      ['BrowserBack', key('BrowserBack')],
      ['BrowserRefresh', key('BrowserRefresh')],
      ['ContextMenu', key('ContextMenu')],
    ];
    for (const [name, input] of blocked) expect(kioskShortcutBlocked(input), name).toBe(true);
    // What a barcode scanner types: digits, letters (Code 128), Shift for capitals, Enter.
    for (const input of [key('5'), key('Enter'), key('A', { shift: true }), key('-'), key('Tab')]) expect(kioskShortcutBlocked(input), input.key).toBe(false);
  });

  it('locks a kiosk window: shortcuts swallowed, no close but quitting, back to full screen, no pinch zoom', () => {
    const on = new Map<string, (event: { preventDefault(): void }, input?: unknown) => void>();
    let quitting = false;
    const win = {
      on: vi.fn((name: string, fn: never) => on.set(name, fn)),
      setKiosk: vi.fn(),
      setFullScreen: vi.fn(),
      webContents: { on: vi.fn((name: string, fn: never) => on.set(name, fn)), setVisualZoomLevelLimits: vi.fn(() => Promise.resolve()) },
    };
    lockKioskWindow(win, () => quitting);
    const input = on.get('before-input-event');
    const altF4 = { preventDefault: vi.fn() };
    input?.(altF4, { key: 'F4', alt: true, control: false, meta: false, shift: false });
    expect(altF4.preventDefault).toHaveBeenCalled();
    const digit = { preventDefault: vi.fn() };
    input?.(digit, { key: '7', alt: false, control: false, meta: false, shift: false });
    expect(digit.preventDefault).not.toHaveBeenCalled();
    const close = { preventDefault: vi.fn() };
    on.get('close')?.(close);
    expect(close.preventDefault).toHaveBeenCalled();
    quitting = true;
    const closeOnQuit = { preventDefault: vi.fn() };
    on.get('close')?.(closeOnQuit);
    expect(closeOnQuit.preventDefault).not.toHaveBeenCalled();
    on.get('leave-full-screen')?.({ preventDefault: vi.fn() });
    expect(win.setKiosk).toHaveBeenCalledWith(true);
    expect(win.setFullScreen).toHaveBeenCalledWith(true);
    expect([...on.keys()].sort()).toEqual(['before-input-event', 'close', 'leave-full-screen']);
    expect(win.webContents.setVisualZoomLevelLimits).toHaveBeenCalledWith(1, 1);
  });
});

describe('app:// files', () => {
  it('serves only files inside the renderer folder', () => {
    const root = path.resolve('/opt/till/renderer');
    expect(resolveAppFile('app://till/index.html', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('app://till/', root)).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile('app://till/assets/a.js', root)).toBe(path.join(root, 'assets', 'a.js'));
    // The URL parser folds ../ away, so the worst case stays inside the folder.
    expect(resolveAppFile('app://till/../../etc/passwd', root)?.startsWith(root + path.sep)).toBe(true);
    expect(resolveAppFile('app://till/%2e%2e/%2e%2e/etc/passwd', root)?.startsWith(root + path.sep)).toBe(true);
    // Encoded slashes survive URL parsing and decode into a real escape attempt: refused.
    expect(resolveAppFile('app://till/..%2f..%2f..%2fetc%2fpasswd', root)).toBeUndefined();
    expect(resolveAppFile('app://evil/index.html', root)).toBeUndefined();
    expect(resolveAppFile('file:///etc/passwd', root)).toBeUndefined();
  });
});

describe('preload bridge and IPC', () => {
  it('exposes exactly one named method per contract route, each on its own channel', async () => {
    const invoke = vi.fn((channel: string) => Promise.resolve({ ok: true, value: { channel } }));
    const bridge = buildBridge(invoke);
    expect(Object.keys(bridge).sort()).toEqual(Object.keys(ROUTES).sort());
    expect(Object.isFrozen(bridge)).toBe(true);
    for (const k of ['send', 'on', 'invoke', 'ipcRenderer']) expect(bridge).not.toHaveProperty(k);
    await expect(bridge.getStatus(undefined)).resolves.toEqual({ ok: true, value: { channel: CHANNELS.getStatus } });
    expect(invoke).toHaveBeenCalledWith(CHANNELS.getStatus, undefined);
    for (const [name, r] of Object.entries(ROUTES)) expect(r.channel).toBe(CHANNELS[name as keyof typeof CHANNELS]);
  });

  it('window.till has the routes and onEvent only; onEvent hands over the payload alone and unsubscribes once', () => {
    const listeners = new Set<(payload: unknown) => void>();
    const unsubscribed = vi.fn();
    const shell = buildShellBridge(
      () => Promise.resolve(undefined),
      (listener) => {
        listeners.add(listener);
        return () => {
          unsubscribed();
          listeners.delete(listener);
        };
      },
    );
    expect(Object.keys(shell).sort()).toEqual([...Object.keys(ROUTES), 'onEvent'].sort());
    expect(Object.isFrozen(shell)).toBe(true);
    for (const k of ['send', 'on', 'invoke', 'ipcRenderer', 'removeListener']) expect(shell).not.toHaveProperty(k);
    const got: unknown[] = [];
    const stop = shell.onEvent((e) => got.push(e));
    for (const l of listeners) l({ type: 'hello', version: '1' });
    expect(got).toEqual([{ type: 'hello', version: '1' }]);
    // An event already queued when the page unsubscribed is not delivered; a second unsubscribe does nothing.
    const queued = [...listeners];
    stop();
    stop();
    for (const l of queued) l({ type: 'hello', version: '2' });
    expect(got).toHaveLength(1);
    expect(unsubscribed).toHaveBeenCalledTimes(1);
    expect(listeners.size).toBe(0);
    expect(() => shell.onEvent('not a function' as never)).toThrow(/needs a function/);
  });

  it('the main process pushes every agent event on the one event channel until the window is gone', () => {
    let listener: ((e: AgentEvent) => void) | undefined;
    const unsubscribe = vi.fn();
    const sent: [string, AgentEvent][] = [];
    let destroyed = false;
    const stop = pushAgentEvents(
      (l) => {
        listener = l;
        return unsubscribe;
      },
      { isDestroyed: () => destroyed, send: (channel, payload) => void sent.push([channel, payload]) },
    );
    listener?.({ type: 'hello', version: '1' });
    expect(sent).toEqual([[EVENT_CHANNEL, { type: 'hello', version: '1' }]]);
    destroyed = true;
    listener?.({ type: 'hello', version: '2' });
    expect(sent).toHaveLength(1);
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    stop();
    expect(unsubscribe).toHaveBeenCalledTimes(1);
    expect(Object.values(CHANNELS)).not.toContain(EVENT_CHANNEL);
  });

  it('registers a handler per route that refuses untrusted senders and validates both ways', async () => {
    const registered = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
    const status = { branchId: 'b', storeName: 'Store', posId: 'p', mode: 'cashier', sourceType: 'POS', version: '1', demo: false, currency: 'NOK', locale: 'nb-NO', timeZone: 'Europe/Oslo', startedAt: 'x', online: { dintero: 'online', loyalty: 'offline' }, queue: { pending: 0, inFlight: 0, retry: 0, needsAttention: 0, done: 0 }, devices: { scanner: { id: 'none', state: 'not-configured', detail: 'x' }, printer: { id: 'none', state: 'not-configured', detail: 'x' } }, keyboardWedge: { prefixKey: null, suffixKeys: ['Enter'], maxInterKeyMs: 30, minLength: 6 } } as const;
    let answer: unknown = status;
    // Only get-status is exercised here; every other route is registered the same way.
    const handlers = { getStatus: () => Promise.resolve(answer as typeof status) } as unknown as TillBridge;
    registerIpcHandlers({ handle: ((channel: string, fn: never) => registered.set(channel, fn)) as never }, handlers, () => 'till');
    expect([...registered.keys()]).toEqual(Object.values(CHANNELS));
    const handler = registered.get('get-status');
    const trusted = { senderFrame: { url: surfaceUrl('cashier') } };
    await expect(handler?.(trusted, undefined)).resolves.toEqual({ ok: true, value: status });
    const untrusted = { ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/untrusted frame/) } };
    await expect(handler?.({ senderFrame: { url: 'https://evil.example/' } }, undefined)).resolves.toEqual(untrusted);
    await expect(handler?.({ senderFrame: null }, undefined)).resolves.toEqual(untrusted);
    await expect(handler?.(trusted, { unexpected: true })).resolves.toMatchObject({ ok: false, error: { code: 'SCHEMA_INVALID', message: expect.stringMatching(/Invalid input/), issues: [expect.any(String)] } });
    answer = { ...status, mode: 'drive-through' };
    await expect(handler?.(trusted, undefined)).resolves.toMatchObject({ ok: false, error: { code: 'SCHEMA_INVALID', message: expect.stringMatching(/mode/) } });
    expect(senderTrusted({ senderFrame: { url: 'app://till/index.html' } } as never)).toBe(true);
  });

  it('error codes cross IPC and the preload whole, and reach the page as ApiErrors with the same code', async () => {
    const registered = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
    let failure: Error = new TillError('UNAUTHORIZED', 'The manager session has ended; log in again.');
    const logged: unknown[] = [];
    const handlers = { managerSync: () => Promise.reject(failure) } as unknown as TillBridge;
    const logger = { error: (obj: unknown) => void logged.push(obj) } as unknown as Logger;
    registerIpcHandlers({ handle: ((channel: string, fn: never) => registered.set(channel, fn)) as never }, handlers, () => 'till', () => logger);
    const trusted = { senderFrame: { url: surfaceUrl('manager') } };
    // The main process, the preload and the page's client, joined as Electron joins them: by structured clone,
    // which keeps plain data and (for an Error) the message alone.
    const invoke = async (channel: string, input: unknown): Promise<unknown> => {
      const handler = registered.get(channel);
      if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      return structuredClone(await handler(trusted, structuredClone(input)));
    };
    const page = shellClient(buildShellBridge(invoke, () => () => undefined));
    const call = (): Promise<unknown> => page.managerSync({ session: 'x'.repeat(32) });
    await expect(call()).rejects.toMatchObject({ name: 'ApiError', code: 'UNAUTHORIZED', message: 'The manager session has ended; log in again.', status: undefined });
    failure = new TillError('BACKEND_UNREACHABLE', 'The loyalty back end cannot be reached.');
    await expect(call()).rejects.toMatchObject({ code: 'BACKEND_UNREACHABLE' });
    // A storage error that arrived untranslated keeps its documented code, as over HTTP.
    failure = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL', name: 'SqliteError' });
    await expect(call()).rejects.toMatchObject({ code: 'DB_FULL' });
    // Anything unexpected: INTERNAL, its text in the log only.
    failure = new Error('secret detail from deep inside');
    const internal = await call().catch((e: unknown) => e);
    expect(internal).toMatchObject({ code: 'INTERNAL' });
    expect((internal as Error).message).not.toContain('secret detail');
    expect(logged).toHaveLength(1);
    // No handler answered (the agent did not start): AGENT_UNREACHABLE, not a refusal.
    registered.clear();
    await expect(call()).rejects.toMatchObject({ code: 'AGENT_UNREACHABLE', message: expect.stringMatching(/did not answer manager-sync/) });
  });
});
