/**
 * `POST discounts/available_for_receipt`: calculates with the project's own discount engine, so the sandbox
 * and the till agree by construction. The engine gets the rules with their grants and the customer's usage,
 * stamps and debit balances as the sandbox holds them; the response is the enriched receipt.
 */
import { buildIndex, evaluate, parseRules, ReceiptSchema, type CustomerState, type Receipt, type RuleIndex } from '../../core/discounts';
import type { SandboxContext } from '../context';
import { rulesVersion } from '../db';
import type { ServerKit } from '../http';
import { authorize, CALC_DISCOUNTS, ok, parseBody } from './common';
import { customerByToken } from './customers';
import { allRules, getRule, grantsForEngine, grantsOf, refStatistics } from './rules';

function customerState(ctx: SandboxContext, customerId: string): CustomerState {
  const grants = ctx.db
    .prepare<[string], { rule_id: string; ref_id: string; received_at: string }>(
      "SELECT rule_id, ref_id, received_at FROM grants WHERE customer_id = ? OR customer_id = '*'",
    )
    .all(customerId);
  const refs: CustomerState['refs'] = [];
  for (const g of grants) {
    const rule = getRule(ctx.db, g.rule_id);
    if (!rule) continue;
    const stats = refStatistics(ctx.db, rule, customerId, g.ref_id);
    refs.push({
      discount_id: g.rule_id,
      ref_id: g.ref_id,
      usage: stats.usage,
      stamp: stats.stamp,
      ...(stats.first_stamp_at !== undefined ? { first_stamp_at: stats.first_stamp_at } : {}),
      ...(stats.debit_balance !== undefined ? { debit_balance: stats.debit_balance } : {}),
      received_at: g.received_at,
    });
  }
  return { customer_id: customerId, refs };
}

export function registerAvailableRoute(kit: ServerKit, ctx: SandboxContext): void {
  let cache: { version: number; index: RuleIndex } | undefined;
  const index = (): RuleIndex => {
    const version = rulesVersion(ctx.db);
    if (cache?.version !== version) {
      const raw = allRules(ctx.db).map((rule) => ({ ...rule, customers: grantsForEngine(grantsOf(ctx.db, rule.id)) }));
      cache = { version, index: buildIndex(parseRules(raw).rules) };
    }
    return cache.index;
  };

  kit.route('POST', '/v1/accounts/:aid/discounts/available_for_receipt', 'dintero.available-for-receipt', (req) => {
    const auth = authorize(ctx, req, CALC_DISCOUNTS);
    if (!auth.ok) return auth.answer;
    const parsed = parseBody(ReceiptSchema, req.body);
    if (!parsed.ok) return parsed.answer;
    let receipt: Receipt = parsed.value;
    if (receipt.customer_id === undefined) {
      const token = receipt.customer?.['token'] as { type?: unknown; value?: unknown } | undefined;
      if (token && typeof token.value === 'string') {
        const resolved = customerByToken(ctx.db, typeof token.type === 'string' ? token.type : undefined, token.value);
        // A token that resolves to nobody gets no discounts at all, not even the anonymous ones (Dintero's docs).
        if (resolved === undefined) return ok({ ...receipt, discounts: receipt.discounts ?? [] });
        receipt = { ...receipt, customer_id: resolved };
      }
    }
    const state = receipt.customer_id !== undefined ? customerState(ctx, receipt.customer_id) : undefined;
    const result = evaluate(receipt, index(), state ? { state } : {});
    return ok({ ...result.receipt, discounts: result.receipt.discounts ?? [] });
  });
}
