/**
 * The manager back office as its own window in the Electron shell: Ctrl+M on the cashier's window opens it (or
 * brings it to the front), so the till's screen stays as it was behind it. The kiosk never opens it from the
 * keyboard. Plain functions, tested without the Electron binary.
 */
export type ShortcutInput = { readonly type: string; readonly key: string; readonly control: boolean; readonly alt: boolean; readonly meta: boolean; readonly shift: boolean };

export function isManagerShortcut(input: ShortcutInput): boolean {
  return input.type === 'keyDown' && input.control && !input.alt && !input.meta && !input.shift && input.key.toLowerCase() === 'm';
}

export type ManagedWindow = { isDestroyed(): boolean; isMinimized(): boolean; restore(): void; focus(): void };

/** At most one manager window: opening again focuses the one there is; a closed one is made anew. */
export class ManagerWindowOpener<W extends ManagedWindow> {
  private current: W | undefined;

  constructor(private readonly create: () => W) {}

  open(): W {
    const existing = this.current;
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      existing.focus();
      return existing;
    }
    this.current = this.create();
    return this.current;
  }
}
