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
  printProvisional: 'print-provisional',
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
 * Who may call each route (issue 19, finding 8). `kiosk`: the calls the self-service kiosk screen makes
 * (renderer/kiosk/ and the loading in renderer/app/main.tsx), reachable with the kiosk token over HTTP and from
 * the kiosk window over IPC, and of course with the till's API token. `till`: everything else, only with the
 * API token (a cashier's or attendant's screen) or from a cashier or manager window; manager routes also need
 * the manager session. Staff actions at a kiosk (approving an age or weight check, clearing the help flag) are
 * `till`: the customer at the kiosk must not be able to make them. A customer may find an item by name, add it,
 * and change or remove their own basket's lines (renderer/kiosk/item-finder.tsx, kiosk-line.tsx). A Record over every route, so a new route
 * does not compile without a level; a route the kiosk screen starts to use must be added here on purpose.
 */
export type RouteLevel = 'kiosk' | 'till';

export const ROUTE_LEVELS: Readonly<Record<ChannelName, RouteLevel>> = {
  getStatus: 'kiosk',
  getSale: 'kiosk',
  scan: 'kiosk',
  addItem: 'kiosk',
  setQuantity: 'kiosk',
  voidLine: 'kiosk',
  identifyCustomer: 'kiosk',
  addTender: 'till',
  checkGiftCard: 'till',
  clearTenders: 'till',
  // "Start over" and the idle timer clear the customer's own basket; nothing paid is lost (see docs/local-api.md).
  cancelSale: 'kiosk',
  suspendSale: 'till',
  resumeSale: 'till',
  reprintReceipt: 'till',
  receiptLayout: 'till',
  priceCheck: 'till',
  searchItems: 'kiosk',
  getShift: 'till',
  openBusinessDay: 'till',
  closeBusinessDay: 'till',
  openShift: 'till',
  closeShift: 'till',
  requestHelp: 'kiosk',
  clearHelp: 'till',
  managerLogin: 'till',
  managerLogout: 'till',
  managerSync: 'till',
  managerRetry: 'till',
  managerResolve: 'till',
  managerWriteOff: 'till',
  managerRules: 'till',
  managerRefreshRules: 'till',
  managerExplainRule: 'till',
  managerDevices: 'till',
  managerTestPrint: 'till',
  managerOpenDrawer: 'till',
  managerDay: 'till',
  managerOpenDay: 'till',
  managerCloseDay: 'till',
  managerReport: 'till',
  managerPrintReport: 'till',
  managerTraining: 'till',
  managerCashWithdrawal: 'till',
  managerSettings: 'till',
  managerSaveSettings: 'till',
  approveSale: 'till',
  payByCard: 'kiosk',
  chooseReceipt: 'kiosk',
  printProvisional: 'till',
};

/** The routes the kiosk screen may call: the kiosk window's preload exposes exactly these. */
export const KIOSK_ROUTES: readonly ChannelName[] = (Object.keys(ROUTE_LEVELS) as ChannelName[]).filter((name) => ROUTE_LEVELS[name] === 'kiosk');

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
