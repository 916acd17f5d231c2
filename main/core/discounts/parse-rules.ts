/**
 * Loads a rule set one rule at a time: a rule that fails validation is rejected alone, with its id and the path
 * of the first bad field, and the others still load. Nothing here throws on bad input.
 */
import { RuleSchema, type Rule } from './schema';

export type RejectedRule = { readonly id: string; readonly path: string; readonly message: string };

export type ParsedRules = { readonly rules: Rule[]; readonly rejected: RejectedRule[] };

/** `requirement.item.items[0].id`: the path as a person reads it. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

function idOf(raw: unknown, index: number): string {
  if (typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' && raw.id !== '') return raw.id;
  return `#${index}`;
}

export function parseRules(input: readonly unknown[]): ParsedRules {
  const rules: Rule[] = [];
  const rejected: RejectedRule[] = [];
  const count = new Map<string, number>();
  for (const raw of input) {
    const id = idOf(raw, -1);
    if (id !== '#-1') count.set(id, (count.get(id) ?? 0) + 1);
  }
  input.forEach((raw, index) => {
    const id = idOf(raw, index);
    const copies = count.get(id) ?? 0;
    if (copies > 1) {
      // Keeping either copy would make the result depend on the order of the file; refuse both instead.
      rejected.push({ id, path: 'id', message: `the id appears ${copies} times in the rule set` });
      return;
    }
    const parsed = RuleSchema.safeParse(raw);
    if (parsed.success) {
      rules.push(parsed.data);
      return;
    }
    const issue = parsed.error.issues[0];
    rejected.push({ id, path: issue ? formatPath(issue.path) : '', message: issue?.message ?? 'invalid rule' });
  });
  return { rules, rejected };
}
