import { describe, expect, it } from 'vitest';
import { surfaceUrl } from '../../../main/electron/app-protocol';
import { isManagerShortcut, ManagerWindowOpener } from '../../../main/electron/manager-window';
import { navigationAllowed } from '../../../main/electron/security';
import { windowOptions } from '../../../main/electron/window-options';

const key = (k: string, mods: Partial<{ type: string; control: boolean; alt: boolean; meta: boolean; shift: boolean }> = {}) => ({ type: 'keyDown', key: k, control: false, alt: false, meta: false, shift: false, ...mods });

class FakeWindow {
  destroyed = false;
  minimized = false;
  focused = 0;
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  focus(): void {
    this.focused += 1;
  }
}

describe('manager window', () => {
  it('opens on Ctrl+M only (key down, no other modifier)', () => {
    expect(isManagerShortcut(key('m', { control: true }))).toBe(true);
    expect(isManagerShortcut(key('M', { control: true }))).toBe(true);
    expect(isManagerShortcut(key('m', { control: true, type: 'keyUp' }))).toBe(false);
    expect(isManagerShortcut(key('m'))).toBe(false);
    expect(isManagerShortcut(key('m', { control: true, shift: true }))).toBe(false);
    expect(isManagerShortcut(key('m', { control: true, alt: true }))).toBe(false);
    expect(isManagerShortcut(key('n', { control: true }))).toBe(false);
  });

  it('keeps one manager window: a second Ctrl+M restores and focuses it; a closed one is made anew', () => {
    const made: FakeWindow[] = [];
    const opener = new ManagerWindowOpener(() => {
      const w = new FakeWindow();
      made.push(w);
      return w;
    });
    const first = opener.open();
    first.minimized = true;
    expect(opener.open()).toBe(first);
    expect(first).toMatchObject({ minimized: false, focused: 1 });
    first.destroyed = true;
    expect(opener.open()).not.toBe(first);
    expect(made).toHaveLength(2);
  });

  it('is a hardened, ordinary (not kiosk) window on the bundled manager screen', () => {
    expect(windowOptions('manager', 'p')).toMatchObject({ kiosk: false, title: 'till-agent manager', webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
    expect(surfaceUrl('manager')).toBe('app://till/index.html#/manager');
    expect(navigationAllowed(surfaceUrl('manager'))).toBe(true);
  });
});
