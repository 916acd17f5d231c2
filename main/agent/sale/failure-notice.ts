import { TillError } from '../../core/errors';
import type { ReasonParamValue } from '../../core/error-reasons';

/**
 * What a notice carries about a failure: the English message (the log's and the CLI's), and the error's reason
 * with its parameters when it has one, which the screen words in its language (docs/renderer.md).
 */
export function failureOf(err: unknown): { message: string; reason?: string; params?: Readonly<Record<string, ReasonParamValue>> } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof TillError && err.reason) return { message, reason: err.reason, params: err.params ?? {} };
  return { message };
}
