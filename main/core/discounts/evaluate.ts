/**
 * `evaluate(receipt, rules, context)`: the answer Dintero's `available_for_receipt` would give, computed locally
 * by the procedure of docs/discounts.md: gates, activation, one option per non-combinable rule plus the set of
 * combinable ones, item rules before receipt rules, the option with the larger total discount wins.
 */
import { checkRule, lineLookup, type Failed, type GateContext, type GateResult, type Passed } from './gates';
import { linesOf, type Line } from './lines';
import type { CompiledRule, RuleKind } from './model';
import { because, type Reasoned } from '../error-reasons';
import { money, reason, type Reason, type ReasonCode } from './reasons';
import { commitAward, computeAward, newLedger, type Award, type Ledger, type Stage } from './rewards';
import { buildIndex, candidatesFor, isRuleIndex, type RuleIndex } from './rule-index';
import type { BonusLine, CustomerState, DiscountLine, Receipt, ReceiptItem, RefState, Rule } from './schema';

export type EvaluationContext = {
  /** Evaluate as of this time instead of the receipt's `purchase_at` (the CLI's --at). */
  readonly at?: string;
  /** The customer's usage, stamps and balances per rule and ref, as the sync layer last saw them. */
  readonly state?: CustomerState;
  /** Explain every rule of the set, not only those the index finds for this basket. */
  readonly explainAll?: boolean;
};

export type RuleOutcome = {
  readonly discount_id: string;
  readonly name: string;
  readonly kind: RuleKind;
  readonly applied: boolean;
  readonly reason: ReasonCode;
  readonly message: string;
  /** The message as a reason with parameters, for a screen to word in its language. */
  readonly detail?: Reasoned;
  readonly amount: number;
  readonly bonus: number;
  readonly ref_id: string | undefined;
  readonly lines: readonly { readonly line_id: number; readonly amount: number }[];
};

export type DiscountRef = {
  readonly id: string;
  readonly amount: number;
  readonly usage: number;
  readonly bonus?: number;
  readonly stamp?: number;
  readonly items: readonly { readonly line_id: number; readonly amount?: number; readonly bonus?: number }[];
  readonly statistics?: { readonly usage?: number; readonly stamp?: number; readonly debit_balance?: number };
};

/** The rule as Dintero returns it in `discounts[]` (without the till's grant list), with its refs. */
export type AppliedDiscount = Rule & { readonly refs: readonly DiscountRef[] };

export type EvaluationResult = {
  /** The receipt with new discount and bonus lines, change flags, net amounts, totals and `discounts[]`. */
  readonly receipt: Receipt;
  /** The entries this evaluation added to `receipt.discounts`, typed. */
  readonly discounts: readonly AppliedDiscount[];
  /** One per rule considered, in rule id order. */
  readonly outcomes: readonly RuleOutcome[];
  readonly total_discount: number;
  readonly total_bonus: number;
  /** The time the rules were checked against. */
  readonly evaluated_at: string;
  readonly rules_in_set: number;
  readonly rules_considered: number;
};

type Applied = { readonly passed: Passed; readonly award: Award };

type OptionRun = {
  readonly solo: Passed | undefined;
  readonly applied: readonly Applied[];
  readonly discount: number;
  readonly bonus: number;
};

const STAGES: readonly Stage[] = ['item', 'receipt'];

/**
 * An award worked out on the lines as they stood at the start of the stage still holds when no line it could use
 * has been given anything since (and it does not look at the whole receipt), so the ranking pass's award is reused.
 */
function stillHolds(p: Passed, ledger: Ledger): boolean {
  if (p.rule.eligible === 'receipt_no_discount') return false;
  const pool = p.rule.rewardType === 'discount_mix_new_price' ? p.eligible : p.matching;
  for (const pos of pool) if (ledger.engine[pos] !== ledger.stageStart[pos]) return false;
  return true;
}

function runOption(rules: readonly Passed[], solo: Passed | undefined, lines: readonly Line[]): OptionRun {
  const ledger = newLedger(lines.length);
  const applied: Applied[] = [];
  let discount = 0;
  let bonus = 0;
  const apply = (passed: Passed, award: Award): void => {
    commitAward(award, passed.rule, ledger);
    applied.push({ passed, award });
    if (passed.rule.bonus) bonus += award.total;
    else discount += award.total;
  };
  for (const stage of STAGES) {
    for (let i = 0; i < lines.length; i++) ledger.stageStart[i] = ledger.engine[i] as number;
    const staged = rules.filter((p) => p.rule.kind === stage);
    if (staged.length === 1) apply(staged[0] as Passed, computeAward(staged[0] as Passed, lines, ledger));
    if (staged.length <= 1) continue;
    // Larger stand-alone amount first, then rule id: the stacking order never depends on input order.
    const ranked = staged.map((passed) => ({ passed, alone: computeAward(passed, lines, ledger) }));
    ranked.sort((a, b) => b.alone.total - a.alone.total || (a.passed.rule.id < b.passed.rule.id ? -1 : 1));
    for (const { passed, alone } of ranked) apply(passed, stillHolds(passed, ledger) ? alone : computeAward(passed, lines, ledger));
  }
  return { solo, applied, discount, bonus };
}

/**
 * `{ ...base, ...extra }`, written as Object.assign on purpose: on Node 20's V8 an object made by a spread and then
 * given properties the source lacks survives young-generation collections (measured with --trace-gc-nvp: 1.3 MB
 * promoted per scavenge when the output was built with spreads, none with this), which made every output receipt
 * old-generation garbage and the scavenges the p99 of `discounts.eval.*`. Own enumerable properties, same order.
 */
function extend<T extends object, U extends object>(base: T, extra: U): T & U {
  return Object.assign({}, base, extra);
}

function better(a: OptionRun, b: OptionRun): boolean {
  if (a.discount !== b.discount) return a.discount > b.discount;
  if (a.bonus !== b.bonus) return a.bonus > b.bonus;
  if ((a.solo === undefined) !== (b.solo === undefined)) return a.solo === undefined;
  return (a.solo?.rule.id ?? '') < (b.solo?.rule.id ?? '');
}

function refStats(st: RefState | undefined, extra: { stamp?: number; debit_balance?: number }): DiscountRef['statistics'] {
  return { usage: (st?.usage ?? 0) + 1, ...extra };
}

function lineList(award: Award, lines: readonly Line[]): string {
  return award.positions.map((pos) => (lines[pos] as Line).lineId).join(', ');
}

/** The state says the till never fetched this customer's refs (docs/discounts.md §2). */
function refsUnknown(state: CustomerState | undefined, receipt: Receipt): boolean {
  return state?.refs_unknown === true && receipt.customer_id !== undefined && (state.customer_id === undefined || state.customer_id === receipt.customer_id);
}

export function evaluate(receipt: Receipt, rules: RuleIndex | readonly Rule[], context: EvaluationContext = {}): EvaluationResult {
  const index = isRuleIndex(rules) ? rules : buildIndex(rules);
  const lines = linesOf(receipt);
  const override = context.at !== undefined ? Date.parse(context.at) : Number.NaN;
  const at = Number.isNaN(override) ? Date.parse(receipt.purchase_at) : override;
  const currency = receipt.currency;
  let receiptGross = 0;
  let inputDiscount = 0;
  for (const item of receipt.items ?? []) {
    if (item.voided === true) continue;
    receiptGross += item.gross_amount;
    for (const d of item.discount_lines ?? []) inputDiscount += d.amount ?? 0;
  }
  const ctx: GateContext = {
    receipt,
    lines,
    at,
    state: context.state,
    receiptGross,
    receiptNet: receiptGross - inputDiscount,
    inputDiscounted: inputDiscount > 0,
    localTimes: new Map(),
    ...lineLookup(lines),
  };
  const considered: CompiledRule[] = context.explainAll === true ? [...index.all] : candidatesFor(index, receipt, refsUnknown(context.state, receipt));
  const gates: GateResult[] = considered.map((rule) => checkRule(ctx, rule));
  const passed = gates.filter((g): g is Passed => g.ok);
  const deactivated = new Map<string, Reason>();
  if (passed.some((p) => p.rule.deactivatedBy.length > 0)) {
    const availableIds = new Map(passed.map((p) => [p.rule.id, p.rule]));
    for (const p of passed) {
      const by = p.rule.deactivatedBy.find((id) => id !== p.rule.id && availableIds.has(id));
      if (by !== undefined) deactivated.set(p.rule.id, reason('deactivated', `turned off because ${availableIds.get(by)?.label ?? by} applies`, because('discount.deactivated', { by: availableIds.get(by)?.label ?? by })));
    }
  }
  const live = passed.filter((p) => !deactivated.has(p.rule.id));
  const combinable = live.filter((p) => p.rule.combinable);
  let best = runOption(combinable, undefined, lines);
  const soloRuns = new Map<Passed, OptionRun>();
  for (const solo of live) {
    if (solo.rule.combinable) continue;
    const run = runOption([solo], solo, lines);
    soloRuns.set(solo, run);
    if (better(run, best)) best = run;
  }

  const applied = new Map(best.applied.filter((a) => a.award.total > 0).map((a) => [a.passed.rule.id, a]));
  const inBest = new Map(best.applied.map((a) => [a.passed.rule.id, a]));
  const outcomes: RuleOutcome[] = [];
  const discounts: AppliedDiscount[] = [];
  // New lines per item index (the item's position in `receipt.items`).
  const newDiscountLines: (DiscountLine[] | undefined)[] = new Array<DiscountLine[] | undefined>(receipt.items?.length ?? 0);
  const newBonusLines: (BonusLine[] | undefined)[] = new Array<BonusLine[] | undefined>(receipt.items?.length ?? 0);

  type LineAmount = { readonly line_id: number; readonly amount: number };
  const outcome = (rule: CompiledRule, r: Reason, ref: string | undefined, award?: Award, byLine?: readonly LineAmount[]): void => {
    const amount = award && !rule.bonus ? award.total : 0;
    const bonus = award && rule.bonus ? award.total : 0;
    outcomes.push({
      discount_id: rule.id,
      name: rule.label,
      kind: rule.kind,
      applied: r.code === 'applied',
      reason: r.code,
      message: r.message,
      ...(r.detail ? { detail: r.detail } : {}),
      amount,
      bonus,
      ref_id: ref,
      lines: byLine ?? [],
    });
  };
  const stampRef = (g: Failed | Passed, before: number): void => {
    const instance = g.instance;
    if (!instance) return;
    discounts.push(extend(g.rule.published, { refs: [{ id: instance.refId, amount: 0, usage: 0, stamp: 1, items: [], statistics: { stamp: before + 1 } }] }));
  };

  // Discount and bonus lines go onto items in the order the rules were applied (item rules first).
  for (const a of best.applied) {
    if (a.award.total <= 0) continue;
    const rule = a.passed.rule;
    const description = rule.rule.receipt_text ?? rule.rule.name ?? rule.id;
    a.award.positions.forEach((pos, i) => {
      const line = lines[pos] as Line;
      const amount = a.award.amounts[i] as number;
      const percentage = a.award.percentages?.[i] ?? a.award.percentage;
      // Literals for each shape: a spread of an optional `percentage` costs a temporary object per line.
      if (rule.bonus) {
        const list = (newBonusLines[line.index] ??= []);
        list.push(
          percentage === undefined
            ? { bonus: amount, discount_type: 'loyalty', discount_id: rule.id, description, line_id: line.lineId }
            : { bonus: amount, percentage, discount_type: 'loyalty', discount_id: rule.id, description, line_id: line.lineId },
        );
      } else {
        const list = (newDiscountLines[line.index] ??= []);
        list.push(
          percentage === undefined
            ? { amount, discount_type: 'loyalty', discount_id: rule.id, description, line_id: line.lineId }
            : { amount, percentage, discount_type: 'loyalty', discount_id: rule.id, description, line_id: line.lineId },
        );
      }
    });
  }

  for (const g of gates) {
    const rule = g.rule;
    if (!g.ok) {
      outcome(rule, g.reason, g.instance?.refId);
      if (g.collecting) stampRef(g, g.collecting.before);
      continue;
    }
    const ref = g.instance.refId;
    const off = deactivated.get(rule.id);
    const won = applied.get(rule.id);
    if (off) outcome(rule, off, ref);
    else if (won) {
      const { award } = won;
      const what = rule.bonus ? `earns ${money(award.total, currency)} bonus` : `${money(award.total, currency)} off`;
      const byLine = award.positions.map((pos, i): LineAmount => ({ line_id: (lines[pos] as Line).lineId, amount: award.amounts[i] as number }));
      outcome(rule, reason('applied', `${what} on line${award.positions.length === 1 ? '' : 's'} ${lineList(award, lines)}`, because('discount.applied', { lines: lineList(award, lines) })), ref, award, byLine);
      // The outcome's lines and a discount ref's items hold the same entries; a bonus ref names them `bonus`.
      const items = rule.bonus ? byLine.map((l) => ({ line_id: l.line_id, bonus: l.amount })) : byLine;
      const extra: { stamp?: number; debit_balance?: number } = {};
      if (g.stamps) extra.stamp = g.stamps.before - g.stamps.needed;
      if (g.debitBalance !== undefined) extra.debit_balance = g.debitBalance - award.total;
      const refEntry: DiscountRef = {
        id: ref,
        amount: rule.bonus ? 0 : award.total,
        usage: 1,
        ...(rule.bonus ? { bonus: award.total } : {}),
        ...(g.stamps ? { stamp: 0 } : {}),
        items,
        statistics: refStats(g.refState, extra),
      };
      discounts.push(extend(rule.published, { refs: [refEntry] }));
    } else {
      const tried = inBest.get(rule.id);
      if (tried) outcome(rule, tried.award.shortfall ?? reason('nothing_to_discount', 'gives nothing on this basket', because('discount.nothing-to-discount', {})), ref);
      else if (best.solo) outcome(rule, reason('not_combinable', `not combinable with ${best.solo.rule.label}`, because('discount.not-combinable', { other: best.solo.rule.label })), ref);
      else {
        const alone = soloRuns.get(g) ?? runOption([g], g, lines);
        outcome(rule, reason('not_combinable', `not combinable with other discounts, which give more together (${money(best.discount, currency)} against ${money(alone.discount, currency)})`, because('discount.better-together', { together: best.discount, alone: alone.discount })), ref);
      }
      if (g.stamps) stampRef(g, g.stamps.before);
    }
  }

  discounts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const result = {
    discounts,
    outcomes,
    total_discount: best.applied.reduce((s, a) => s + (a.passed.rule.bonus ? 0 : a.award.total), 0),
    total_bonus: best.bonus,
    evaluated_at: new Date(at).toISOString(),
    rules_in_set: index.all.length,
    rules_considered: considered.length,
  };
  return extend(result, { receipt: discounts.length === 0 ? { ...receipt } : enrich(receipt, newDiscountLines, newBonusLines, discounts) });
}

function enrich(
  receipt: Receipt,
  discountLines: readonly (DiscountLine[] | undefined)[],
  bonusLines: readonly (BonusLine[] | undefined)[],
  discounts: readonly AppliedDiscount[],
): Receipt {
  let changed = false;
  let net = 0;
  let gross = 0;
  let totalDiscount = 0;
  const items = (receipt.items ?? []).map((item, index): ReceiptItem => {
    const added = discountLines[index];
    const bonus = bonusLines[index];
    let out = item;
    if (added || bonus) {
      const patch: Partial<ReceiptItem> = {};
      if (added) {
        const all = item.discount_lines ? [...item.discount_lines, ...added] : added;
        patch.discount_lines = all;
        patch.is_changed = true;
        patch.net_amount = item.gross_amount - all.reduce((s, d) => s + (d.amount ?? 0), 0);
        changed = true;
      }
      if (bonus) patch.bonus_lines = item.bonus_lines ? [...item.bonus_lines, ...bonus] : bonus;
      out = extend(item, patch);
    }
    if (item.voided !== true) {
      const off = (out.discount_lines ?? []).reduce((s, d) => s + (d.amount ?? 0), 0);
      gross += item.gross_amount;
      totalDiscount += off;
      net += out.net_amount ?? item.gross_amount - off;
    }
    return out;
  });
  const out: Receipt = extend(receipt, { items, discounts: [...(receipt.discounts ?? []), ...discounts] });
  if (!changed) return out;
  return Object.assign(out, { is_changed: true, gross_amount: receipt.gross_amount ?? gross, net_amount: net, total_discount: totalDiscount });
}
