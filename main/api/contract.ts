import { z } from 'zod';
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

export * from './manager-contract';

/**
 * The one contract between the agent and its screens: zod schemas for every call and event, and the route
 * table that both the loopback HTTP server and the Electron preload are generated from. Types come from
 * z.infer, so the server, the preload and the renderer cannot drift apart.
 */

export const ConnectionStateSchema = z.enum(['online', 'offline', 'unconfigured']);

/**
 * A reason a screen words in its own language (main/core/error-reasons.ts lists them with their parameters):
 * a string on the wire, because a newer agent may send one this screen does not know (it falls back to a
 * generic sentence with the code). Money parameters are minor units.
 */
export const ReasonParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]));
export const ReasonedSchema = z.object({ reason: z.string(), params: ReasonParamsSchema });
export { ERROR_REASONS, ERROR_REASON_CODES, isErrorReason, type ErrorReason, type ReasonParamKind } from '../core/error-reasons';
export { TILL_ERROR_CODES, type TillErrorCode } from '../core/errors';

export const QueueCountsSchema = z.object({
  pending: z.number().int().nonnegative(),
  inFlight: z.number().int().nonnegative(),
  retry: z.number().int().nonnegative(),
  needsAttention: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
});

export const DeviceStatusSchema = z.object({
  id: z.string(),
  state: z.enum(['connected', 'disconnected', 'unavailable', 'not-configured']),
  detail: z.string(),
  /** The detail as a reason the screen words; absent when only the driver's own text is known. */
  reason: z.string().optional(),
  params: ReasonParamsSchema.optional(),
});

export const StatusSchema = z.object({
  branchId: z.string(),
  /** The store's name as customers know it (config `store.name`): the kiosk greets with it. */
  storeName: z.string(),
  posId: z.string(),
  mode: z.enum(['cashier', 'kiosk']),
  sourceType: z.enum(['POS', 'Kiosk']),
  version: z.string(),
  demo: z.boolean(),
  currency: z.string(),
  locale: z.string(),
  timeZone: z.string(),
  startedAt: z.string(),
  online: z.object({ dintero: ConnectionStateSchema, loyalty: ConnectionStateSchema }),
  queue: QueueCountsSchema,
  devices: z.object({ scanner: DeviceStatusSchema, printer: DeviceStatusSchema }),
  /** How the screen tells a keyboard-wedge scan from typing (config `devices.keyboardWedge`). */
  keyboardWedge: z.object({
    prefixKey: z.string().nullable(),
    suffixKeys: z.array(z.string()),
    maxInterKeyMs: z.number().int(),
    minLength: z.number().int(),
  }),
});

/** Amounts on the wire are integer minor units of the till's currency; the screen formats them with Intl. */
const MinorSchema = z.number().int();
const PositiveMinorSchema = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const LineDiscountSchema = z.object({ ruleId: z.string(), text: z.string(), amount: MinorSchema });

export const SaleLineSchema = z.object({
  lineId: z.number().int().positive(),
  itemId: z.string(),
  description: z.string(),
  unit: z.enum(['piece', 'weight']),
  /** Pieces, or kilograms for weight items. */
  quantity: z.number(),
  /** Pieces x 1000, or grams. */
  quantityMilli: z.number().int(),
  unitPrice: MinorSchema,
  gross: MinorSchema,
  net: MinorSchema,
  /** Each discount under the line it applies to, with its receipt text. */
  discounts: z.array(LineDiscountSchema),
});

export const RuleOutcomeViewSchema = z.object({
  ruleId: z.string(),
  name: z.string(),
  applied: z.boolean(),
  reason: z.string(),
  message: z.string(),
  /** The message as a reason with parameters, worded by the screen (the why panel's detail line). */
  detail: ReasonedSchema.optional(),
  amount: MinorSchema,
  bonus: MinorSchema,
});

/** A balance and when it was read: `cache` means the back end could not be asked and this is the last known figure. */
export const BalanceViewSchema = z.object({ amount: MinorSchema, asOf: z.string(), source: z.enum(['online', 'cache']) });

export const TenderViewSchema = z.object({
  kind: z.enum(['cash', 'card', 'card_external', 'gift_card', 'points']),
  amount: MinorSchema,
  /** The terminal reference of a card (none for `card_external`, a stand-alone terminal); a gift card's number masked to its last four characters. */
  reference: z.string().optional(),
  /** A value tender taken without the back end's confirmation (held to the offline limits). */
  offline: z.boolean().optional(),
  /** The card's or member's balance the tender was checked against. */
  balance: BalanceViewSchema.optional(),
});

/** The identified customer: a name when known, else the masked id; the points balance with its age. */
export const CustomerViewSchema = z.object({
  memberId: z.string().optional(),
  customerId: z.string().optional(),
  name: z.string().optional(),
  /** The membership number (or id) masked to its last four characters. */
  maskedId: z.string(),
  points: BalanceViewSchema.optional(),
});

/** What the cashier was told about the last action: the screen flashes and beeps on `error`. */
export const SaleNoticeCodeSchema = z.enum(['added', 'unknown-item', 'bad-barcode', 'weight-required', 'failed', 'member-lookup', 'member', 'unknown-member']);
export const SaleNoticeSchema = z.object({
  /** Increases with every notice, so the screen reacts to a repeated one (the same bad code twice). */
  seq: z.number().int().nonnegative(),
  level: z.enum(['info', 'error']),
  code: SaleNoticeCodeSchema,
  /** The code as scanned or typed, or the item name for `added`. */
  subject: z.string(),
  /** For `bad-barcode`: the barcode layer's error code (check-digit, truncated...), localised by the screen. */
  scanError: z.string().optional(),
  /** For `failed`: the agent's message (English, for logs; the screen words `reason`). */
  message: z.string().optional(),
  /** For `failed` and `unknown-member`: why, as a reason the screen words with its parameters. */
  reason: z.string().optional(),
  params: ReasonParamsSchema.optional(),
});

export const ReceiptDocumentSchema = z.object({
  kind: z.enum(['sale', 'void', 'refund']),
  receiptId: z.string(),
  saleNo: z.number().int(),
  refersTo: z.string().optional(),
  branchId: z.string(),
  posId: z.string(),
  operatorId: z.string(),
  purchaseAt: z.string(),
  currency: z.string(),
  memberId: z.string().optional(),
  lines: z.array(
    z.object({
      lineId: z.number().int(),
      description: z.string(),
      quantity: z.number(),
      unit: z.enum(['piece', 'weight']),
      unitPrice: MinorSchema,
      gross: MinorSchema,
      discounts: z.array(z.object({ text: z.string(), amount: MinorSchema })),
      net: MinorSchema,
    }),
  ),
  totals: z.object({ gross: MinorSchema, discount: MinorSchema, net: MinorSchema, vatTotal: MinorSchema }),
  vat: z.array(z.object({ rateBp: z.number().int(), gross: MinorSchema, vat: MinorSchema, net: MinorSchema })),
  /** `tendered`: cash handed over (a void or refund: paid back) where it differs from `amount`, the share of the total. */
  tenders: z.array(z.object({ kind: z.string(), amount: MinorSchema, tendered: MinorSchema.optional(), reference: z.string().optional(), offline: z.boolean() })),
  /** The cash rounding (docs/ledger.md), signed; absent when there is none. */
  rounding: z.number().int().optional(),
  change: MinorSchema,
  openDrawer: z.boolean(),
  ruleSetVersion: z.string(),
  copy: z.boolean().optional(),
  /** Made in training mode (docs/fiscal-no.md). */
  training: z.boolean().optional(),
  /** A provisional receipt, a bill before payment: no sale, titled as not valid as a receipt (docs/fiscal-no.md). */
  provisional: z.boolean().optional(),
});

/**
 * A receipt laid out as the printer prints it (native/printers/receipt-layout.ts), for the screen: one entry per
 * printed line, already padded to `columns`; blocks (logo, QR code, barcode) carry their placeholder text.
 */
export const ReceiptLayoutInputSchema = z.strictObject({ receiptId: z.string().min(1).max(100), copy: z.boolean().optional() });
export const ReceiptLayoutSchema = z.object({
  columns: z.number().int().positive(),
  lines: z.array(z.object({ kind: z.enum(['text', 'logo', 'qr', 'barcode']), text: z.string(), bold: z.boolean(), double: z.boolean() })),
});

export const ShiftViewSchema = z.object({
  businessDay: z.object({ id: z.number().int(), businessDate: z.string() }).nullable(),
  shift: z.object({ id: z.number().int(), operatorId: z.string(), openedAt: z.string() }).nullable(),
});

export const SuspendedBasketSchema = z.object({ id: z.string(), suspendedAt: z.string(), lines: z.number().int(), net: MinorSchema });

/** A line waiting for a person: an ID check (age), or at a kiosk staff checking a weighed item's label. */
export const SaleCheckViewSchema = z.object({
  kind: z.enum(['age', 'weight']),
  lineId: z.number().int().positive(),
  description: z.string(),
  ageLimit: z.number().int().positive().optional(),
  grams: z.number().int().positive().optional(),
});

export const ApprovalViewSchema = z.object({
  operatorId: z.string(),
  method: z.enum(['id-check', 'staff-approval']),
  at: z.string(),
  kinds: z.array(z.enum(['age', 'weight'])),
  verifiedAge: z.number().int().positive().optional(),
});

/** A kiosk card payment on the external terminal: waiting for the customer, declined, or charged but not saved. */
export const CardPaymentViewSchema = z.object({
  state: z.enum(['waiting', 'declined', 'error']),
  amount: MinorSchema,
  reason: z.string().optional(),
});

/** The basket as the agent holds it: a reloaded or crashed screen gets it back from here. */
export const SaleViewSchema = z.object({
  /** Increases with every change; the screen ignores an older view that arrives late. */
  revision: z.number().int().nonnegative(),
  currency: z.string(),
  lines: z.array(SaleLineSchema),
  customer: CustomerViewSchema.nullable(),
  totals: z.object({ gross: MinorSchema, discount: MinorSchema, net: MinorSchema, vatTotal: MinorSchema }),
  tenders: z.array(TenderViewSchema),
  paid: MinorSchema,
  remaining: MinorSchema,
  /**
   * What is still to pay in cash: the cash part rounded to the store's cash unit (docs/ledger.md, "Cash rounding")
   * less the cash already given; `remaining` when cash is not rounded.
   */
  cashDue: MinorSchema,
  /**
   * `integrated`: the till drives a card terminal (`CardTerminal`); `external`: a stand-alone terminal, the cashier
   * confirms its approval and the card tender carries no reference (docs/ledger.md, "External card terminal").
   */
  cardTerminal: z.enum(['integrated', 'external']),
  /** Rules that applied and why the others did not (the "why" view). */
  outcomes: z.array(RuleOutcomeViewSchema),
  ruleSetVersion: z.string(),
  suspended: z.array(SuspendedBasketSchema),
  notice: SaleNoticeSchema.nullable(),
  /** The receipt of the last committed sale, for the preview and reprint. */
  lastReceipt: ReceiptDocumentSchema.nullable(),
  shift: ShiftViewSchema,
  /** A kiosk customer asked for staff (help button); cleared by staff or when the sale ends. */
  help: z.object({ requestedAt: z.string() }).nullable(),
  /** Age and weight checks: while `pending` is not empty the basket is locked (no tender is taken). */
  checks: z.object({ mode: z.enum(['cashier', 'kiosk']), pending: z.array(SaleCheckViewSchema), approvals: z.array(ApprovalViewSchema) }),
  /** The kiosk's card payment in progress or its last failure; null when none. */
  payment: CardPaymentViewSchema.nullable(),
  /** A kiosk sale just paid whose receipt waits for the customer's choice (print or skip). */
  receiptOffer: z.object({ receiptId: z.string() }).nullable(),
});

export const ItemViewSchema = z.object({
  itemId: z.string(),
  name: z.string(),
  codes: z.array(z.string()),
  unit: z.enum(['piece', 'weight']),
  unitPrice: MinorSchema,
  vatRateBp: z.number().int(),
  eligibleForDiscount: z.boolean(),
});

const Code = z.string().trim().min(1).max(200);
const Id = z.string().trim().min(1).max(255);

export const ScanInputSchema = z.strictObject({ code: Code });
export const ScanOutputSchema = z.object({ ok: z.boolean(), notice: SaleNoticeSchema, sale: SaleViewSchema });
export const AddItemInputSchema = z.strictObject({
  itemId: Id,
  quantity: z.number().int().min(1).max(9999).optional(),
  grams: z.number().int().min(1).max(1_000_000).optional(),
});
export const SetQuantityInputSchema = z.strictObject({ lineId: z.number().int().positive(), quantity: z.number().int().min(1).max(9999) });
export const LineInputSchema = z.strictObject({ lineId: z.number().int().positive() });
const MemberNumber = z.string().trim().regex(/^\d{4,20}$/, 'a membership number is 4 to 20 digits');
const Phone = z
  .string()
  .trim()
  .regex(/^\+?[\d\s().-]{6,24}$/, 'a phone number is digits, with an optional leading + and spaces or dashes')
  .refine((v) => v.replace(/\D/g, '').length >= 6, 'a phone number has at least 6 digits');
/**
 * Who the customer is. A membership number, a phone number or a scanned member QR (`MEMBER:<number>`) is
 * looked up (the back ends online, the till's cache offline); `memberId`/`customerId` attach known ids as they
 * are (support, scripts); an empty object takes the customer off the sale. One way at a time.
 */
export const IdentifyCustomerInputSchema = z
  .strictObject({ memberId: Id.optional(), customerId: Id.optional(), memberNumber: MemberNumber.optional(), phone: Phone.optional(), qr: Code.optional() })
  .refine((v) => [v.memberNumber, v.phone, v.qr].filter((x) => x !== undefined).length <= 1, 'give one of memberNumber, phone or qr')
  .refine((v) => (v.memberNumber ?? v.phone ?? v.qr) === undefined || (v.memberId === undefined && v.customerId === undefined), 'give either ids or something to look up, not both');
const CardNumber = z.string().trim().min(4, 'a gift card number has at least 4 characters').max(100);
/** A gift card's PIN, when the card has one: passed to Dintero with the call it belongs to, never stored or logged. */
// Dintero publishes no PIN format (its PinGenerator makes them): only a sane length is checked here.
const CardPin = z.string().trim().min(4, 'a gift card PIN has at least 4 characters').max(32);
export const TenderInputSchema = z.discriminatedUnion('kind', [
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
]);
export const GiftCardCheckInputSchema = z.strictObject({ cardNumber: CardNumber, pin: CardPin.optional() });
export const GiftCardCheckOutputSchema = z.object({
  status: z.enum(['found', 'not_found', 'unavailable']),
  maskedCard: z.string(),
  balance: BalanceViewSchema.optional(),
  reason: z.string().optional(),
});
export const ApproveInputSchema = z.strictObject({ operatorId: Id });
export const ReceiptChoiceInputSchema = z.strictObject({ print: z.boolean() });
export const TenderOutputSchema = z.object({ committed: z.boolean(), receipt: ReceiptDocumentSchema.nullable(), sale: SaleViewSchema });
export const ResumeInputSchema = z.strictObject({ id: Id });
export const PriceCheckInputSchema = z.strictObject({ code: Code });
export const PriceCheckOutputSchema = z.object({ item: ItemViewSchema.nullable(), notice: SaleNoticeSchema.nullable() });
export const SearchItemsInputSchema = z.strictObject({ query: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(50).optional() });
export const SearchItemsOutputSchema = z.object({ items: z.array(ItemViewSchema) });
export const OpenShiftInputSchema = z.strictObject({ operatorId: Id, openingFloat: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional() });
export const CloseShiftInputSchema = z.strictObject({ countedCash: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional() });
export const CloseShiftOutputSchema = z.object({
  shiftId: z.number().int(),
  entries: z.number().int(),
  expectedCash: MinorSchema,
  countedCash: MinorSchema.nullable(),
  difference: MinorSchema.nullable(),
});
const Empty = z.union([z.undefined(), z.strictObject({})]);

export const ApiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.string()).optional(), reason: z.string().optional(), params: ReasonParamsSchema.optional() }),
});

export const EventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), status: StatusSchema }),
  z.object({ type: z.literal('hello'), version: z.string() }),
  z.object({ type: z.literal('sale'), sale: SaleViewSchema }),
]);

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

export class SchemaParseError extends Error {
  override readonly name = 'SchemaParseError';
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`Invalid input: ${issues.join('; ')}`);
    this.issues = issues;
  }
}

/** Parses with a schema and throws one error that lists every failing path (Signal's parseUnknown). */
export function parseUnknown<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new SchemaParseError(result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`));
}
