import { evaluate, parseRules, ReceiptSchema, type CustomerState, type EvaluationResult, type Receipt, type Rule } from '../../../../main/core/discounts';

export const FROM = '2025-01-01T00:00:00Z';
export const TO = '2026-12-31T23:59:59Z';
/** A Monday, 12:00 in Oslo (summer time, UTC+2). */
export const MONDAY_NOON = '2025-06-02T10:00:00Z';

type Loose = Record<string, unknown>;

/** A valid rule with defaults: granted to everyone, valid all of 2025-2026, receipt rule unless items are given. */
export function rule(id: string, spec: { requirement?: Loose; reward: Loose; limitation?: Loose; customers?: unknown[]; name?: string } & Loose): Rule {
  const { requirement, reward, limitation, customers, ...rest } = spec;
  const raw = {
    id,
    name: spec.name ?? id,
    requirement: { purchase_from: FROM, purchase_to: TO, ...requirement },
    reward,
    ...(limitation ? { limitation } : {}),
    customers: customers ?? ['*', '/'],
    ...rest,
  };
  const parsed = parseRules([raw]);
  if (parsed.rejected.length > 0) throw new Error(`test rule ${id} rejected: ${JSON.stringify(parsed.rejected)}`);
  return parsed.rules[0] as Rule;
}

export type ItemSpec = { id: string; gross: number; qty?: number; groups?: string[]; eligible?: boolean; discount?: number };

export function receipt(items: ItemSpec[], extra: Loose = {}): Receipt {
  return ReceiptSchema.parse({
    receipt_id: 'r1',
    purchase_at: MONDAY_NOON,
    store: { id: 'oslo-1' },
    currency: 'NOK',
    customer_id: 'c-1',
    items: items.map((it, i) => ({
      line_id: i + 1,
      id: it.id,
      quantity: it.qty ?? 1,
      gross_amount: it.gross,
      eligible_for_discount: it.eligible ?? true,
      ...(it.groups ? { groups: it.groups.map((id) => ({ id })) } : {}),
      ...(it.discount ? { discount_lines: [{ amount: it.discount, discount_type: 'manual', line_id: i + 1 }] } : {}),
    })),
    ...extra,
  });
}

/** Evaluates with every rule explained (explainAll), so pruned rules report their reason too. */
export function run(r: Receipt, rules: Rule[], state?: CustomerState, at?: string): EvaluationResult {
  return evaluate(r, rules, { explainAll: true, ...(state ? { state } : {}), ...(at ? { at } : {}) });
}

/** Discount per line id from one rule (or all rules). */
export function linesOf(result: EvaluationResult, ruleId?: string): Record<number, number> {
  const out: Record<number, number> = {};
  for (const item of result.receipt.items ?? []) {
    for (const d of item.discount_lines ?? []) {
      if (d.discount_type === 'manual') continue;
      if (ruleId !== undefined && d.discount_id !== ruleId) continue;
      out[item.line_id] = (out[item.line_id] ?? 0) + (d.amount ?? 0);
    }
  }
  return out;
}

export function outcome(result: EvaluationResult, id: string): { applied: boolean; reason: string; message: string; amount: number; bonus: number } {
  const o = result.outcomes.find((x) => x.discount_id === id);
  if (!o) throw new Error(`no outcome for ${id}`);
  return o;
}
