import { z } from 'zod';
import { lazySchema } from '../core/lazy-schema';
import { ReceiptDocumentSchema } from './receipt-contract';
import { ReasonedSchema, ReasonParamsSchema } from './status-contract';

/**
 * A sale as the screens see it: lines, discounts, tenders, customer, notices, checks, the kiosk's card payment and
 * the items a search finds. Re-exported by contract.ts.
 */

/** Amounts on the wire are integer minor units of the till's currency; the screen formats them with Intl. */
const MinorSchema = lazySchema(() => z.number().int());

export const LineDiscountSchema = lazySchema(() => z.object({ ruleId: z.string(), text: z.string(), amount: MinorSchema }));

export const SaleLineSchema = lazySchema(() => z.object({
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
}));

export const RuleOutcomeViewSchema = lazySchema(() => z.object({
  ruleId: z.string(),
  name: z.string(),
  applied: z.boolean(),
  reason: z.string(),
  message: z.string(),
  /** The message as a reason with parameters, worded by the screen (the why panel's detail line). */
  detail: ReasonedSchema.optional(),
  amount: MinorSchema,
  bonus: MinorSchema,
}));

/** A balance and when it was read: `cache` means the back end could not be asked and this is the last known figure. */
export const BalanceViewSchema = lazySchema(() => z.object({ amount: MinorSchema, asOf: z.string(), source: z.enum(['online', 'cache']) }));

export const TenderViewSchema = lazySchema(() => z.object({
  kind: z.enum(['cash', 'card', 'card_external', 'gift_card', 'points']),
  amount: MinorSchema,
  /** The terminal reference of a card (none for `card_external`, a stand-alone terminal); a gift card's number masked to its last four characters. */
  reference: z.string().optional(),
  /** A value tender taken without the back end's confirmation (held to the offline limits). */
  offline: z.boolean().optional(),
  /** The card's or member's balance the tender was checked against. */
  balance: BalanceViewSchema.optional(),
}));

/** The identified customer: a name when known, else the masked id; the points balance with its age. */
export const CustomerViewSchema = lazySchema(() => z.object({
  memberId: z.string().optional(),
  customerId: z.string().optional(),
  name: z.string().optional(),
  /** The membership number (or id) masked to its last four characters. */
  maskedId: z.string(),
  points: BalanceViewSchema.optional(),
}));

/** What the cashier was told about the last action: the screen flashes and beeps on `error`. */
export const SaleNoticeCodeSchema = lazySchema(() => z.enum(['added', 'unknown-item', 'bad-barcode', 'weight-required', 'failed', 'member-lookup', 'member', 'unknown-member']));
export const SaleNoticeSchema = lazySchema(() => z.object({
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
}));

export const ShiftViewSchema = lazySchema(() => z.object({
  businessDay: z.object({ id: z.number().int(), businessDate: z.string() }).nullable(),
  shift: z.object({ id: z.number().int(), operatorId: z.string(), openedAt: z.string() }).nullable(),
}));

export const SuspendedBasketSchema = lazySchema(() => z.object({ id: z.string(), suspendedAt: z.string(), lines: z.number().int(), net: MinorSchema }));

/** A line waiting for a person: an ID check (age), or at a kiosk staff checking a weighed item's label. */
export const SaleCheckViewSchema = lazySchema(() => z.object({
  kind: z.enum(['age', 'weight']),
  lineId: z.number().int().positive(),
  description: z.string(),
  ageLimit: z.number().int().positive().optional(),
  grams: z.number().int().positive().optional(),
}));

export const ApprovalViewSchema = lazySchema(() => z.object({
  operatorId: z.string(),
  method: z.enum(['id-check', 'staff-approval']),
  at: z.string(),
  kinds: z.array(z.enum(['age', 'weight'])),
  verifiedAge: z.number().int().positive().optional(),
}));

/** A kiosk card payment on the external terminal: waiting for the customer, declined, or charged but not saved. */
export const CardPaymentViewSchema = lazySchema(() => z.object({
  state: z.enum(['waiting', 'declined', 'error']),
  amount: MinorSchema,
  reason: z.string().optional(),
}));

/** The basket as the agent holds it: a reloaded or crashed screen gets it back from here. */
export const SaleViewSchema = lazySchema(() => z.object({
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
}));

export const ItemViewSchema = lazySchema(() => z.object({
  itemId: z.string(),
  name: z.string(),
  codes: z.array(z.string()),
  unit: z.enum(['piece', 'weight']),
  unitPrice: MinorSchema,
  vatRateBp: z.number().int(),
  eligibleForDiscount: z.boolean(),
}));
