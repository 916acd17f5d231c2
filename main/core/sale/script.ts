import { z } from 'zod';

/**
 * A scripted sale (`till-agent sale run FILE`), for support and tests: codes and quantities as a cashier
 * would scan them, and tenders. Amounts are decimal strings ("100.00"); a tender without an amount pays
 * what is left, so a script does not have to know the discounts in advance.
 */
const Amount = z.string().regex(/^\d+([.,]\d+)?$/, { message: 'must be a decimal string such as "100.00"' });

export const ScriptLineSchema = z.strictObject({
  code: z.string().min(1),
  quantity: z.number().int().min(1).max(9999).optional(),
  grams: z.number().int().min(1).optional(),
  price: Amount.optional(),
});

export const ScriptTenderSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('cash'), amount: Amount.optional() }),
  z.strictObject({ kind: z.literal('card'), amount: Amount.optional(), terminalRef: z.string().min(1) }),
  z.strictObject({ kind: z.literal('gift_card'), amount: Amount.optional(), cardToken: z.string().min(1), offline: z.boolean().optional() }),
  z.strictObject({ kind: z.literal('loyalty'), amount: Amount.optional(), memberId: z.string().min(1), asset: z.enum(['points', 'credit']), offline: z.boolean().optional() }),
]);

export const SaleScriptSchema = z.strictObject({
  operator: z.string().min(1).optional(),
  customerId: z.string().trim().min(1).max(255).optional(),
  memberId: z.string().min(1).optional(),
  ruleSetVersion: z.string().min(1).optional(),
  /** Dintero discount rules to price with (normally the rules cache provides them). */
  rules: z.array(z.unknown()).optional(),
  lines: z.array(ScriptLineSchema).min(1),
  tenders: z.array(ScriptTenderSchema).min(1),
});

export type SaleScript = z.infer<typeof SaleScriptSchema>;
export type ScriptTender = z.infer<typeof ScriptTenderSchema>;
