import path from 'node:path';

/**
 * The screens load from the app bundle through a privileged custom scheme, never from a dev server or the
 * network: `app://till/<surface>`. Only files inside the renderer folder are served.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'till';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export type Surface = 'cashier' | 'kiosk' | 'manager';

export function surfaceUrl(surface: Surface): string {
  return `${APP_ORIGIN}/index.html#/${surface}`;
}

/** Maps an app:// URL to a file in the renderer folder, or undefined for anything outside it. */
export function resolveAppFile(url: string, rendererDir: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return undefined;
  const relative = decodeURIComponent(parsed.pathname).replace(/^\/+/, '') || 'index.html';
  const file = path.resolve(rendererDir, relative);
  const root = path.resolve(rendererDir) + path.sep;
  return file.startsWith(root) ? file : undefined;
}
