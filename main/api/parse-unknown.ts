import type { z } from 'zod';

export class SchemaParseError extends Error {
  override readonly name = 'SchemaParseError';
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`Invalid input: ${issues.join('; ')}`);
    this.issues = issues;
  }
}

/** Parses with a schema and throws one error that lists every failing path (Signal's parseUnknown). */
export function parseUnknown<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new SchemaParseError(result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`));
}
