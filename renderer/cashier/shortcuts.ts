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
  | 'giftCard'
  | 'points'
  | 'reprint'
  | 'voidLine'
  | 'lineUp'
  | 'lineDown'
  | 'close';

/** `ctrl`: pressed with Ctrl (the function keys are all taken; F1, F5, F11 and F12-less keyboards aside). */
export type Shortcut = { readonly action: CashierAction; readonly key: string; readonly label: string; readonly ctrl?: boolean };

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
  { action: 'giftCard', key: 'g', label: 'Ctrl+G', ctrl: true },
  { action: 'points', key: 'o', label: 'Ctrl+O', ctrl: true },
  { action: 'voidLine', key: 'Delete', label: 'Del' },
  { action: 'reprint', key: 'p', label: 'Ctrl+P', ctrl: true },
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
  if (e.ctrlKey) return SHORTCUTS.find((s) => s.ctrl === true && s.key === e.key.toLowerCase())?.action;
  if (e.key === 'Delete') return ctx.scanText === '' ? 'voidLine' : undefined;
  if (e.key === 'ArrowUp') return 'lineUp';
  if (e.key === 'ArrowDown') return 'lineDown';
  const found = SHORTCUTS.find((s) => s.key === e.key && s.ctrl !== true && s.action !== 'voidLine');
  return found?.action;
}
