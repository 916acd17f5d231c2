import { assertNever } from '../../core/errors';
import type { WritableDb } from '../../store/db-types';
import { type Effect, recordCheck, recordEffectFailure, recordEffectSuccess } from '../../store/outbox';
import type { BalanceReading, Connector, EffectToDeliver, PaymentCheck, PaymentEvidence } from './connector';

/**
 * The till's own check of a payment whose answer was lost (docs/sync.md, "Uncertain payments"). It reads only
 * the balance the payment drew on, more than once, a few seconds apart, and settles what the reads prove. It
 * never sends the payment again on its own: a resend happens only when the request provably never reached the
 * server, or when a manager asked to retry and the check then proves the payment did not land.
 */
export type CheckTiming = {
  /** Between two reads of one check, ms: long enough for a late apply on the server to show. */
  readonly gapMs: number;
  /** After a failed read, ms (the check keeps trying by itself; it does not go to a manager for that). */
  readonly unreachableMs: number;
};

export const DEFAULT_CHECK_TIMING: CheckTiming = { gapMs: 2_500, unreachableMs: 5_000 };

/** What the worker does with the effect after one check step. */
export type CheckStep =
  | { readonly next: 'send'; readonly note: string }
  | { readonly next: 'done'; readonly note: string; readonly evidence: PaymentEvidence }
  | { readonly next: 'uncertain'; readonly atMs: number; readonly reason: string; readonly evidence?: PaymentEvidence }
  | { readonly next: 'needs_attention'; readonly reason: string; readonly evidence: PaymentEvidence };

function readingsOf(evidence: unknown): readonly BalanceReading[] {
  const r = evidence !== null && typeof evidence === 'object' ? (evidence as { readings?: unknown }).readings : undefined;
  return Array.isArray(r) ? (r as BalanceReading[]) : [];
}

/** The till's own movements the check counted, for a person to follow the arithmetic. */
function describeOwn(e: PaymentEvidence): string {
  if (!e.own || e.own.length === 0) return '';
  const each = e.own.map((m) => `${m.action === 'pay' ? 'pay' : 'refund'} ${m.key} ${m.delta > 0 ? '+' : ''}${m.delta} (${m.counted === 'surely' ? 'confirmed in between: counted' : 'outcome or time unknown: tried both ways'})`);
  return `; this till's own movements for the member: ${each.join(', ')}`;
}

function describe(e: PaymentEvidence): string {
  const reads = e.readings.map((r) => `${r.balance ?? 'unknown'} at ${new Date(r.at).toISOString()}`).join(', ');
  const sure = (e.own ?? []).filter((m) => m.counted === 'surely').reduce((sum, m) => sum + m.delta, 0);
  const expected = e.before === null ? 'unknown' : `${e.before + sure + e.direction * e.amount}`;
  const shifted = sure !== 0 && e.before !== null ? ` (${e.before + sure} if not)` : '';
  return `${e.asset} before ${e.before ?? 'unknown'}, expected ${expected} if it landed${shifted}${describeOwn(e)}; read ${reads || 'nothing yet'}`;
}

/** The recommendation a manager sees, in a store manager's words. */
export function recommendationFor(verdict: 'not_landed' | 'undecided', e: PaymentEvidence): string {
  if (e.refundOf !== undefined) return refundRecommendation(verdict, e);
  const what = e.direction < 0 ? `a payment of ${e.amount} ${e.asset}` : `a refund of ${e.amount} ${e.asset}`;
  if (verdict === 'not_landed') {
    const moved = e.own && e.own.length > 0 ? "moved only by this till's other payments for the member" : 'did not move';
    return `The member's balance ${moved}: ${what} most likely did not go through. Press Retry: the till checks the balance once more and sends it only if it is still not taken. If the customer paid another way, resolve it with a note.`;
  }
  const why = e.own?.some((m) => m.counted === 'maybe')
    ? "another payment of this member at this till whose outcome is not known yet, or another till"
    : 'another till, points earned';
  return `The balance also moved for another reason (${why}), so the till cannot tell whether ${what} went through. Look the member up in the Loyalty back office: if it is there, resolve with its confirmation code in the note; if not, press Retry (the till checks again and sends it once) or resolve saying how the money was taken.`;
}

/** The check was of the payment a refund gives back (`refundOf`): the refund is held until it is known. */
function refundRecommendation(verdict: 'not_landed' | 'undecided', e: PaymentEvidence): string {
  const what = `the payment of ${e.amount} ${e.asset} this refund gives back`;
  if (verdict === 'not_landed') {
    return `The member's balance shows ${what} most likely did not go through, so there is nothing to give back. Press Retry: the till checks the balance once more and closes the refund, sending nothing, if the payment is still not there. If you find the payment in the Loyalty back office, refund it there and resolve this with a note.`;
  }
  return `The balance also moved for another reason, so the till cannot tell whether ${what} went through. Look the member up in the Loyalty back office: if the payment is there, refund it there and resolve this with a note; if not, resolve saying nothing was taken (or press Retry: the till checks again).`;
}

export async function checkStep(
  connector: Connector,
  toDeliver: EffectToDeliver,
  effect: Effect,
  nowMs: number,
  timing: CheckTiming,
  signal: AbortSignal,
): Promise<CheckStep> {
  if (!connector.checkPayment) {
    return {
      next: 'needs_attention',
      reason: `payment ${effect.idempotencyKey}: its outcome is unknown and this back end offers no way to check it`,
      evidence: { asset: 'unknown', before: null, amount: toDeliver.amountAtRisk, direction: -1, readings: [], recommendation: 'Look the payment up in the back office and resolve it with a note.' },
    };
  }
  let check: PaymentCheck;
  try {
    check = await connector.checkPayment(toDeliver, { readings: readingsOf(effect.evidence), resendAllowed: effect.resendAllowed }, signal);
  } catch (err) {
    check = { type: 'unreachable', reason: err instanceof Error ? err.message : String(err) };
  }
  switch (check.type) {
    case 'not_sent':
      return { next: 'send', note: `check: ${check.detail}; sent as new` };
    case 'landed':
      return { next: 'done', note: `check: ${check.detail}`, evidence: { ...check.evidence, verdict: 'landed' } };
    case 'not_landed':
      if (check.resend) return { next: 'send', note: `check after a manager's retry: ${check.detail}; sent once more` };
      return {
        next: 'needs_attention',
        reason: `payment ${effect.idempotencyKey}: ${check.detail} (${describe(check.evidence)})`,
        evidence: { ...check.evidence, verdict: 'not_landed', recommendation: recommendationFor('not_landed', check.evidence) },
      };
    case 'read':
      return { next: 'uncertain', atMs: nowMs + timing.gapMs, reason: `checking: ${describe(check.evidence)}`, evidence: check.evidence };
    case 'undecided':
      return {
        next: 'needs_attention',
        reason: `payment ${effect.idempotencyKey}: ${check.detail} (${describe(check.evidence)})`,
        evidence: { ...check.evidence, verdict: 'undecided', recommendation: recommendationFor('undecided', check.evidence) },
      };
    case 'unreachable':
      return { next: 'uncertain', atMs: nowMs + timing.unreachableMs, reason: `checking: the balance could not be read (${check.reason}); trying again` };
    default:
      return assertNever(check);
  }
}

/** Records one check step on the effect (inside the worker's group commit). */
export function recordCheckStep(db: WritableDb, envelopeId: number, effect: Effect, step: CheckStep, at: number): void {
  const base = { envelopeId, seq: effect.seq, error: null, nowMs: at, countAttempt: false } as const;
  switch (step.next) {
    case 'done':
      recordEffectSuccess(db, { envelopeId, seq: effect.seq, idempotencyKey: effect.idempotencyKey, outcome: 'applied', nowMs: at, countAttempt: false, evidence: step.evidence });
      recordCheck(db, envelopeId, effect.seq, step.note, at);
      return;
    case 'uncertain':
      recordEffectFailure(db, { ...base, keepSent: true, next: { state: 'uncertain', atMs: step.atMs, reason: step.reason }, ...(step.evidence ? { evidence: step.evidence } : {}) });
      return;
    case 'needs_attention':
      recordEffectFailure(db, { ...base, keepSent: true, next: { state: 'needs_attention', code: 'uncertain', reason: step.reason }, evidence: step.evidence });
      recordCheck(db, envelopeId, effect.seq, `to the manager: ${step.evidence.verdict ?? 'undecided'}`, at);
      return;
    case 'send':
      // The sent marker is cleared: what is sent next is a new attempt, with its own marker.
      recordEffectFailure(db, { ...base, keepSent: false, next: { state: 'pending' } });
      recordCheck(db, envelopeId, effect.seq, step.note, at);
      return;
    default:
      assertNever(step);
  }
}
