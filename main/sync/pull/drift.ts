import { z } from 'zod';
import { buildIndex, evaluate, parseRules, type CustomerState, type Receipt, type RuleIndex } from '../../core/discounts';
import type { WritableDb } from '../../store/db-types';
import { getDriftCheck, recordDriftCheck, type DriftCheck, type DriftDifference, type DriftMeasure } from '../../store/discount-drift';
import { cachedRulesWithRefs } from '../../store/discount-refs';
import { getRulesCacheMeta } from '../../store/rules-cache';
import type { DinteroClient } from '../connectors/dintero/dintero-client';
import { NULL_LOGGER, type ConnectorLogger } from '../connectors/http';
import { NOT_CONFIGURED } from './lookup-outcome';

/** The rule set the local side prices with; the version is recorded with the check. */
export type DriftRules = { readonly version: string; readonly index: RuleIndex };

export type DriftDeps = {
  readonly db: WritableDb;
  readonly client: DinteroClient | undefined;
  readonly now: () => number;
  readonly logger?: ConnectorLogger;
};

export type DriftComparison = {
  readonly localDiscount: number;
  readonly remoteDiscount: number;
  readonly localBonus: number;
  readonly remoteBonus: number;
  readonly differences: readonly DriftDifference[];
};

export type DriftResult =
  | { readonly status: 'checked'; readonly check: DriftCheck }
  | { readonly status: 'unavailable'; readonly reason: string }
  | { readonly status: 'refused'; readonly reason: string };

/** Only what the comparison reads; everything else in Dintero's answer is ignored. */
const PricedSchema = z.looseObject({
  items: z
    .array(
      z.looseObject({
        line_id: z.number(),
        discount_lines: z.array(z.looseObject({ amount: z.number().optional(), discount_id: z.string().optional() })).optional(),
        bonus_lines: z.array(z.looseObject({ bonus: z.number().optional(), discount_id: z.string().optional() })).optional(),
      }),
    )
    .optional(),
});

type Priced = z.infer<typeof PricedSchema>;

const SEP = '\u0000';

/** Amount per (measure, rule, line) over the discount and bonus lines that name a rule. */
function tally(receipt: Priced): Map<string, number> {
  const out = new Map<string, number>();
  const add = (measure: DriftMeasure, ruleId: string | undefined, lineId: number, amount: number | undefined): void => {
    if (ruleId === undefined || amount === undefined) return;
    const key = [measure, ruleId, String(lineId)].join(SEP);
    out.set(key, (out.get(key) ?? 0) + amount);
  };
  for (const item of receipt.items ?? []) {
    for (const d of item.discount_lines ?? []) add('discount', d.discount_id, item.line_id, d.amount);
    for (const b of item.bonus_lines ?? []) add('bonus', b.discount_id, item.line_id, b.bonus);
  }
  return out;
}

/** What each side added to the input: its lines less those the input already carried. */
function added(input: Map<string, number>, priced: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, amount] of priced) {
    const net = amount - (input.get(key) ?? 0);
    if (net !== 0) out.set(key, net);
  }
  return out;
}

function compareKeys(a: DriftDifference, b: DriftDifference): number {
  if (a.measure !== b.measure) return a.measure < b.measure ? -1 : 1;
  if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
  return (a.lineId ?? -Infinity) - (b.lineId ?? -Infinity);
}

/**
 * Where two pricings of the same input receipt disagree: for each rule its total (line null) and, per line,
 * the discount or bonus each side added. Input discount lines (a manual discount, a line already priced)
 * count on neither side. Lines without a rule id are not attributed and not compared.
 */
export function compareDiscounts(input: Priced, local: Priced, remote: Priced): DriftComparison {
  const base = tally(input);
  const l = added(base, tally(local));
  const r = added(base, tally(remote));
  const differences: DriftDifference[] = [];
  const totals = new Map<string, { local: number; remote: number }>();
  const sums = { discount: { local: 0, remote: 0 }, bonus: { local: 0, remote: 0 } };
  for (const key of new Set([...l.keys(), ...r.keys()])) {
    const [measure, ruleId, line] = key.split(SEP) as [DriftMeasure, string, string];
    const localAmount = l.get(key) ?? 0;
    const remoteAmount = r.get(key) ?? 0;
    sums[measure].local += localAmount;
    sums[measure].remote += remoteAmount;
    const totalKey = `${measure}${SEP}${ruleId}`;
    const total = totals.get(totalKey) ?? { local: 0, remote: 0 };
    totals.set(totalKey, { local: total.local + localAmount, remote: total.remote + remoteAmount });
    if (localAmount !== remoteAmount) differences.push({ ruleId, lineId: Number(line), measure, localAmount, remoteAmount });
  }
  for (const [key, t] of totals) {
    if (t.local === t.remote) continue;
    const [measure, ruleId] = key.split(SEP) as [DriftMeasure, string];
    differences.push({ ruleId, lineId: null, measure, localAmount: t.local, remoteAmount: t.remote });
  }
  differences.sort(compareKeys);
  return { localDiscount: sums.discount.local, remoteDiscount: sums.discount.remote, localBonus: sums.bonus.local, remoteBonus: sums.bonus.remote, differences };
}

/** The cached rule set, as the till prices with it when nothing else is handed in. */
export function cachedRules(db: WritableDb): DriftRules {
  const meta = getRulesCacheMeta(db);
  if (!meta) return { version: 'none', index: buildIndex([]) };
  return { version: meta.version, index: buildIndex(parseRules(cachedRulesWithRefs(db)).rules) };
}

/**
 * The drift check: prices `receipt` (the basket as the engine takes it, before the till's own discounts) with
 * the local engine and with Dintero's `available_for_receipt` (which claims nothing), and records every
 * difference for the manager screen. `state` is the customer's usage and stamps as the till knows them; Dintero
 * uses its own, so a difference can also mean the till's view of the customer is behind.
 */
export async function checkDrift(
  deps: DriftDeps,
  receipt: Receipt,
  options: { readonly rules?: DriftRules; readonly state?: CustomerState; readonly signal?: AbortSignal } = {},
): Promise<DriftResult> {
  const log = deps.logger ?? NULL_LOGGER;
  if (!deps.client) return { status: 'unavailable', reason: `Dintero is ${NOT_CONFIGURED}` };
  const rules = options.rules ?? cachedRules(deps.db);
  const local = evaluate(receipt, rules.index, options.state ? { state: options.state } : {});
  const result = await deps.client.call({
    method: 'POST',
    path: 'discounts/available_for_receipt',
    body: receipt,
    logIds: { receiptId: receipt.receipt_id },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!result.ok) {
    const failure = result.failure;
    return failure.kind === 'permanent' ? { status: 'refused', reason: failure.reason } : { status: 'unavailable', reason: failure.reason };
  }
  const remote = PricedSchema.safeParse(result.body);
  if (!remote.success) return { status: 'unavailable', reason: 'available_for_receipt answer not understood' };
  const comparison = compareDiscounts(receipt, local.receipt, remote.data);
  const id = recordDriftCheck(deps.db, { receiptId: receipt.receipt_id, checkedAt: deps.now(), rulesVersion: rules.version, ...comparison });
  const check = getDriftCheck(deps.db, id);
  if (!check) throw new TypeError('drift check missing right after it was recorded');
  if (check.differenceCount > 0) {
    log.warn({ receiptId: receipt.receipt_id, rulesVersion: rules.version, differences: check.differenceCount }, 'local discounts differ from Dintero');
  } else log.debug({ receiptId: receipt.receipt_id, rulesVersion: rules.version }, 'local discounts match Dintero');
  return { status: 'checked', check };
}
