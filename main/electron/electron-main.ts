import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, safeStorage, session } from 'electron';
import type { Agent } from '../agent/start-agent';
import { TillError } from '../core/errors';
import { useOwnerOnlyUmask } from '../agent/owner-only-umask';
import { bootAgent } from './boot-agent';
import { pushAgentEvents } from './event-push';
import { APP_SCHEME, resolveAppFile, type Surface, surfaceUrl } from './app-protocol';
import { registerIpcHandlers } from './ipc';
import { lockKioskWindow } from './kiosk-lock';
import { isManagerShortcut, ManagerWindowOpener } from './manager-window';
import { RendererRecovery } from './renderer-recovery';
import { hardenContents, hardenSession } from './security';
import { preloadFile, windowOptions } from './window-options';
import { roleOfSurface, WindowRoles } from './window-roles';

/**
 * The Electron shell: one instance per till, the agent core started in-process, the screens loaded from the
 * bundle over app://, every window hardened. Everything this file decides is a plain function elsewhere in
 * this folder, tested without the Electron binary.
 */
useOwnerOnlyUmask();
const rendererDir = path.join(__dirname, '..', 'renderer');
// Which window may call which route over IPC: set when each window is made (window-roles.ts).
const windowRoles = new WindowRoles();

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function boot(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  let agent: Agent;
  let startAtLogin = false;
  try {
    const booted = await bootAgent({ safeStorage, configFile: argValue('--config'), dataDir: argValue('--data-dir'), rendererDir });
    startAtLogin = booted.config.startAtLogin;
    agent = booted.agent;
  } catch (err) {
    const message = err instanceof TillError ? `${err.message}\n\n${err.fix ?? ''}` : String(err);
    dialog.showErrorBox('till-agent cannot start', message);
    app.exit(1);
    return;
  }

  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveAppFile(request.url, rendererDir);
    if (!file || !fs.existsSync(file)) return new Response('Not found', { status: 404 });
    return net.fetch(`file://${file}`);
  });
  hardenSession(session.defaultSession);
  registerIpcHandlers(ipcMain, agent.handlers, (event) => windowRoles.roleOf(event), () => agent.log.logger);

  const surface: Surface = agent.status().mode === 'kiosk' ? 'kiosk' : 'cashier';
  const win = createWindow(surface);
  if (surface === 'cashier') {
    // Ctrl+M opens the manager back office in its own window; the page never sees the key.
    const manager = new ManagerWindowOpener(() => {
      const w = createWindow('manager');
      pushAgentEvents((listener) => agent.subscribe(listener), w.webContents);
      w.once('ready-to-show', () => w.show());
      void w.loadURL(surfaceUrl('manager'));
      return w;
    });
    win.webContents.on('before-input-event', (event, input) => {
      if (!isManagerShortcut(input)) return;
      event.preventDefault();
      manager.open();
    });
  }
  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });
  if (surface === 'kiosk') {
    // No application menu at all: its accelerators (reload, dev tools, zoom, full screen) are a way out.
    Menu.setApplicationMenu(null);
    lockKioskWindow(win, () => quitting);
  }
  // Agent events (sale, status) reach the screen on the one event channel; no polling.
  pushAgentEvents((listener) => agent.subscribe(listener), win.webContents);
  win.once('ready-to-show', () => win.show());
  watchRenderer(win, surfaceUrl(surface));
  await win.loadURL(surfaceUrl(surface));
  app.setLoginItemSettings({ openAtLogin: startAtLogin });

  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('web-contents-created', (_e, contents) => hardenContents(contents));
  app.on('window-all-closed', () => {
    void agent.close().finally(() => app.quit());
  });
}

function createWindow(surface: Surface): BrowserWindow {
  const options = windowOptions(surface, path.join(__dirname, preloadFile(surface)));
  // The hardening flags repeated at the construction site, so a reviewer (or a scanner such as
  // electronegativity) sees them where the window is made; windowOptions is where they are tested.
  const win = new BrowserWindow({
    ...options,
    webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick' },
  });
  hardenContents(win.webContents);
  windowRoles.assign(win.webContents, roleOfSurface(surface));
  return win;
}

/** Reloads a crashed or hung screen; the basket lives in the agent, so the reloaded screen shows it again. */
function watchRenderer(win: BrowserWindow, url: string): void {
  const recovery = new RendererRecovery();
  const act = (action: ReturnType<RendererRecovery['onGone']>): void => {
    if (action.kind === 'reload') void win.loadURL(url);
    if (action.kind === 'give-up') dialog.showErrorBox('till-agent: the screen keeps stopping', `${action.reason}\nRestart the till; if it happens again, call support.`);
  };
  win.webContents.on('render-process-gone', (_e, details) => act(recovery.onGone(details.reason, Date.now())));
  win.on('unresponsive', () => recovery.onUnresponsive(Date.now()));
  win.on('responsive', () => recovery.onResponsive());
  setInterval(() => {
    if (recovery.checkHang(Date.now()).kind === 'kill') win.webContents.forcefullyCrashRenderer();
  }, 2_000).unref();
}

void boot();
