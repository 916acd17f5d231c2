/**
 * The cashier's keys. Function keys, because they never type into the scan field and every till keyboard
 * has them; Delete voids the selected line and Ctrl+Delete cancels the sale only when the scan field is empty,
 * so they still edit text. F1 (help), F5 (reload) and F11 (full screen) are left alone: the browser or shell owns them.
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
  | 'provisional'
  | 'voidLine'
  | 'cancelSale'
  | 'approve'
  | 'helpDone'
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
  // A bill before payment (docs/fiscal-no.md): B for bill.
  { action: 'provisional', key: 'b', label: 'Ctrl+B', ctrl: true },
  { action: 'cancelSale', key: 'delete', label: 'Ctrl+Del', ctrl: true },
];

/**
 * Keys of the buttons that appear only when needed, in their banner (not in the action bar): the ID check or a
 * kiosk's approval, and "helped" for a kiosk's call for staff.
 */
export const BANNER_SHORTCUTS: readonly Shortcut[] = [
  { action: 'approve', key: 'i', label: 'Ctrl+I', ctrl: true },
  { action: 'helpDone', key: 'h', label: 'Ctrl+H', ctrl: true },
];

/** The label of an action's key, for buttons and `aria-keyshortcuts`. */
export function keyLabel(action: CashierAction): string | undefined {
  return [...SHORTCUTS, ...BANNER_SHORTCUTS].find((s) => s.action === action)?.label;
}

/** `aria-keyshortcuts` wants `Control+I`, not the keycap text. */
export function ariaKeys(action: CashierAction): string | undefined {
  return keyLabel(action)?.replace('Ctrl+', 'Control+').replace('Del', 'Delete');
}

export type KeyInfo = { readonly key: string; readonly ctrlKey: boolean; readonly altKey: boolean; readonly metaKey: boolean; readonly shiftKey: boolean };

export type KeyContext = {
  /** A dialog (quantity, tender...) is open: only Escape acts, its own fields take the rest. */
  readonly dialogOpen: boolean;
  /** What is typed in the scan field; Delete and Ctrl+Delete edit it while it has text. */
  readonly scanText: string;
};

export function actionFor(e: KeyInfo, ctx: KeyContext): CashierAction | undefined {
  if (e.key === 'Escape') return 'close';
  if (ctx.dialogOpen || e.altKey || e.metaKey) return undefined;
  if (e.key === 'Delete' && ctx.scanText !== '') return undefined;
  if (e.ctrlKey) return [...SHORTCUTS, ...BANNER_SHORTCUTS].find((s) => s.ctrl === true && s.key === e.key.toLowerCase())?.action;
  if (e.key === 'Delete') return 'voidLine';
  if (e.key === 'ArrowUp') return 'lineUp';
  if (e.key === 'ArrowDown') return 'lineDown';
  const found = SHORTCUTS.find((s) => s.key === e.key && s.ctrl !== true && s.action !== 'voidLine');
  return found?.action;
}
