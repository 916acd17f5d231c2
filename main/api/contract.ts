import { z } from 'zod';
import { lazySchema } from '../core/lazy-schema';
import { CHANNELS, type ChannelName, type IpcResult } from './channels';
import {
  ManagerCashWithdrawalInputSchema,
  ManagerCashWithdrawalSchema,
  ManagerCloseDayInputSchema,
  ManagerCloseDaySchema,
  ManagerDaySchema,
  ManagerDeviceActionSchema,
  ManagerDevicesSchema,
  ManagerExplainRuleInputSchema,
  ManagerLoginInputSchema,
  ManagerLoginOutputSchema,
  ManagerOkSchema,
  ManagerOpenDayInputSchema,
  ManagerRefreshRulesSchema,
  ManagerReportInputSchema,
  ManagerReportSchema,
  ManagerResolveInputSchema,
  ManagerRetryInputSchema,
  ManagerRulesInputSchema,
  ManagerRulesSchema,
  ManagerSessionInputSchema,
  ManagerSettingsSchema,
  ManagerSaveSettingsInputSchema,
  ManagerSaveSettingsSchema,
  ManagerSyncSchema,
  ManagerTrainingInputSchema,
  ManagerTrainingSchema,
  ManagerWriteOffInputSchema,
  RuleDescriptionSchema,
} from './manager-contract';
import { ReceiptDocumentSchema, ReceiptLayoutInputSchema, ReceiptLayoutSchema } from './receipt-contract';
import type { CardPaymentViewSchema, CustomerViewSchema, RuleOutcomeViewSchema, SaleCheckViewSchema, SaleLineSchema, SaleNoticeCodeSchema } from './sale-view-contract';
import { BalanceViewSchema, ItemViewSchema, SaleNoticeSchema, SaleViewSchema, ShiftViewSchema } from './sale-view-contract';
import type { ConnectionStateSchema, DeviceStatusSchema, QueueCountsSchema } from './status-contract';
import { ReasonParamsSchema, StatusSchema } from './status-contract';

export * from './manager-contract';

/**
 * The one contract between the agent and its screens: zod schemas for every call and event, and the route
 * table that both the loopback HTTP server and the Electron preload are generated from. Types come from
 * z.infer, so the server, the preload and the renderer cannot drift apart.
 */

export { ERROR_REASONS, ERROR_REASON_CODES, isErrorReason, type ErrorReason, type ReasonParamKind } from '../core/error-reasons';
export { TILL_ERROR_CODES, type TillErrorCode } from '../core/errors';
export { ConnectionStateSchema, DeviceStatusSchema, QueueCountsSchema, ReasonedSchema, ReasonParamsSchema, StatusSchema } from './status-contract';

export { ReceiptDocumentSchema, ReceiptLayoutInputSchema, ReceiptLayoutSchema };
export { ApprovalViewSchema, BalanceViewSchema, CardPaymentViewSchema, CustomerViewSchema, ItemViewSchema, LineDiscountSchema, RuleOutcomeViewSchema, SaleCheckViewSchema, SaleLineSchema, SaleNoticeCodeSchema, SaleNoticeSchema, SaleViewSchema, ShiftViewSchema, SuspendedBasketSchema, TenderViewSchema } from './sale-view-contract';

/** Amounts on the wire are integer minor units of the till's currency. */
const MinorSchema = lazySchema(() => z.number().int());
const PositiveMinorSchema = lazySchema(() => z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

const Code = lazySchema(() => z.string().trim().min(1).max(200));
const Id = lazySchema(() => z.string().trim().min(1).max(255));

export const ScanInputSchema = lazySchema(() => z.strictObject({ code: Code }));
export const ScanOutputSchema = lazySchema(() => z.object({ ok: z.boolean(), notice: SaleNoticeSchema, sale: SaleViewSchema }));
export const AddItemInputSchema = lazySchema(() => z.strictObject({
  itemId: Id,
  quantity: z.number().int().min(1).max(9999).optional(),
  grams: z.number().int().min(1).max(1_000_000).optional(),
}));
export const SetQuantityInputSchema = lazySchema(() => z.strictObject({ lineId: z.number().int().positive(), quantity: z.number().int().min(1).max(9999) }));
export const LineInputSchema = lazySchema(() => z.strictObject({ lineId: z.number().int().positive() }));
const MemberNumber = lazySchema(() => z.string().trim().regex(/^\d{4,20}$/, 'a membership number is 4 to 20 digits'));
const Phone = lazySchema(() => z
  .string()
  .trim()
  .regex(/^\+?[\d\s().-]{6,24}$/, 'a phone number is digits, with an optional leading + and spaces or dashes')
  .refine((v) => v.replace(/\D/g, '').length >= 6, 'a phone number has at least 6 digits'));
/**
 * Who the customer is. A membership number, a phone number or a scanned member QR (`MEMBER:<number>`) is
 * looked up (the back ends online, the till's cache offline); `memberId`/`customerId` attach known ids as they
 * are (support, scripts); an empty object takes the customer off the sale. One way at a time.
 */
export const IdentifyCustomerInputSchema = lazySchema(() => z
  .strictObject({ memberId: Id.optional(), customerId: Id.optional(), memberNumber: MemberNumber.optional(), phone: Phone.optional(), qr: Code.optional() })
  .refine((v) => [v.memberNumber, v.phone, v.qr].filter((x) => x !== undefined).length <= 1, 'give one of memberNumber, phone or qr')
  .refine((v) => (v.memberNumber ?? v.phone ?? v.qr) === undefined || (v.memberId === undefined && v.customerId === undefined), 'give either ids or something to look up, not both'));
const CardNumber = lazySchema(() => z.string().trim().min(4, 'a gift card number has at least 4 characters').max(100));
/** A gift card's PIN, when the card has one: passed to Dintero with the call it belongs to, never stored or logged. */
// Dintero publishes no PIN format (its PinGenerator makes them): only a sane length is checked here.
const CardPin = lazySchema(() => z.string().trim().min(4, 'a gift card PIN has at least 4 characters').max(32));
export const TenderInputSchema = lazySchema(() => z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cash'), amount: PositiveMinorSchema.optional() }),
  /**
   * A card: on the till's integrated terminal, with the terminal's reference; or, at a till without one, on a
   * stand-alone terminal the cashier confirms approved the amount (`terminal: 'external'`, no reference to type).
   */
  z.discriminatedUnion('terminal', [
    z.strictObject({ kind: z.literal('card'), terminal: z.literal('integrated').optional(), amount: PositiveMinorSchema.optional(), terminalRef: z.string().trim().min(1).max(100) }),
    z.strictObject({ kind: z.literal('card'), terminal: z.literal('external'), amount: PositiveMinorSchema.optional() }),
  ]),
  /** An amount left out pays what is due, or the card's balance if that is less. */
  z.strictObject({ kind: z.literal('gift_card'), amount: PositiveMinorSchema.optional(), cardNumber: CardNumber, pin: CardPin.optional() }),
  /** The identified member's points (1 point = 1 minor unit); an amount left out pays what is due or all the points. */
  z.strictObject({ kind: z.literal('points'), amount: PositiveMinorSchema.optional() }),
]));
export const GiftCardCheckInputSchema = lazySchema(() => z.strictObject({ cardNumber: CardNumber, pin: CardPin.optional() }));
export const GiftCardCheckOutputSchema = lazySchema(() => z.object({
  status: z.enum(['found', 'not_found', 'unavailable']),
  maskedCard: z.string(),
  balance: BalanceViewSchema.optional(),
  reason: z.string().optional(),
}));
export const ApproveInputSchema = lazySchema(() => z.strictObject({ operatorId: Id }));
export const ReceiptChoiceInputSchema = lazySchema(() => z.strictObject({ print: z.boolean() }));
export const TenderOutputSchema = lazySchema(() => z.object({ committed: z.boolean(), receipt: ReceiptDocumentSchema.nullable(), sale: SaleViewSchema }));
export const ResumeInputSchema = lazySchema(() => z.strictObject({ id: Id }));
export const PriceCheckInputSchema = lazySchema(() => z.strictObject({ code: Code }));
export const PriceCheckOutputSchema = lazySchema(() => z.object({ item: ItemViewSchema.nullable(), notice: SaleNoticeSchema.nullable() }));
export const SearchItemsInputSchema = lazySchema(() => z.strictObject({ query: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(50).optional() }));
export const SearchItemsOutputSchema = lazySchema(() => z.object({ items: z.array(ItemViewSchema) }));
export const OpenShiftInputSchema = lazySchema(() => z.strictObject({ operatorId: Id, openingFloat: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional() }));
export const CloseShiftInputSchema = lazySchema(() => z.strictObject({ countedCash: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional() }));
export const CloseShiftOutputSchema = lazySchema(() => z.object({
  shiftId: z.number().int(),
  entries: z.number().int(),
  expectedCash: MinorSchema,
  countedCash: MinorSchema.nullable(),
  difference: MinorSchema.nullable(),
}));
const Empty = lazySchema(() => z.union([z.undefined(), z.strictObject({})]));

export const ApiErrorSchema = lazySchema(() => z.object({
  error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.string()).optional(), reason: z.string().optional(), params: ReasonParamsSchema.optional() }),
}));

export const EventSchema = lazySchema(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), status: StatusSchema }),
  z.object({ type: z.literal('hello'), version: z.string() }),
  z.object({ type: z.literal('sale'), sale: SaleViewSchema }),
]));

export type Status = z.infer<typeof StatusSchema>;
export type QueueCounts = z.infer<typeof QueueCountsSchema>;
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;
export type ApiError = z.infer<typeof ApiErrorSchema>;
export type SaleView = z.infer<typeof SaleViewSchema>;
export type SaleLine = z.infer<typeof SaleLineSchema>;
export type SaleNotice = z.infer<typeof SaleNoticeSchema>;
export type SaleNoticeCode = z.infer<typeof SaleNoticeCodeSchema>;
export type RuleOutcomeView = z.infer<typeof RuleOutcomeViewSchema>;
export type ReceiptDocumentView = z.infer<typeof ReceiptDocumentSchema>;
export type ReceiptLayoutView = z.infer<typeof ReceiptLayoutSchema>;
export type ItemView = z.infer<typeof ItemViewSchema>;
export type ShiftView = z.infer<typeof ShiftViewSchema>;
export type TenderInput = z.infer<typeof TenderInputSchema>;
export type IdentifyCustomerInput = z.infer<typeof IdentifyCustomerInputSchema>;
export type CustomerView = z.infer<typeof CustomerViewSchema>;
export type BalanceView = z.infer<typeof BalanceViewSchema>;
export type GiftCardCheck = z.infer<typeof GiftCardCheckOutputSchema>;
export type AgentEvent = z.infer<typeof EventSchema>;
export type SaleCheckView = z.infer<typeof SaleCheckViewSchema>;
export type CardPaymentView = z.infer<typeof CardPaymentViewSchema>;

type Route<I extends z.ZodType, O extends z.ZodType> = {
  readonly method: 'GET' | 'POST';
  readonly path: `/api/${string}`;
  /** Electron IPC channel, kebab-case, matching the route's name (from channels.ts). */
  readonly channel: (typeof CHANNELS)[ChannelName];
  readonly input: I;
  readonly output: O;
};

function route<I extends z.ZodType, O extends z.ZodType>(r: Route<I, O>): Route<I, O> {
  return r;
}

export const ROUTES = {
  getStatus: route({ method: 'GET', path: '/api/status', channel: CHANNELS.getStatus, input: z.undefined(), output: StatusSchema }),
  getSale: route({ method: 'GET', path: '/api/sale', channel: CHANNELS.getSale, input: z.undefined(), output: SaleViewSchema }),
  scan: route({ method: 'POST', path: '/api/sale/scan', channel: CHANNELS.scan, input: ScanInputSchema, output: ScanOutputSchema }),
  addItem: route({ method: 'POST', path: '/api/sale/items', channel: CHANNELS.addItem, input: AddItemInputSchema, output: SaleViewSchema }),
  setQuantity: route({ method: 'POST', path: '/api/sale/quantity', channel: CHANNELS.setQuantity, input: SetQuantityInputSchema, output: SaleViewSchema }),
  voidLine: route({ method: 'POST', path: '/api/sale/void-line', channel: CHANNELS.voidLine, input: LineInputSchema, output: SaleViewSchema }),
  identifyCustomer: route({ method: 'POST', path: '/api/sale/customer', channel: CHANNELS.identifyCustomer, input: IdentifyCustomerInputSchema, output: SaleViewSchema }),
  addTender: route({ method: 'POST', path: '/api/sale/tender', channel: CHANNELS.addTender, input: TenderInputSchema, output: TenderOutputSchema }),
  checkGiftCard: route({ method: 'POST', path: '/api/gift-card/check', channel: CHANNELS.checkGiftCard, input: GiftCardCheckInputSchema, output: GiftCardCheckOutputSchema }),
  clearTenders: route({ method: 'POST', path: '/api/sale/clear-tenders', channel: CHANNELS.clearTenders, input: Empty, output: SaleViewSchema }),
  cancelSale: route({ method: 'POST', path: '/api/sale/cancel', channel: CHANNELS.cancelSale, input: Empty, output: SaleViewSchema }),
  suspendSale: route({ method: 'POST', path: '/api/sale/suspend', channel: CHANNELS.suspendSale, input: Empty, output: SaleViewSchema }),
  resumeSale: route({ method: 'POST', path: '/api/sale/resume', channel: CHANNELS.resumeSale, input: ResumeInputSchema, output: SaleViewSchema }),
  reprintReceipt: route({ method: 'POST', path: '/api/sale/reprint', channel: CHANNELS.reprintReceipt, input: Empty, output: ReceiptDocumentSchema }),
  printProvisional: route({ method: 'POST', path: '/api/sale/provisional', channel: CHANNELS.printProvisional, input: Empty, output: ReceiptDocumentSchema }),
  receiptLayout: route({ method: 'POST', path: '/api/sale/receipt-layout', channel: CHANNELS.receiptLayout, input: ReceiptLayoutInputSchema, output: ReceiptLayoutSchema }),
  priceCheck: route({ method: 'POST', path: '/api/items/price-check', channel: CHANNELS.priceCheck, input: PriceCheckInputSchema, output: PriceCheckOutputSchema }),
  searchItems: route({ method: 'POST', path: '/api/items/search', channel: CHANNELS.searchItems, input: SearchItemsInputSchema, output: SearchItemsOutputSchema }),
  getShift: route({ method: 'GET', path: '/api/shift', channel: CHANNELS.getShift, input: z.undefined(), output: ShiftViewSchema }),
  openBusinessDay: route({ method: 'POST', path: '/api/shift/open-day', channel: CHANNELS.openBusinessDay, input: Empty, output: ShiftViewSchema }),
  closeBusinessDay: route({ method: 'POST', path: '/api/shift/close-day', channel: CHANNELS.closeBusinessDay, input: Empty, output: ShiftViewSchema }),
  openShift: route({ method: 'POST', path: '/api/shift/open', channel: CHANNELS.openShift, input: OpenShiftInputSchema, output: ShiftViewSchema }),
  closeShift: route({ method: 'POST', path: '/api/shift/close', channel: CHANNELS.closeShift, input: CloseShiftInputSchema, output: CloseShiftOutputSchema }),
  requestHelp: route({ method: 'POST', path: '/api/kiosk/help', channel: CHANNELS.requestHelp, input: Empty, output: SaleViewSchema }),
  clearHelp: route({ method: 'POST', path: '/api/kiosk/help-done', channel: CHANNELS.clearHelp, input: Empty, output: SaleViewSchema }),
  // Manager back office (manager-contract.ts): all POST, all but the login carry a manager session.
  managerLogin: route({ method: 'POST', path: '/api/manager/login', channel: CHANNELS.managerLogin, input: ManagerLoginInputSchema, output: ManagerLoginOutputSchema }),
  managerLogout: route({ method: 'POST', path: '/api/manager/logout', channel: CHANNELS.managerLogout, input: ManagerSessionInputSchema, output: ManagerOkSchema }),
  managerSync: route({ method: 'POST', path: '/api/manager/sync', channel: CHANNELS.managerSync, input: ManagerSessionInputSchema, output: ManagerSyncSchema }),
  managerRetry: route({ method: 'POST', path: '/api/manager/sync/retry', channel: CHANNELS.managerRetry, input: ManagerRetryInputSchema, output: ManagerSyncSchema }),
  managerResolve: route({ method: 'POST', path: '/api/manager/sync/resolve', channel: CHANNELS.managerResolve, input: ManagerResolveInputSchema, output: ManagerSyncSchema }),
  managerWriteOff: route({ method: 'POST', path: '/api/manager/sync/write-off', channel: CHANNELS.managerWriteOff, input: ManagerWriteOffInputSchema, output: ManagerSyncSchema }),
  managerRules: route({ method: 'POST', path: '/api/manager/rules', channel: CHANNELS.managerRules, input: ManagerRulesInputSchema, output: ManagerRulesSchema }),
  managerRefreshRules: route({ method: 'POST', path: '/api/manager/rules/refresh', channel: CHANNELS.managerRefreshRules, input: ManagerRulesInputSchema, output: ManagerRefreshRulesSchema }),
  managerExplainRule: route({ method: 'POST', path: '/api/manager/rules/explain', channel: CHANNELS.managerExplainRule, input: ManagerExplainRuleInputSchema, output: RuleDescriptionSchema }),
  managerDevices: route({ method: 'POST', path: '/api/manager/devices', channel: CHANNELS.managerDevices, input: ManagerSessionInputSchema, output: ManagerDevicesSchema }),
  managerTestPrint: route({ method: 'POST', path: '/api/manager/devices/test-print', channel: CHANNELS.managerTestPrint, input: ManagerSessionInputSchema, output: ManagerDeviceActionSchema }),
  managerOpenDrawer: route({ method: 'POST', path: '/api/manager/devices/open-drawer', channel: CHANNELS.managerOpenDrawer, input: ManagerSessionInputSchema, output: ManagerDeviceActionSchema }),
  managerDay: route({ method: 'POST', path: '/api/manager/day', channel: CHANNELS.managerDay, input: ManagerSessionInputSchema, output: ManagerDaySchema }),
  managerOpenDay: route({ method: 'POST', path: '/api/manager/day/open', channel: CHANNELS.managerOpenDay, input: ManagerOpenDayInputSchema, output: ManagerDaySchema }),
  managerCloseDay: route({ method: 'POST', path: '/api/manager/day/close', channel: CHANNELS.managerCloseDay, input: ManagerCloseDayInputSchema, output: ManagerCloseDaySchema }),
  managerReport: route({ method: 'POST', path: '/api/manager/report', channel: CHANNELS.managerReport, input: ManagerReportInputSchema, output: ManagerReportSchema }),
  managerPrintReport: route({ method: 'POST', path: '/api/manager/report/print', channel: CHANNELS.managerPrintReport, input: ManagerReportInputSchema, output: ManagerDeviceActionSchema }),
  managerTraining: route({ method: 'POST', path: '/api/manager/training', channel: CHANNELS.managerTraining, input: ManagerTrainingInputSchema, output: ManagerTrainingSchema }),
  managerCashWithdrawal: route({ method: 'POST', path: '/api/manager/cash-withdrawal', channel: CHANNELS.managerCashWithdrawal, input: ManagerCashWithdrawalInputSchema, output: ManagerCashWithdrawalSchema }),
  managerSettings: route({ method: 'POST', path: '/api/manager/settings', channel: CHANNELS.managerSettings, input: ManagerSessionInputSchema, output: ManagerSettingsSchema }),
  managerSaveSettings: route({ method: 'POST', path: '/api/manager/settings/save', channel: CHANNELS.managerSaveSettings, input: ManagerSaveSettingsInputSchema, output: ManagerSaveSettingsSchema }),
  approveSale: route({ method: 'POST', path: '/api/sale/approve', channel: CHANNELS.approveSale, input: ApproveInputSchema, output: SaleViewSchema }),
  payByCard: route({ method: 'POST', path: '/api/kiosk/pay-card', channel: CHANNELS.payByCard, input: Empty, output: SaleViewSchema }),
  chooseReceipt: route({ method: 'POST', path: '/api/kiosk/receipt', channel: CHANNELS.chooseReceipt, input: ReceiptChoiceInputSchema, output: SaleViewSchema }),
} as const;

export type RouteName = keyof typeof ROUTES;

// Every channel has a route and every route a channel: a mismatch fails to compile.
const _sameNames: [RouteName, ChannelName] extends [ChannelName, RouteName] ? true : never = true;
void _sameNames;
export type RouteInput<N extends RouteName> = z.input<(typeof ROUTES)[N]['input']>;
export type RouteOutput<N extends RouteName> = z.infer<(typeof ROUTES)[N]['output']>;

/** What the preload exposes as `window.till`, and what the renderer's HTTP client implements in a browser. */
export type TillBridge = {
  readonly [N in RouteName]: (input: RouteInput<N>) => Promise<RouteOutput<N>>;
};

/**
 * The routes of `window.till` under Electron: each answers an IpcResult, `{ok: true, value}` or `{ok: false,
 * error: {code, message}}`, because Electron drops an error's code between the processes. The renderer's
 * `shellClient` turns it back into a TillBridge that throws the code (renderer/shared/api-client.ts).
 */
export type TillShellRoutes = {
  readonly [N in RouteName]: (input: RouteInput<N>) => Promise<IpcResult<RouteOutput<N>>>;
};

/**
 * `window.till` under Electron: the routes, plus `onEvent`, which delivers the agent's events (the same ones
 * the WebSocket carries) and returns the function that stops them. Events arrive unparsed: the renderer parses
 * them with `EventSchema`, as it does the WebSocket's.
 */
export type TillShellBridge = TillShellRoutes & {
  readonly onEvent: (listener: (event: unknown) => void) => () => void;
};

/**
 * What a window's preload exposes as `window.till`: every route in a cashier or manager window
 * (TillShellBridge), the kiosk's routes only in the kiosk window (issue 19, finding 8; ROUTE_LEVELS in
 * channels.ts). A screen calling a route its window lacks gets FORBIDDEN from `shellClient`.
 */
export type ShellBridge = Partial<TillShellRoutes> & Pick<TillShellBridge, 'onEvent'>;

export { parseUnknown, SchemaParseError } from './parse-unknown';
