import { z } from 'zod';

/**
 * The till's configuration: one JSON file plus `TILL_*` environment variables (env wins), validated here.
 * Every field has a default that makes the demo till run, except the back-end credentials: without them
 * the till runs offline-only against its caches (or, in demo mode, against the local sandbox).
 */

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const isLocale = (tag: string): boolean => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
};

const httpUrl = z
  .string()
  .url({ message: 'must be an absolute http(s) URL' })
  .refine((u) => /^https?:\/\//.test(u), { message: 'must start with http:// or https://' });

const serialPath = z.string().min(1, { message: 'must name a serial device, e.g. /dev/ttyUSB0 or COM3' });

export const ScannerConfigSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('serial'),
    path: serialPath,
    baudRate: z.number().int().positive().default(9600),
    terminator: z.enum(['CR', 'LF', 'CRLF', 'timeout']).default('CR'),
  }),
  z.object({
    kind: z.literal('hid'),
    vendorId: z.number().int().min(0).max(0xffff).optional(),
    productId: z.number().int().min(0).max(0xffff).optional(),
  }),
  z.object({ kind: z.literal('none') }),
]);

export const PrinterConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('serial'), path: serialPath, baudRate: z.number().int().positive().default(38400) }),
  z.object({ kind: z.literal('tcp'), host: z.string().min(1), port: z.number().int().min(1).max(65535).default(9100) }),
  z.object({ kind: z.literal('usb'), devicePath: z.string().min(1) }),
  z.object({ kind: z.literal('none') }),
]);

/**
 * How the screens tell a keyboard-wedge scanner from typing (renderer/shared/keyboard-wedge.ts, docs/scanners.md).
 * A prefix key the scanner is programmed to send first frames every scan, whatever the timing: the robust
 * choice on a busy till, where a burst can arrive with gaps longer than the scanner sent.
 */
export const KeyboardWedgeSchema = z.strictObject({
  /** `KeyboardEvent.key` of the prefix, e.g. "F13"; none by default (most scanners ship without one). */
  prefixKey: z.string().min(1).optional(),
  /** Keys that end a scan; empty: a scan ends when the keys stop. */
  suffixKeys: z.array(z.string().min(1)).default(['Enter']),
  /** Longest gap between two scanner keys without a prefix; people rarely type faster than 50 ms a key. */
  maxInterKeyMs: z.number().int().min(5).max(200).default(30),
  /** Shortest burst that counts as a scan without a prefix. */
  minLength: z.number().int().min(1).max(64).default(6),
});
export type KeyboardWedgeConfig = z.infer<typeof KeyboardWedgeSchema>;
const KEYBOARD_WEDGE_DEFAULTS: KeyboardWedgeConfig = { suffixKeys: ['Enter'], maxInterKeyMs: 30, minLength: 6 };

const DigitFieldSchema = z.object({ offset: z.number().int().min(0).max(11), length: z.number().int().min(1).max(11) });

/** An in-store (EAN-13 prefix 20-29) price or weight code layout; see docs/barcodes.md. */
export const InStoreLayoutSchema = z.object({
  name: z.string().min(1),
  prefix: z.string().regex(/^\d{1,3}$/, { message: 'must be 1 to 3 digits, e.g. "23"' }),
  kind: z.enum(['price', 'weight']),
  itemCode: DigitFieldSchema,
  value: DigitFieldSchema,
  decimals: z.number().int().min(0).max(6),
  verifierOffset: z.number().int().min(0).max(11).optional(),
});

const limitAmount = z.number().int({ message: 'must be a whole number of minor units (øre, cents)' }).min(0).max(Number.MAX_SAFE_INTEGER);

/** Floor limits for one value tender taken offline, in minor units of the till's currency; 0 turns it off. */
export const OfflineLimitSchema = z.strictObject({ perPayment: limitAmount, perMemberPerDay: limitAmount, totalOpenExposure: limitAmount });

const OFFLINE_OFF = { perPayment: 0, perMemberPerDay: 0, totalOpenExposure: 0 };
/** 500 / 1 000 / 5 000 in a two-decimal currency (NOK); see docs/ledger.md for why. */
const OFFLINE_GIFT_CARD = { perPayment: 50_000, perMemberPerDay: 100_000, totalOpenExposure: 500_000 };

/** Names and signs of the Loyalty POS API where its pages disagree (main/sync/connectors/loyalty/transaction-body.ts). */
const LOYALTY_WIRE_DEFAULTS = { paymentsField: 'meansOfPayment', itemAmounts: 'grossAmount/netAmount', cancelAmount: 'negative', partialRefund: 'cancel' } as const;
export const LoyaltyWireSchema = z.strictObject({
  paymentsField: z.enum(['meansOfPayment', 'payments']).default(LOYALTY_WIRE_DEFAULTS.paymentsField),
  itemAmounts: z.enum(['grossAmount/netAmount', 'subtotal/total']).default(LOYALTY_WIRE_DEFAULTS.itemAmounts),
  cancelAmount: z.enum(['negative', 'omit']).default(LOYALTY_WIRE_DEFAULTS.cancelAmount),
  partialRefund: z.enum(['cancel', 'negative_pay']).default(LOYALTY_WIRE_DEFAULTS.partialRefund),
});

export const ConfigSchema = z
  .object({
    branchId: z.string().trim().min(1, { message: 'must not be empty' }).max(64).default('demo-branch'),
    posId: z.string().trim().min(1, { message: 'must not be empty' }).max(64).default('till-1'),
    sourceType: z.enum(['POS', 'Kiosk']).optional(),
    mode: z.enum(['cashier', 'kiosk']).default('cashier'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code such as NOK or EUR' })
      .default('NOK'),
    locale: z.string().refine(isLocale, { message: 'must be a BCP 47 locale such as nb-NO, en-GB or es-ES' }).default('nb-NO'),
    /**
     * The smallest cash amount the store hands over, in minor units (docs/configuration.md, "Cash rounding"): the
     * cash part of a sale is rounded to it. Not set: by currency (NOK and SEK 100, DKK 50, CHF 5, else 1); 1 is off.
     */
    cashUnit: z.number().int({ message: 'must be a whole number of minor units, e.g. 100 for whole kroner' }).min(1, { message: 'must be 1 or more (1 turns cash rounding off)' }).max(100000).optional(),
    timeZone: z.string().refine(isTimeZone, { message: 'must be an IANA time zone such as Europe/Oslo' }).default('Europe/Oslo'),
    dataDir: z.string().min(1).optional(),
    demo: z.boolean().default(false),
    /** The store as printed at the top of every receipt. */
    store: z
      .object({
        /** The store id discount rules match (`store.id` on a Dintero receipt); the branch id when not set. */
        id: z.string().trim().min(1).max(64).optional(),
        name: z.string().trim().min(1).max(48).default('till-agent demo store'),
        addressLines: z.array(z.string().max(48)).max(4).default([]),
        orgNumber: z.string().max(32).optional(),
      })
      .default({ name: 'till-agent demo store', addressLines: [] }),
    /** Electron: open the till when the operating system starts (login item). */
    startAtLogin: z.boolean().default(false),
    api: z
      .object({ port: z.number().int().min(0).max(65535).default(7420) })
      .default({ port: 7420 }),
    dintero: z
      .object({
        baseUrl: httpUrl.default('https://api.dintero.com'),
        accountId: z.string().regex(/^[PT]\d{8}$/, { message: 'must be T or P followed by 8 digits, e.g. T12345678' }),
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
      })
      .optional(),
    loyalty: z
      .object({
        baseUrl: httpUrl.default('https://pos-api.fidelizacion.app/v1/'),
        apiKey: z.string().min(1),
        /** Where the vendor's pages contradict each other; defaults follow its reference pages (docs/connectors.md). */
        wire: LoyaltyWireSchema.default(LOYALTY_WIRE_DEFAULTS),
      })
      .optional(),
    devices: z
      .object({
        scanner: ScannerConfigSchema.default({ kind: 'none' }),
        printer: PrinterConfigSchema.default({ kind: 'none' }),
        printerWidth: z.union([z.literal(58), z.literal(80)]).default(80),
        inStoreLayouts: z.array(InStoreLayoutSchema).default([]),
        keyboardWedge: KeyboardWedgeSchema.default(KEYBOARD_WEDGE_DEFAULTS),
      })
      .default({ scanner: { kind: 'none' }, printer: { kind: 'none' }, printerWidth: 80, inStoreLayouts: [], keyboardWedge: KEYBOARD_WEDGE_DEFAULTS }),
    /** Offline value tenders (docs/ledger.md): points and credit off by default, the server may refuse them later. */
    offlineLimits: z
      .strictObject({
        giftCard: OfflineLimitSchema.default(OFFLINE_GIFT_CARD),
        points: OfflineLimitSchema.default(OFFLINE_OFF),
        credit: OfflineLimitSchema.default(OFFLINE_OFF),
      })
      .default({ giftCard: OFFLINE_GIFT_CARD, points: OFFLINE_OFF, credit: OFFLINE_OFF }),
    /** Norwegian cash register rules (docs/fiscal-no.md): receipts, reports and the SAF-T Cash Register file. */
    fiscal: z
      .strictObject({
        /** The company's registered name (SAF-T `companyName`); the store name when not set. */
        companyName: z.string().trim().min(1).max(100).optional(),
        /** Registered for VAT: the receipt prints the organisation number followed by "MVA". */
        vatRegistered: z.boolean().default(true),
        /** The till's id on receipts and in SAF-T (`registerID`); the pos id when not set. Never reuse one. */
        registerId: z.string().trim().min(1).max(35).optional(),
        /** Catalog group id to the Tax Administration's article group code (PredefinedBasicID-04, e.g. "04006"). */
        articleGroups: z.record(z.string(), z.string().regex(/^04\d{3}$/, { message: 'must be a PredefinedBasicID-04 code such as "04003"' })).default({}),
        /** The article group of items whose group is not mapped (04003: sale of goods). */
        defaultArticleGroup: z.string().regex(/^04\d{3}$/, { message: 'must be a PredefinedBasicID-04 code such as "04003"' }).default('04003'),
      })
      .default({ vatRegistered: true, articleGroups: {}, defaultArticleGroup: '04003' }),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info') })
      .default({ level: 'info' }),
  })
  // Unknown keys are almost always typos ("posID"); refusing them beats silently running with a default.
  .strict()
  .transform((c) => ({ ...c, sourceType: c.sourceType ?? (c.mode === 'kiosk' ? 'Kiosk' : 'POS') }) as const);

export type ConfigInput = z.input<typeof ConfigSchema>;
export type Config = z.output<typeof ConfigSchema> & { readonly dataDir: string };
export type ScannerConfig = z.output<typeof ScannerConfigSchema>;
export type PrinterConfig = z.output<typeof PrinterConfigSchema>;

/** Paths of fields whose values are secrets: never printed, logged or sent to the renderer. */
export const SECRET_FIELDS = ['dintero.clientSecret', 'loyalty.apiKey'] as const;
export type SecretField = (typeof SECRET_FIELDS)[number];
