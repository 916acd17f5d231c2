import type { BrowserWindowConstructorOptions } from 'electron';
import type { Surface } from './app-protocol';

/**
 * The preload file (next to the main bundle) a surface's window gets: the kiosk's exposes only the kiosk's
 * routes (kiosk.preload.ts, issue 19, finding 8); the cashier and manager windows get every route.
 */
export function preloadFile(surface: Surface): 'kiosk-preload.cjs' | 'preload.cjs' {
  return surface === 'kiosk' ? 'kiosk-preload.cjs' : 'preload.cjs';
}

/**
 * The options every till window is created with (DESIGN.md §7): an isolated, sandboxed renderer without Node,
 * that can only talk to the agent through the preload's `window.till`. The kiosk is full-screen and locked.
 */
export function windowOptions(surface: Surface, preloadPath: string): BrowserWindowConstructorOptions {
  const kiosk = surface === 'kiosk';
  return {
    width: 1280,
    height: 800,
    minWidth: 800,
    minHeight: 600,
    show: false,
    backgroundColor: '#0f172a',
    title: `till-agent ${surface}`,
    autoHideMenuBar: true,
    kiosk,
    fullscreen: kiosk,
    closable: !kiosk,
    minimizable: !kiosk,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click (auxclick) could open a link in a new window before the window-open handler sees it.
      disableBlinkFeatures: 'Auxclick',
      devTools: !kiosk,
    },
  };
}
