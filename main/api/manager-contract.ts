import { z } from 'zod';
import { lazySchema } from '../core/lazy-schema';
import { DAYS, REWARD_TYPES } from '../core/discounts/schema';

/**
 * The manager back office's part of the contract (contract.ts puts these routes in ROUTES). Every manager call
 * is a POST that carries the session id a PIN login issued, next to the API token; without a live session the
 * agent answers 401. Amounts are integer minor units; times ISO-8601.
 */

const Minor = lazySchema(() => z.number().int());
const Count = lazySchema(() => z.number().int().nonnegative());
export const ManagerSessionIdSchema = lazySchema(() => z.string().min(16).max(100));
const Session = lazySchema(() => z.strictObject({ session: ManagerSessionIdSchema }));
const Iso = lazySchema(() => z.string());

export const ManagerLoginInputSchema = lazySchema(() => z.strictObject({ pin: z.string().max(64) }));
export const ManagerLoginOutputSchema = lazySchema(() => z.discriminatedUnion('result', [
  z.object({ result: z.literal('ok'), session: ManagerSessionIdSchema, idleTimeoutMs: Count }),
  z.object({ result: z.literal('wrong-pin'), attemptsLeft: Count }),
  z.object({ result: z.literal('locked'), retryAfterMs: Count }),
  z.object({ result: z.literal('no-pin') }),
]));

export const ManagerSessionInputSchema = lazySchema(() => Session);
export const ManagerOkSchema = lazySchema(() => z.object({ ok: z.literal(true) }));

export const ManagerSyncSchema = lazySchema(() => z.object({
  currency: z.string(),
  counts: z.object({ pending: Count, inFlight: Count, retry: Count, needsAttention: Count, done: Count }),
  oldestPendingAgeMs: Count.nullable(),
  needsAttention: z.array(
    z.object({
      id: z.number().int().positive(),
      kind: z.string(),
      ref: z.string(),
      reasonCode: z.enum(['rejected', 'uncertain', 'held']).nullable(),
      reason: z.string().nullable(),
      amountAtRisk: Minor,
      since: Iso,
      /** The effects waiting for the manager, each settled on its own (docs/sync.md, "Manager actions"). */
      effects: z.array(
        z.object({
          seq: z.number().int().nonnegative(),
          kind: z.string(),
          reasonCode: z.enum(['rejected', 'uncertain', 'held']).nullable(),
          reason: z.string().nullable(),
          amountAtRisk: Minor,
          /** Receipts and Loyalty transactions: retry or write off, never resolve. */
          mandated: z.boolean(),
          /** What the till recommends, in words: from the balance reads of an uncertain payment, the refusal otherwise. */
          recommendation: z.string().nullable(),
          /** The recommended button (main/sync/outbox/recommend.ts); `wait`: settle the effect this one waits for. */
          action: z.enum(['retry', 'resolve', 'write_off', 'wait']),
        }),
      ),
    }),
  ),
  /** Payments whose outcome the till is checking by itself right now. */
  checking: Count,
  /** At risk in envelopes needing attention. */
  exposure: Minor,
  /** Open offline exposure in every envelope not yet delivered. */
  openExposure: Minor,
}));

/** `seq` names one effect of envelope `id`; without it, retry tries every effect of the envelope that waits. */
export const ManagerRetryInputSchema = lazySchema(() => z.strictObject({ session: ManagerSessionIdSchema, id: z.number().int().positive(), seq: z.number().int().nonnegative().optional(), note: z.string().trim().max(500).optional() }));
/** Without `seq`, allowed only when exactly one effect of the envelope can be resolved. */
export const ManagerResolveInputSchema = lazySchema(() => z.strictObject({ session: ManagerSessionIdSchema, id: z.number().int().positive(), seq: z.number().int().nonnegative().optional(), note: z.string().trim().min(1).max(500) }));
/** A receipt or Loyalty transaction the back end will never take: written off with a note, counted in the day's report. */
export const ManagerWriteOffInputSchema = lazySchema(() => z.strictObject({ session: ManagerSessionIdSchema, id: z.number().int().positive(), seq: z.number().int().nonnegative(), note: z.string().trim().min(1).max(500) }));

export const RuleDescriptionSchema = lazySchema(() => z.object({
  id: z.string(),
  name: z.string(),
  active: z.boolean(),
  kind: z.enum(['item', 'receipt']),
  receiptText: z.string().nullable(),
  validFrom: z.string(),
  validTo: z.string(),
  customers: z.string(),
  reward: z.string(),
  requirement: z.string(),
  limitation: z.string(),
  /** The rule as facts the screen words in its language (main/core/discounts/describe-rule.ts). */
  facts: z.object({
    kind: z.enum(['item', 'receipt']),
    reward: z.object({
      type: z.enum(REWARD_TYPES),
      value: z.number(),
      perItemValues: z.number().int(),
      bonus: z.boolean(),
      base: z.enum(['net', 'gross']).nullable(),
    }),
    validFrom: z.string(),
    validTo: z.string(),
    audience: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('everyone') }),
      z.object({ kind: z.literal('members') }),
      z.object({ kind: z.literal('non-members') }),
      z.object({ kind: z.literal('customers'), count: z.number().int(), alsoNonMembers: z.boolean() }),
      z.object({ kind: z.literal('nobody') }),
    ]),
    stores: z.array(z.string()).readonly(),
    otherStoreConditions: z.boolean(),
    minimumGross: z.number().int().nullable(),
    minimumNet: z.number().int().nullable(),
    minimumQuantity: z.number().int().nullable(),
    itemCount: z.number().int(),
    mixCount: z.number().int(),
    needsDiscountCode: z.boolean(),
    stampsNeeded: z.number().int().nullable(),
    customerConditions: z.boolean(),
    currencies: z.object({ only: z.array(z.string()).readonly(), except: z.array(z.string()).readonly() }),
    usesPerCustomer: z.number().int().nullable(),
    combinesWithOthers: z.boolean(),
    hours: z.array(z.object({ day: z.enum(DAYS), start: z.string(), end: z.string() })).readonly(),
    hoursTimeZone: z.string().nullable(),
    excludedItems: z.number().int(),
  }),
}));

export const ManagerRulesInputSchema = lazySchema(() => z.strictObject({ session: ManagerSessionIdSchema, query: z.string().max(100).optional() }));
export const ManagerRulesSchema = lazySchema(() => z.object({
  /** Null when nothing is cached yet. */
  version: z.string().nullable(),
  fetchedAt: Iso.nullable(),
  ageMs: Count.nullable(),
  ruleCount: Count,
  /** False when no Dintero connection is configured: there is nothing to pull from. */
  canRefresh: z.boolean(),
  /** The rules matching the query (all of them, up to 50, without one). */
  matches: z.array(RuleDescriptionSchema),
}));
export const ManagerRefreshRulesSchema = lazySchema(() => z.object({ ok: z.boolean(), error: z.string().optional(), rules: ManagerRulesSchema }));
export const ManagerExplainRuleInputSchema = lazySchema(() => z.strictObject({ session: ManagerSessionIdSchema, id: z.string().trim().min(1).max(255) }));

export const ManagerDevicesSchema = lazySchema(() => z.object({
  /** `configuredAs`: the same as a reason with parameters, which the screen words (docs/renderer.md). */
  scanner: z.object({ configured: z.string(), configuredAs: z.object({ reason: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) }).optional() }),
  printer: z.object({
    configured: z.string(),
    configuredAs: z.object({ reason: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) }).optional(),
    widthMm: z.union([z.literal(58), z.literal(80)]),
  }),
  /** The drawer opens through the receipt printer's drawer port. */
  drawer: z.object({ supported: z.boolean(), reason: z.string().optional() }),
}));
export const ManagerDeviceActionSchema = lazySchema(() => z.object({ queued: z.literal(true), jobId: z.number().int().positive() }));

const CountAmount = lazySchema(() => z.object({ count: Count, amount: Minor }));
export const FiscalCountsSchema = lazySchema(() => z.object({
  salesReceipts: Count,
  returnReceipts: Count,
  voidReceipts: Count,
  copies: Count,
  provisionalReceipts: Count,
  drawerOpeningsWithoutSale: Count,
  cancelledSales: Count,
  lineDeletions: Count,
  priceChanges: Count,
  priceLookups: Count,
  salesWithoutReceipt: Count,
  training: z.object({ count: Count, net: Minor }),
  articleGroups: z.array(z.object({ group: z.string(), count: z.number().int(), net: Minor })),
  /** Counts with their amounts (kassasystemforskrifta § 2-8-2); absent on reports made before they were kept. */
  amounts: z
    .object({
      copies: CountAmount,
      provisional: CountAmount,
      cancelledSales: CountAmount,
      /** Lines deleted and quantities reduced before payment. */
      corrections: CountAmount,
      cashWithdrawals: CountAmount,
    })
    .optional(),
}));

export const DayReportSchema = lazySchema(() => z.object({
  kind: z.enum(['X', 'Z']),
  day: z.object({ id: z.number().int(), businessDate: z.string(), openedAt: Iso, closedAt: Iso.nullable() }),
  generatedAt: Iso,
  branchId: z.string(),
  posId: z.string(),
  currency: z.string(),
  sales: z.object({ count: Count, net: Minor }),
  voids: z.object({ count: Count, net: Minor }),
  refunds: z.object({ count: Count, net: Minor }),
  gross: Minor,
  discount: Minor,
  net: Minor,
  vatTotal: Minor,
  tenders: z.array(z.object({ kind: z.string(), count: Count, amount: Minor })),
  vat: z.array(z.object({ rateBp: z.number().int(), gross: Minor, vat: Minor, net: Minor })),
  discounts: z.array(z.object({ text: z.string(), count: Count, amount: Minor })),
  offlineAtRisk: Minor,
  firstReceipt: z.string().nullable(),
  lastReceipt: z.string().nullable(),
  /** Receipts and Loyalty transactions written off that day (count of effects, net of their sales). */
  writeOffs: z.object({ count: Count, amount: Minor }).optional(),
  /** The Norwegian rules' counts (docs/fiscal-no.md); absent on reports made before they were kept. */
  fiscal: FiscalCountsSchema.optional(),
  /** Expected and counted cash over the day's shifts; absent on reports made before it was kept. */
  cash: z.object({ expected: Minor, counted: Minor.nullable(), difference: Minor.nullable() }).optional(),
  /** Cash rounding (docs/ledger.md): entries with one and their signed total; absent on older reports. */
  cashRounding: z.object({ count: Count, amount: Minor }).optional(),
}));

export const ManagerDaySchema = lazySchema(() => z.object({
  open: z.object({ id: z.number().int(), businessDate: z.string(), openedAt: Iso }).nullable(),
  shift: z.object({ id: z.number().int(), operatorId: z.string(), openedAt: Iso }).nullable(),
  /** The open shift's drawer as the till expects it (float, cash sales, minus paid back and taken out); null without a shift. */
  expectedCash: Minor.nullable(),
  /** Training mode (docs/fiscal-no.md): every sale made while it is on is a marked training sale. */
  training: z.boolean(),
  closed: z.array(z.object({ id: z.number().int(), businessDate: z.string(), closedAt: Iso })),
}));
export const ManagerOpenDayInputSchema = lazySchema(() => z.strictObject({ session: ManagerSessionIdSchema, operatorId: z.string().trim().min(1).max(64).optional() }));
export const ManagerCloseDayInputSchema = lazySchema(() => z.strictObject({ session: ManagerSessionIdSchema, countedCash: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional() }));
export const ManagerCloseDaySchema = lazySchema(() => z.object({ day: ManagerDaySchema, report: DayReportSchema }));

/** The training-mode switch; `changed` is false when it already was as asked. */
export const ManagerTrainingInputSchema = lazySchema(() => z.strictObject({ session: ManagerSessionIdSchema, on: z.boolean() }));
export const ManagerTrainingSchema = lazySchema(() => z.object({ training: z.boolean(), changed: z.boolean() }));

/** Cash taken out of the drawer (to the safe or the bank), in minor units, with an optional note. */
export const ManagerCashWithdrawalInputSchema = lazySchema(() => z.strictObject({
  session: ManagerSessionIdSchema,
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  note: z.string().trim().max(200).optional(),
}));
export const ManagerCashWithdrawalSchema = lazySchema(() => z.object({ amount: Minor, expectedCash: Minor.nullable(), drawerJobId: z.number().int().positive().nullable() }));

/** X: the open day, running. Z: a closed day (the last one closed when no id is given). */
export const ManagerReportInputSchema = lazySchema(() => z.strictObject({ session: ManagerSessionIdSchema, kind: z.enum(['X', 'Z']), businessDayId: z.number().int().positive().optional() }));
export const ManagerReportSchema = lazySchema(() => z.object({ report: DayReportSchema, csv: z.string(), fileName: z.string() }));

export const ManagerSettingsSchema = lazySchema(() => z.object({
  branchId: z.string(),
  posId: z.string(),
  mode: z.enum(['cashier', 'kiosk']),
  sourceType: z.enum(['POS', 'Kiosk']),
  locale: z.string(),
  currency: z.string(),
  timeZone: z.string(),
  printer: z.string(),
  scanner: z.string(),
  /** Where the settings come from; the screen says to change them there. */
  configFile: z.string().nullable(),
  dataDir: z.string(),
  /** The demo till's settings come from the repository's demo config and are not saved from the screen. */
  demo: z.boolean(),
  /** The editable settings as the form shows them: `none`, `tcp://HOST:PORT`, `serial:PATH`, `usb:PATH`. */
  printerAddress: z.string(),
  /** `none` or `serial:PATH`; null for a scanner the short syntax cannot express (HID), shown read-only. */
  scannerAddress: z.string().nullable(),
  /** `TILL_*` variables that override an editable setting: a saved value for that field will not apply. */
  environmentWins: z.array(z.object({ field: z.enum(['locale', 'printer', 'scanner']), variable: z.string() })),
  /** Devices found on this machine, offered as choices (main/devices/port-discovery.ts). */
  choices: z.object({
    serialPorts: z.array(z.object({ path: z.string(), label: z.string() })),
    usbPrinters: z.array(z.string()),
  }),
}));

/** The settings a manager changes at the till; a field left out is kept as it is in the config file. */
export const ManagerSaveSettingsInputSchema = lazySchema(() => z.strictObject({
  session: ManagerSessionIdSchema,
  locale: z.string().trim().min(1).max(64).optional(),
  printer: z.string().trim().min(1).max(256).optional(),
  scanner: z.string().trim().min(1).max(256).optional(),
}));
export const ManagerSaveSettingsSchema = lazySchema(() => z.object({
  configFile: z.string(),
  changed: z.array(z.enum(['locale', 'printer', 'scanner'])),
  /** Always true: the running agent keeps its settings (devices are not swapped under a sale). */
  restartRequired: z.literal(true),
  environmentWins: z.array(z.object({ field: z.enum(['locale', 'printer', 'scanner']), variable: z.string() })),
  message: z.string(),
}));

export type ManagerLoginOutput = z.infer<typeof ManagerLoginOutputSchema>;
export type ManagerSync = z.infer<typeof ManagerSyncSchema>;
export type ManagerRules = z.infer<typeof ManagerRulesSchema>;
export type RuleDescriptionView = z.infer<typeof RuleDescriptionSchema>;
export type ManagerDevices = z.infer<typeof ManagerDevicesSchema>;
export type DayReportView = z.infer<typeof DayReportSchema>;
export type ManagerDay = z.infer<typeof ManagerDaySchema>;
export type ManagerTraining = z.infer<typeof ManagerTrainingSchema>;
export type ManagerCashWithdrawal = z.infer<typeof ManagerCashWithdrawalSchema>;
export type ManagerReport = z.infer<typeof ManagerReportSchema>;
export type ManagerSettings = z.infer<typeof ManagerSettingsSchema>;
export type ManagerSaveSettingsInput = z.infer<typeof ManagerSaveSettingsInputSchema>;
export type ManagerSaveSettings = z.infer<typeof ManagerSaveSettingsSchema>;
