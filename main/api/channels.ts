/**
 * Route names and their Electron IPC channels, without schemas: the preload needs only these, and keeping zod
 * out of it keeps the sandboxed preload small. contract.ts pairs each name with its schemas.
 */
export const CHANNELS = {
  getStatus: 'get-status',
  getSale: 'get-sale',
  scan: 'scan',
  addItem: 'add-item',
  setQuantity: 'set-quantity',
  voidLine: 'void-line',
  identifyCustomer: 'identify-customer',
  addTender: 'add-tender',
  checkGiftCard: 'check-gift-card',
  clearTenders: 'clear-tenders',
  cancelSale: 'cancel-sale',
  suspendSale: 'suspend-sale',
  resumeSale: 'resume-sale',
  reprintReceipt: 'reprint-receipt',
  receiptLayout: 'receipt-layout',
  priceCheck: 'price-check',
  searchItems: 'search-items',
  getShift: 'get-shift',
  openBusinessDay: 'open-business-day',
  closeBusinessDay: 'close-business-day',
  openShift: 'open-shift',
  closeShift: 'close-shift',
  requestHelp: 'request-help',
  clearHelp: 'clear-help',
  // Manager back office (docs/local-api.md): every call but the login needs a manager session.
  managerLogin: 'manager-login',
  managerLogout: 'manager-logout',
  managerSync: 'manager-sync',
  managerRetry: 'manager-retry',
  managerResolve: 'manager-resolve',
  managerWriteOff: 'manager-write-off',
  managerRules: 'manager-rules',
  managerRefreshRules: 'manager-refresh-rules',
  managerExplainRule: 'manager-explain-rule',
  managerDevices: 'manager-devices',
  managerTestPrint: 'manager-test-print',
  managerOpenDrawer: 'manager-open-drawer',
  managerDay: 'manager-day',
  managerOpenDay: 'manager-open-day',
  managerCloseDay: 'manager-close-day',
  managerReport: 'manager-report',
  managerPrintReport: 'manager-print-report',
  managerTraining: 'manager-training',
  managerCashWithdrawal: 'manager-cash-withdrawal',
  managerSettings: 'manager-settings',
  managerSaveSettings: 'manager-save-settings',
  approveSale: 'approve-sale',
  payByCard: 'pay-by-card',
  chooseReceipt: 'choose-receipt',
} as const;

export type ChannelName = keyof typeof CHANNELS;

/**
 * The one channel the main process pushes on: every AgentEvent (sale, status) goes to the window on it, and
 * the preload hands them to `window.till.onEvent` listeners. Not a route: nothing is invoked on it.
 */
export const EVENT_CHANNEL = 'agent-event';

/**
 * The one error shape every transport carries: the HTTP body's `error`, an IPC failure, the WebSocket
 * refusal's body. `code` is a TillErrorCode (main/core/errors.ts) from the agent, or one of
 * CLIENT_ERROR_CODES that a client sets itself when the agent could not answer at all.
 */
export type ErrorBody = {
  readonly code: string;
  readonly message: string;
  readonly issues?: readonly string[];
  /** An ErrorReason (main/core/error-reasons.ts) and its parameters: the screen words these, not `message`. */
  readonly reason?: string;
  readonly params?: Readonly<Record<string, string | number>>;
};

/** Codes a client (the renderer's HTTP client, the preload) sets itself; the agent never sends them. */
export const CLIENT_ERROR_CODES = {
  /** No answer from the agent: it is not running, is restarting, or something else answered on its port. */
  agentUnreachable: 'AGENT_UNREACHABLE',
} as const;

/**
 * What an IPC route answers. Electron passes only an error's message through `ipcRenderer.invoke` and the
 * contextBridge (custom properties such as `code` are dropped: electron/electron#28346, docs/api/ipc-renderer.md
 * "invoke"), so the main process never throws to the page: it answers a plain object, which both copy intact.
 */
export type IpcResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorBody };
