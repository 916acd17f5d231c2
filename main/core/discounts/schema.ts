/**
 * zod schemas for the inputs of the discount engine: Dintero's discount rule (seed 003) with the till's list of
 * customer grants, Dintero's Receipt, and the customer's usage and stamps per rule. Objects are loose: fields a
 * newer server adds are kept and ignored, so an older till still loads the rule.
 */
import { z } from 'zod';

const timeZoneCache = new Map<string, boolean>();

/** Whether the JavaScript runtime knows this IANA time zone; memoised because constructing a formatter is slow. */
export function isTimeZone(name: string): boolean {
  let known = timeZoneCache.get(name);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      known = true;
    } catch {
      known = false;
    }
    timeZoneCache.set(name, known);
  }
  return known;
}

const DateTime = z.iso.datetime({ offset: true });
const StringList = z.array(z.string());
const Trimmed = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => s.trim() === s, 'must not have leading or trailing spaces');

/** `{id?, group_id?}`: an item id, a group id, or both (then both must match). */
export const ItemMatcherSchema = z
  .looseObject({ id: z.string().min(1).optional(), group_id: z.string().min(1).optional() })
  .refine((m) => m.id !== undefined || m.group_id !== undefined, 'needs id or group_id');

const MixSchema = z.looseObject({
  items: z.array(ItemMatcherSchema).optional(),
  quantity: z.number().int().min(0),
  reward_eligible: z.boolean().optional(),
});

const AddressFilter = z.looseObject({
  country: StringList.optional(),
  postal_code: StringList.optional(),
  postal_place: StringList.optional(),
  custom_type: StringList.optional(),
  type: StringList.optional(),
});

const CustomerRequirementSchema = z.looseObject({
  addresses: z.array(AddressFilter).optional(),
  company: z
    .looseObject({
      bussiness_name: StringList.optional(),
      department: StringList.optional(),
      industry: StringList.optional(),
      number_of_employees: StringList.optional(),
      organization_number: StringList.optional(),
      website: StringList.optional(),
    })
    .optional(),
  date_of_birth: StringList.optional(),
  enrolled_by: z.looseObject({ type: StringList.optional(), value: StringList.optional() }).optional(),
  favorite_store: StringList.optional(),
  first_name: StringList.optional(),
  gender: StringList.optional(),
  last_name: StringList.optional(),
  marketing_consent: z
    .looseObject({
      email: z.looseObject({ consent: StringList.optional() }).optional(),
      sms: z.looseObject({ consent: StringList.optional() }).optional(),
    })
    .optional(),
  status: StringList.optional(),
  term: z.looseObject({ id: StringList.optional() }).optional(),
  type: StringList.optional(),
  attributes: z.record(z.string(), StringList).optional(),
});

const StoreRequirementSchema = z.looseObject({
  id: StringList.optional(),
  name: StringList.optional(),
  business_name: StringList.optional(),
  address: z
    .looseObject({ country: StringList.optional(), postal_code: StringList.optional(), postal_place: StringList.optional() })
    .optional(),
  chain: StringList.optional(),
  email: StringList.optional(),
  gln: StringList.optional(),
  organization_number: StringList.optional(),
  phone_number: StringList.optional(),
  mcc: z.array(z.union([z.number().int(), z.string()])).optional(),
  mcc_ranges: z.array(z.looseObject({ start: z.number().int(), end: z.number().int() })).optional(),
  bax: StringList.optional(),
  terminal_id: StringList.optional(),
});

const CurrencyFilter = z.union([
  z.string().regex(/^[A-Z]{3}$/, 'an ISO-4217 code such as NOK'),
  z.looseObject({ 'anything-but': z.array(z.string().regex(/^[A-Z]{3}$/, 'an ISO-4217 code such as NOK')) }),
]);

export const RequirementSchema = z.looseObject({
  purchase_from: DateTime,
  purchase_to: DateTime,
  customer: CustomerRequirementSchema.optional(),
  item: z
    .looseObject({
      quantity: z.number().int().min(0).optional(),
      items: z.array(ItemMatcherSchema).optional(),
      mixes: z.array(MixSchema).optional(),
    })
    .optional(),
  store_ids: StringList.optional(),
  gross_amount: z.number().int().min(0).optional(),
  net_amount: z.number().int().min(0).optional(),
  currencies: z.array(CurrencyFilter).optional(),
  stamp: z.number().int().min(0).optional(),
  discount_code: z.string().min(1).optional(),
  store: StoreRequirementSchema.optional(),
});

export const REWARD_TYPES = [
  'discount_amount',
  'discount_percent',
  'discount_item_new_price',
  'discount_item_quantity',
  'discount_item_percent',
  'discount_mix_new_price',
  'discount_debit',
] as const;
export type RewardType = (typeof REWARD_TYPES)[number];

const PERCENT_TYPES: ReadonlySet<string> = new Set(['discount_percent', 'discount_item_percent']);

export const RewardSchema = z
  .looseObject({
    type: z.enum(REWARD_TYPES),
    value: z.number().min(0),
    values: z.array(z.looseObject({ items: z.array(ItemMatcherSchema).min(1), value: z.number().min(0) })).optional(),
    base: z.enum(['net', 'gross']).optional(),
    effect: z.enum(['discount', 'bonus']).optional(),
  })
  .superRefine((reward, ctx) => {
    const check = (value: number, path: (string | number)[]): void => {
      if (PERCENT_TYPES.has(reward.type)) {
        if (value > 100) ctx.addIssue({ code: 'custom', path, message: 'a percentage must be between 0 and 100' });
      } else if (!Number.isSafeInteger(value)) {
        ctx.addIssue({ code: 'custom', path, message: `${reward.type} needs a whole number (minor units or a count)` });
      }
    };
    check(reward.value, ['value']);
    reward.values?.forEach((v, i) => check(v.value, ['values', i, 'value']));
  });

const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day as HH:MM');

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];

export const LimitationSchema = z.looseObject({
  discount_reward_usage: z.number().int().min(-1).optional(),
  discount_combination: z.union([z.literal(-1), z.literal(0)]).optional(),
  discount_eligible: z
    .enum(['item_eligible_for_discount', 'item_eligible_for_discount_no_discount', 'receipt_no_discount'])
    .optional(),
  discount_repeat_usage: z.number().int().min(-1).optional(),
  stamp_expire_days: z.number().int().min(-1).optional(),
  blacklist: z.array(ItemMatcherSchema).optional(),
  discount_hours: z
    .looseObject({
      timezone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Oslo').optional(),
      hours: z.array(z.looseObject({ day: z.enum(DAYS), start: HourMinute, end: HourMinute })),
    })
    .optional(),
  discount_activation: z.array(z.looseObject({ type: z.string(), value: z.string() })).optional(),
  dynamic_purchase_to_days: z.number().int().min(0).optional(),
});

/** A grant of the rule: a customer id, `*` (any purchase with a customer id) or `/` (purchases without one). */
export const GrantSchema = z.union([
  Trimmed,
  z.looseObject({
    customer_id: Trimmed,
    ref_id: z.string().min(1).optional(),
    offering_constraint_id: z.string().optional(),
    received_at: DateTime.optional(),
  }),
]);

export const RuleSchema = z
  .looseObject({
    id: z.string().min(1),
    campaign_id: z.string().optional(),
    active: z.boolean().optional(),
    private: z.boolean().optional(),
    type: z.enum(['item', 'receipt']).optional(),
    name: z.string().optional(),
    receipt_text: z.string().optional(),
    description: z.string().optional(),
    visible_from: DateTime.optional(),
    deleted_at: DateTime.nullable().optional(),
    requirement: RequirementSchema,
    reward: RewardSchema,
    limitation: LimitationSchema.optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    links: z.array(z.looseObject({ href: z.string(), rel: z.string().optional(), type: z.string().optional() })).optional(),
    customers: z.array(GrantSchema).optional(),
  })
  .superRefine((rule, ctx) => {
    if (Date.parse(rule.requirement.purchase_to) < Date.parse(rule.requirement.purchase_from)) {
      ctx.addIssue({ code: 'custom', path: ['requirement', 'purchase_to'], message: 'purchase_to is before purchase_from' });
    }
    if (rule.reward.type === 'discount_item_quantity') {
      const needed = rule.requirement.item?.quantity ?? 0;
      if (!(needed > rule.reward.value) || rule.reward.value < 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['reward', 'value'],
          message: `discount_item_quantity gives ${rule.reward.value} free per ${needed} items; requirement.item.quantity must be larger than value, and value at least 1`,
        });
      }
    }
    if (rule.reward.type === 'discount_mix_new_price' && (rule.requirement.item?.mixes ?? []).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['requirement', 'item', 'mixes'], message: 'discount_mix_new_price needs requirement.item.mixes' });
    }
  });

export type Rule = z.infer<typeof RuleSchema>;
export type ItemMatcher = z.infer<typeof ItemMatcherSchema>;
export type Grant = z.infer<typeof GrantSchema>;

const DiscountLineSchema = z.looseObject({
  amount: z.number().int().optional(),
  percentage: z.number().optional(),
  discount_type: z.string().optional(),
  discount_id: z.string().optional(),
  description: z.string().optional(),
  line_id: z.number().optional(),
});

const BonusLineSchema = z.looseObject({
  bonus: z.number().int().optional(),
  percentage: z.number().optional(),
  discount_type: z.string().optional(),
  discount_id: z.string().optional(),
  description: z.string().optional(),
  line_id: z.number().optional(),
});

/**
 * The most units one receipt line may hold. Rewards count units arithmetically, so evaluation costs the same for 2
 * units as for 2,000,000; the bound only keeps every count and sum an exact integer (lines x quantity stays far
 * below 2^53). A larger quantity is a keying or scanner mistake, and is refused with the path of the line.
 */
export const MAX_LINE_QUANTITY = 1_000_000_000;

export const ReceiptItemSchema = z.looseObject({
  line_id: z.number().int(),
  id: z.string().optional(),
  groups: z.array(z.looseObject({ id: z.string(), name: z.string().optional() })).optional(),
  quantity: z.number().max(MAX_LINE_QUANTITY, `at most ${MAX_LINE_QUANTITY} units on one line`).optional(),
  gross_amount: z.number().int(),
  net_amount: z.number().int().optional(),
  eligible_for_discount: z.boolean().optional(),
  voided: z.boolean().optional(),
  is_return_item: z.boolean().optional(),
  is_changed: z.boolean().optional(),
  discount_lines: z.array(DiscountLineSchema).optional(),
  bonus_lines: z.array(BonusLineSchema).optional(),
});

export const ReceiptSchema = z
  .looseObject({
    receipt_id: z.string(),
    purchase_at: DateTime,
    store: z.looseObject({ id: z.string() }),
    currency: z.string().optional(),
    customer_id: Trimmed.optional(),
    customer: z.record(z.string(), z.unknown()).optional(),
    discount_code: z.array(z.string()).optional(),
    gross_amount: z.number().int().optional(),
    net_amount: z.number().int().optional(),
    is_changed: z.boolean().optional(),
    items: z.array(ReceiptItemSchema).optional(),
    discounts: z.array(z.unknown()).optional(),
  })
  .superRefine((receipt, ctx) => {
    const seen = new Set<number>();
    receipt.items?.forEach((item, i) => {
      if (seen.has(item.line_id)) ctx.addIssue({ code: 'custom', path: ['items', i, 'line_id'], message: `line_id ${item.line_id} is used twice` });
      seen.add(item.line_id);
    });
  });

export type Receipt = z.infer<typeof ReceiptSchema>;
export type ReceiptItem = z.infer<typeof ReceiptItemSchema>;
export type DiscountLine = z.infer<typeof DiscountLineSchema>;
export type BonusLine = z.infer<typeof BonusLineSchema>;

/** What the sync layer knows about one customer instance (ref) of a rule: usage, stamps, balance, when given. */
export const RefStateSchema = z.looseObject({
  discount_id: z.string().min(1),
  /** Missing: the entry describes the ref the engine derives for this customer (see docs/discounts.md). */
  ref_id: z.string().min(1).optional(),
  /** Purchases the ref has been used in so far. */
  usage: z.number().int().min(0).optional(),
  /** Stamps collected since the last reward, expired ones included (the engine expires them). */
  stamp: z.number().int().min(0).optional(),
  /** When the oldest stamp still counted was collected. */
  first_stamp_at: DateTime.optional(),
  /** For discount_debit: what is left to spend; missing means the full reward value. */
  debit_balance: z.number().int().min(0).optional(),
  /** When the customer received the discount, for dynamic_purchase_to_days. */
  received_at: DateTime.optional(),
});

export const CustomerStateSchema = z.looseObject({
  customer_id: z.string().optional(),
  refs: z.array(RefStateSchema),
  /**
   * The till never learned this customer's refs from Dintero (looked up offline, or never online): a discount
   * given to named customers is then not given, and its outcome says why (docs/discounts.md §2).
   */
  refs_unknown: z.boolean().optional(),
});

export type RefState = z.infer<typeof RefStateSchema>;
export type CustomerState = z.infer<typeof CustomerStateSchema>;
