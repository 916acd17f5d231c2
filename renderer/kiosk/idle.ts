/**
 * The kiosk's idle timer as a pure function of the time: a customer who walks away leaves a basket that the
 * next customer must not pay for. After `warnAfterMs` without a touch or scan the kiosk asks whether anyone
 * is there; `clearAfterMs` later it clears the basket. An empty basket never times out.
 */
export type IdleConfig = { readonly warnAfterMs: number; readonly clearAfterMs: number };

export const DEFAULT_IDLE: IdleConfig = { warnAfterMs: 60_000, clearAfterMs: 20_000 };

export type IdlePhase = { readonly phase: 'active' } | { readonly phase: 'warning'; readonly secondsLeft: number } | { readonly phase: 'expired' };

export function idlePhase(config: IdleConfig, lastActivity: number, now: number, basketEmpty: boolean): IdlePhase {
  if (basketEmpty) return { phase: 'active' };
  const idle = now - lastActivity;
  if (idle < config.warnAfterMs) return { phase: 'active' };
  const left = config.warnAfterMs + config.clearAfterMs - idle;
  if (left > 0) return { phase: 'warning', secondsLeft: Math.ceil(left / 1000) };
  return { phase: 'expired' };
}

/**
 * What the idle timer watches: a basket (cleared when it expires), a paid sale's receipt question (skipped when
 * it expires: the customer has gone and the sale is already on record), or nothing. A card payment on the
 * terminal, or one that failed and waits for staff, is never timed out: clearing it could lose a paid sale.
 */
export type IdleSubject = 'none' | 'basket' | 'receipt';

export function idleSubject(sale: { readonly lines: number; readonly payment: 'waiting' | 'declined' | 'error' | null; readonly receiptOffer: boolean }): IdleSubject {
  if (sale.payment === 'waiting' || sale.payment === 'error') return 'none';
  if (sale.lines > 0) return 'basket';
  return sale.receiptOffer ? 'receipt' : 'none';
}
