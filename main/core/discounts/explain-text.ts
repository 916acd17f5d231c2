/**
 * A plain-text table of an evaluation for people at the till or in support: one row per rule considered.
 */
import { minor, toDecimal } from '../money';
import { currencyExponent } from '../sale/currency';
import type { EvaluationResult } from './evaluate';

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export function explainText(result: EvaluationResult): string {
  const currency = result.receipt.currency ?? '';
  // The currency's own minor unit: ISK and JPY amounts have no decimals.
  const amount = (value: number): string => toDecimal(minor(value), currencyExponent(currency));
  const header = ['rule', 'name', 'result', 'amount', 'why'];
  const rows = result.outcomes.map((o) => [
    o.discount_id,
    cut(o.name, 32),
    o.applied ? 'applied' : o.reason,
    o.applied ? (o.bonus > 0 ? `+${amount(o.bonus)} bonus` : amount(o.amount)) : '',
    o.message,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(header), line(widths.map((w) => '-'.repeat(w)))];
  for (const r of rows) out.push(line(r));
  out.push('');
  out.push(`total discount ${amount(result.total_discount)} ${currency}`.trimEnd());
  if (result.total_bonus > 0) out.push(`total bonus ${amount(result.total_bonus)} ${currency}`.trimEnd());
  out.push(`${result.rules_considered} of ${result.rules_in_set} rules considered at ${result.evaluated_at}`);
  return `${out.join('\n')}\n`;
}
