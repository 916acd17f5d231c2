import type { AttentionEffect } from '../../store/outbox-status';

/**
 * The action the manager screen and `sync status` recommend for one effect that waits for a manager, read from
 * what the till knows about it (docs/sync.md, "Manager actions"):
 *
 * - `wait`: held behind another effect (a cancel behind its payment); settle that one first.
 * - `retry`: an uncertain payment whose balance reads say it did not land (Retry checks again before it sends);
 *   a receipt or Loyalty transaction the back end refused (they must be delivered: fix the cause, then Retry).
 * - `resolve`: an uncertain payment the reads cannot decide (look it up in the back office), or a refused claim,
 *   payment or member update that was settled another way.
 * - `write_off`: a receipt or transaction a manager already retried and the back end refused again.
 */
export type RecommendedAction = 'retry' | 'resolve' | 'write_off' | 'wait';

export type Recommendation = { readonly action: RecommendedAction; readonly text: string };

function evidenceText(evidence: unknown, key: 'verdict' | 'recommendation'): string | null {
  const v = evidence !== null && typeof evidence === 'object' ? (evidence as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : null;
}

/** `managerRetries`: how often a manager already retried this effect (outbox_actions). */
export function recommendFor(effect: AttentionEffect, managerRetries: number): Recommendation {
  const said = evidenceText(effect.evidence, 'recommendation');
  switch (effect.reasonCode) {
    case 'held':
      return { action: 'wait', text: `Waits for ${effect.waitsFor ?? 'another effect'}: settle that one first; this one then goes by itself.` };
    case 'uncertain': {
      const verdict = evidenceText(effect.evidence, 'verdict');
      if (verdict === 'not_landed') return { action: 'retry', text: said ?? 'The balance did not move: Retry checks once more and sends it only if it is still not taken.' };
      return { action: 'resolve', text: said ?? 'Look the payment up in the back office and resolve it with a note saying what you found.' };
    }
    case 'rejected':
    case null:
      if (effect.mandated) {
        return managerRetries > 0
          ? { action: 'write_off', text: 'Refused again after a retry: if the back end will never take it, write it off with a note; the day report counts it.' }
          : { action: 'retry', text: 'The back end must receive this: fix what it refused (see the reason), then Retry.' };
      }
      return { action: 'resolve', text: 'Refused by the back end: settle it another way (take the money, tell the customer) and resolve it with a note.' };
  }
}
