import type { DeliveryResult } from '../outbox/connector';
import type { HttpFailure } from './http';

/**
 * An HTTP failure as the outbox reads it. `uncertain` marks a request that may have been applied (timeout,
 * reset, 5xx): the outbox may resend an idempotent effect, but never a loyalty payment.
 */
export function fromFailure(failure: HttpFailure, context?: string): DeliveryResult {
  const reason = context === undefined ? failure.reason : `${context}: ${failure.reason}`;
  if (failure.kind === 'permanent') return { type: 'permanent', reason };
  return {
    type: 'transient',
    reason,
    ...(failure.retryAt ? { retryAt: failure.retryAt.getTime() } : {}),
    ...(failure.delivery === 'unknown' ? { uncertain: true } : {}),
  };
}

export const APPLIED: DeliveryResult = { type: 'applied' };
export const ALREADY_APPLIED: DeliveryResult = { type: 'already_applied' };

export function invalidPayload(kind: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]): DeliveryResult {
  const first = issues[0];
  const where = first ? first.path.map(String).join('.') || 'payload' : 'payload';
  return { type: 'permanent', reason: `${kind} payload is invalid: ${where}: ${first?.message ?? 'unknown issue'}` };
}
