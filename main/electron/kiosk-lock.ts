import type { Event, Input } from 'electron';
import { kioskShortcutBlocked } from './security';

/** The parts of a BrowserWindow the kiosk lock uses (a plain object in the unit tests). */
export type KioskWindow = {
  on(event: 'close' | 'leave-full-screen', listener: (event: Event) => void): unknown;
  setKiosk(flag: boolean): void;
  setFullScreen(flag: boolean): void;
  readonly webContents: {
    on(event: 'before-input-event', listener: (event: Event, input: Input) => void): unknown;
    setVisualZoomLevelLimits(min: number, max: number): Promise<void>;
  };
};

/**
 * Locks a kiosk window beyond what its options set (window-options.ts: kiosk, full-screen, not closable, no
 * dev tools): shortcuts that would leave are swallowed before the page or the menu sees them, the window
 * cannot be closed except by the app quitting (Alt+F4 on Windows arrives as a close request, not as keys),
 * it returns to kiosk full-screen if anything takes it out, and a touch screen cannot pinch-zoom it. It is not
 * made always-on-top and does not grab the focus back: the shell's own error dialogs (a screen that keeps
 * crashing) must stay visible above it; kiosk mode already covers the desktop.
 */
export function lockKioskWindow(win: KioskWindow, quitting: () => boolean): void {
  win.webContents.on('before-input-event', (event, input) => {
    if (kioskShortcutBlocked(input)) event.preventDefault();
  });
  win.on('close', (event) => {
    if (!quitting()) event.preventDefault();
  });
  win.on('leave-full-screen', () => {
    win.setKiosk(true);
    win.setFullScreen(true);
  });
  void win.webContents.setVisualZoomLevelLimits(1, 1);
}
