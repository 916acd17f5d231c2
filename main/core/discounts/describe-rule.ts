import { ruleKind } from './model';
import type { Rule } from './schema';

/**
 * One cached rule in words: what a purchase needs, what it gives and its limits. `till-agent rules explain`
 * prints it and the manager screen shows it, so both say the same thing.
 */
export type RuleDescription = {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
  readonly kind: 'item' | 'receipt';
  readonly receiptText: string | null;
  readonly validFrom: string;
  readonly validTo: string;
  readonly customers: string;
  readonly reward: string;
  readonly requirement: string;
  readonly limitation: string;
};

export function grantsText(rule: Rule): string {
  const list = (rule.customers ?? []).map((g) => (typeof g === 'string' ? g : g.customer_id));
  if (list.length === 0) return 'nobody';
  return list.length > 3 ? `${list.slice(0, 3).join(', ')} +${list.length - 3}` : list.join(', ');
}

export function rewardText(rule: Rule): string {
  const r = rule.reward as { type: string; value?: unknown; effect?: string };
  const value = typeof r.value === 'number' || typeof r.value === 'string' ? String(r.value) : r.value === undefined ? '' : JSON.stringify(r.value);
  return `${r.type} ${value}${r.effect === 'bonus' ? ' (bonus)' : ''}`.trim();
}

export function describeRule(rule: Rule): RuleDescription {
  return {
    id: rule.id,
    name: rule.name ?? '',
    active: rule.active !== false,
    kind: ruleKind(rule),
    receiptText: rule.receipt_text ?? null,
    validFrom: rule.requirement.purchase_from,
    validTo: rule.requirement.purchase_to,
    customers: grantsText(rule),
    reward: rewardText(rule),
    requirement: JSON.stringify({ ...rule.requirement, purchase_from: undefined, purchase_to: undefined }),
    limitation: JSON.stringify(rule.limitation ?? {}),
  };
}

/** The lines `rules explain` prints. */
export function ruleExplanationLines(d: RuleDescription): string[] {
  return [
    `${d.id}: ${d.name || '(no name)'}${d.active ? '' : ' (inactive)'}`,
    `  kind:        ${d.kind} rule${d.receiptText ? `, receipt text "${d.receiptText}"` : ''}`,
    `  valid:       ${d.validFrom} to ${d.validTo}`,
    `  customers:   ${d.customers}`,
    `  reward:      ${d.reward}`,
    `  requirement: ${d.requirement}`,
    `  limitation:  ${d.limitation}`,
  ];
}

/** Rules whose id, name or receipt text contains the query (case-insensitive); all of them for an empty query. */
export function searchRules(rules: readonly Rule[], query: string): Rule[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...rules];
  return rules.filter((r) => [r.id, r.name ?? '', r.receipt_text ?? ''].some((text) => text.toLowerCase().includes(q)));
}
