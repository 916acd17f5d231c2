import type { Event, HandlerDetails, OnHeadersReceivedListenerDetails, Session, WebContents } from 'electron';
import { APP_ORIGIN } from './app-protocol';

/** The CSP for app:// pages: bundle scripts and styles only, no remote anything. */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Only the app's own pages may be shown; a link, a redirect or script cannot take the window elsewhere. */
export function navigationAllowed(url: string): boolean {
  try {
    // Custom schemes have an opaque origin ("null"), so compare scheme and host instead.
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

export function denyWindowOpen(_details: HandlerDetails): { action: 'deny' } {
  return { action: 'deny' };
}

/** Camera, microphone, geolocation, notifications, HID/serial from the page...: the till's screens need none. */
export function permissionRequestHandler(_wc: WebContents | null, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

export function permissionCheckHandler(): boolean {
  return false;
}

export function withCsp(details: OnHeadersReceivedListenerDetails): { responseHeaders: Record<string, string[]> } {
  const headers: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(details.responseHeaders ?? {})) headers[k] = Array.isArray(v) ? v : [String(v)];
  headers['Content-Security-Policy'] = [APP_CSP];
  return { responseHeaders: headers };
}

/** Applies the navigation, window-open and permission rules to a window's contents and session. */
export function hardenContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>): void {
  contents.on('will-navigate', (event: Event, url: string) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event: Event, url: string) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event: Event) => event.preventDefault());
  contents.setWindowOpenHandler(denyWindowOpen);
}

export function hardenSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'webRequest'>): void {
  session.setPermissionRequestHandler(permissionRequestHandler);
  session.setPermissionCheckHandler(permissionCheckHandler);
  session.webRequest.onHeadersReceived((details, callback) => callback(withCsp(details)));
}

/** Keys of Chromium's own that navigate or reload (media keyboards, some touch-screen bezels). */
const BROWSER_KEYS = new Set(['browserback', 'browserforward', 'browserrefresh', 'browserhome', 'browsersearch', 'browserfavorites', 'browserstop']);

/**
 * Keyboard shortcuts that would leave a kiosk for the operating system, reload it, open dev tools, zoom it or
 * navigate it. A kiosk has no keyboard for people (scanners type digits and Enter), so this errs on the side of
 * blocking. Alt+Tab, Ctrl+Alt+Del and the OS key are taken by the operating system before the window sees
 * them (docs/electron.md says how to lock those down); blocking them here covers the systems that do pass them.
 */
export function kioskShortcutBlocked(input: { key: string; control: boolean; alt: boolean; meta: boolean; shift?: boolean }): boolean {
  const key = input.key.toLowerCase();
  if (input.meta) return true;
  // Alt+F4 (close), Alt+Tab, Alt+Space (window menu), Alt+Left/Right (history), Alt+Home...: no Alt combination is needed.
  if (input.alt) return true;
  // Ctrl+W/Q close, R reload, N/T new window, P print, O open, L location, +/-/0 zoom, Shift+I/J/C dev tools...
  if (input.control) return true;
  // Every function key: F5 reload, F11 full screen, F12 dev tools, F3 find, F7 caret browsing.
  if (/^f\d{1,2}$/.test(key)) return true;
  if (BROWSER_KEYS.has(key)) return true;
  return key === 'escape' || key === 'contextmenu';
}
