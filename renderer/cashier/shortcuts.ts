/**
 * The cashier's keys. Function keys, because they never type into the scan field and every till keyboard
 * has them; Delete voids the selected line only when the scan field is empty, so it still edits text.
 * F1 (help), F5 (reload), F11 (full screen) and F12 (developer tools) are left alone: the browser or shell owns them.
 */
export type CashierAction =
  | 'quantity'
  | 'priceCheck'
  | 'search'
  | 'customer'
  | 'why'
  | 'suspend'
  | 'resume'
  | 'cash'
  | 'card'
  | 'reprint'
  | 'voidLine'
  | 'lineUp'
  | 'lineDown'
  | 'close';

export type Shortcut = { readonly action: CashierAction; readonly key: string; readonly label: string };

/** In the order the action bar shows them. */
export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'quantity', key: 'F2', label: 'F2' },
  { action: 'priceCheck', key: 'F3', label: 'F3' },
  { action: 'search', key: 'F4', label: 'F4' },
  { action: 'customer', key: 'F6', label: 'F6' },
  { action: 'why', key: 'F7', label: 'F7' },
  { action: 'suspend', key: 'F8', label: 'F8' },
  { action: 'resume', key: 'F9', label: 'F9' },
  { action: 'cash', key: 'F10', label: 'F10' },
  { action: 'card', key: 'F12', label: 'F12' },
  { action: 'voidLine', key: 'Delete', label: 'Del' },
  { action: 'reprint', key: 'p', label: 'Ctrl+P' },
];

export type KeyInfo = { readonly key: string; readonly ctrlKey: boolean; readonly altKey: boolean; readonly metaKey: boolean; readonly shiftKey: boolean };

export type KeyContext = {
  /** A dialog (quantity, tender...) is open: only Escape acts, its own fields take the rest. */
  readonly dialogOpen: boolean;
  /** What is typed in the scan field; Delete edits it while it has text. */
  readonly scanText: string;
};

export function actionFor(e: KeyInfo, ctx: KeyContext): CashierAction | undefined {
  if (e.key === 'Escape') return 'close';
  if (ctx.dialogOpen || e.altKey || e.metaKey) return undefined;
  if (e.ctrlKey) return e.key.toLowerCase() === 'p' ? 'reprint' : undefined;
  if (e.key === 'Delete') return ctx.scanText === '' ? 'voidLine' : undefined;
  if (e.key === 'ArrowUp') return 'lineUp';
  if (e.key === 'ArrowDown') return 'lineDown';
  const found = SHORTCUTS.find((s) => s.key === e.key && s.action !== 'reprint' && s.action !== 'voidLine');
  return found?.action;
}
