import { z } from 'zod';
import type { SaleChecks } from './approvals';
import type { Basket } from './basket';
import type { Tender } from './tenders';

/**
 * The open basket as the till writes it to disk after every change (and each suspended basket), so a restart
 * carries on where the cashier was. Read back through these schemas: a body that does not parse is set aside
 * with a log line rather than loaded half-understood.
 */

const MinorSchema = z.number().int();

const SaleItemSchema = z.looseObject({
  line_id: z.number().int().positive(),
  id: z.string().min(1),
  description: z.string(),
  groups: z.array(z.looseObject({ id: z.string() })),
  quantity: z.number(),
  unit: z.enum(['piece', 'weight']),
  quantity_milli: z.number().int(),
  unit_gross_price: MinorSchema,
  tax_percent: z.number(),
  gross_amount: MinorSchema,
  net_amount: MinorSchema,
  eligible_for_discount: z.boolean(),
  discount_lines: z.array(z.looseObject({ amount: z.number() })),
  barcode: z.string().optional(),
});

const BasketSchema = z.object({
  items: z.array(SaleItemSchema),
  nextLineId: z.number().int().positive(),
  customerId: z.string().min(1).optional(),
  memberId: z.string().min(1).optional(),
});

const TenderSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cash'), amount: MinorSchema }),
  // A card on the integrated terminal with its reference, or on a stand-alone one without (docs/ledger.md).
  z.discriminatedUnion('terminal', [
    z.object({ kind: z.literal('card'), terminal: z.literal('integrated').optional(), amount: MinorSchema, terminalRef: z.string() }),
    z.object({ kind: z.literal('card'), terminal: z.literal('external'), amount: MinorSchema }),
  ]),
  z.object({ kind: z.literal('gift_card'), amount: MinorSchema, cardToken: z.string(), cardId: z.string().min(1).optional(), offline: z.boolean().optional(), settledKey: z.string().min(1).optional() }),
  z.object({ kind: z.literal('loyalty'), amount: MinorSchema, memberId: z.string(), asset: z.enum(['points', 'credit']), offline: z.boolean().optional(), settledKey: z.string().min(1).optional() }),
]);

/** A balance as the till last knew it: epoch ms, and whether it came from the back end just now or the cache. */
const KnownBalanceSchema = z.object({ amount: z.number().int(), fetchedAt: z.number().int(), source: z.enum(['online', 'cache']) });

const HeldTenderSchema = z.object({ tender: TenderSchema, balance: KnownBalanceSchema.optional() });

const CustomerSchema = z.object({
  memberId: z.string().optional(),
  customerId: z.string().optional(),
  memberNumber: z.string().optional(),
  name: z.string().optional(),
  points: KnownBalanceSchema.optional(),
});

const SaleCheckSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('age'), lineId: z.number().int(), itemId: z.string(), description: z.string(), ageLimit: z.number().int() }),
  z.object({ kind: z.literal('weight'), lineId: z.number().int(), itemId: z.string(), description: z.string(), grams: z.number().int() }),
]);

/**
 * Pending age and weight checks travel with the basket, so a restart cannot unlock a basket nobody approved;
 * approvals given travel too, as they end up in the sale's ledger document. Required: a stored basket without
 * them is set aside rather than restored unlocked.
 */
const SaleChecksSchema = z.object({
  pending: z.array(SaleCheckSchema),
  approvals: z.array(
    z.object({
      operatorId: z.string().min(1),
      method: z.enum(['id-check', 'staff-approval']),
      at: z.string(),
      checks: z.array(SaleCheckSchema),
      verifiedAge: z.number().int().optional(),
    }),
  ),
});

export const OpenBasketSnapshotSchema = z.object({
  v: z.literal(1),
  basket: BasketSchema,
  tenders: z.array(HeldTenderSchema),
  customer: CustomerSchema.optional(),
  checks: SaleChecksSchema,
  /** Counters, so revisions and suspended ids keep increasing across a restart. */
  revision: z.number().int().nonnegative(),
  noticeSeq: z.number().int().nonnegative(),
  suspendSeq: z.number().int().nonnegative(),
});

export const SuspendedBasketSnapshotSchema = z.object({
  v: z.literal(1),
  id: z.string().min(1),
  suspendedAt: z.string(),
  basket: BasketSchema,
  tenders: z.array(HeldTenderSchema),
  customer: CustomerSchema.optional(),
  checks: SaleChecksSchema,
});

export type KnownBalance = { readonly amount: number; readonly fetchedAt: number; readonly source: 'online' | 'cache' };
export type HeldTender = { readonly tender: Tender; readonly balance?: KnownBalance };
export type CustomerInfo = z.infer<typeof CustomerSchema>;

export type OpenBasketSnapshot = {
  readonly v: 1;
  readonly basket: Basket;
  readonly tenders: readonly HeldTender[];
  readonly customer?: CustomerInfo;
  readonly checks: SaleChecks;
  readonly revision: number;
  readonly noticeSeq: number;
  readonly suspendSeq: number;
};

export type SuspendedBasketSnapshot = {
  readonly v: 1;
  readonly id: string;
  readonly suspendedAt: string;
  readonly basket: Basket;
  readonly tenders: readonly HeldTender[];
  readonly customer?: CustomerInfo;
  readonly checks: SaleChecks;
};

// Amounts on disk are plain integers; the schemas checked them, so they are minor units again.
export function parseOpenBasket(json: string): OpenBasketSnapshot {
  return OpenBasketSnapshotSchema.parse(JSON.parse(json)) as unknown as OpenBasketSnapshot;
}

export function parseSuspendedBasket(json: string): SuspendedBasketSnapshot {
  return SuspendedBasketSnapshotSchema.parse(JSON.parse(json)) as unknown as SuspendedBasketSnapshot;
}
