import type { Statement } from 'better-sqlite3';
import { TillError } from '../core/errors';
import type { ReadableDb, WritableDb } from './db-types';

/**
 * The outbox's row types and the statements every outbox module shares (docs/sync.md). `outbox.ts` holds what
 * the ledger and the delivery worker call, `outbox-manage.ts` the manager's actions, `outbox-status.ts` what
 * the status views read. Times are epoch milliseconds.
 */

export type EffectKind =
  | 'discount_claim' // Dintero POST .../discounts/available_for_receipt/claims (idempotency: claim ref)
  | 'claim_release' // Dintero DELETE .../claims/{claim_id} (void)
  | 'receipt' // Dintero POST .../receipts (idempotency: receipt id)
  | 'wallet_transaction' // Dintero POST .../wallets/transactions (idempotency: ref_id)
  | 'loyalty_transaction' // Loyalty POST /transaction (idempotency: transactionId)
  | 'loyalty_payment' // Loyalty POST /payment pay/cancel (NOT idempotent server-side)
  | 'member_register'
  | 'member_update'
  | 'loyalty_event';

export const EFFECT_KINDS: readonly EffectKind[] = [
  'discount_claim',
  'claim_release',
  'receipt',
  'wallet_transaction',
  'loyalty_transaction',
  'loyalty_payment',
  'member_register',
  'member_update',
  'loyalty_event',
];

/**
 * Reports a back end requires for every sale, with guaranteed delivery: the Dintero receipt and the Loyalty
 * `/transaction`. A manager cannot resolve them away; they are retried, or written off with a note that the
 * day's report counts.
 */
export const MANDATED_KINDS: ReadonlySet<EffectKind> = new Set<EffectKind>(['receipt', 'loyalty_transaction']);

export type EnvelopeKind = 'sale' | 'void' | 'refund' | 'member' | 'event';

export type EnvelopeState = 'pending' | 'in_flight' | 'done' | 'retry' | 'needs_attention';
export const ENVELOPE_STATES: readonly EnvelopeState[] = ['pending', 'in_flight', 'retry', 'needs_attention', 'done'];

/**
 * Each effect's own state. `uncertain`: a payment whose outcome is unknown, which the till is checking by itself
 * (balance reads a few seconds apart); `needs_attention`: waiting for a manager.
 */
export type EffectState = 'pending' | 'in_flight' | 'retry' | 'uncertain' | 'needs_attention' | 'done';

/**
 * Why an effect (and so its envelope) needs a manager: the server refused it, a payment the till could not
 * decide, or an effect held behind another that needs attention (a payment's cancel behind the payment).
 */
export type AttentionCode = 'rejected' | 'uncertain' | 'held';
export type EffectOutcome = 'applied' | 'already_applied' | 'resolved' | 'written_off';
export type ActionKind = 'retry' | 'resolve' | 'recover' | 'write_off' | 'check';

export type Envelope = {
  readonly id: number;
  readonly kind: EnvelopeKind;
  readonly ref: string;
  readonly orderingKey: string;
  readonly state: EnvelopeState;
  readonly attempts: number;
  readonly nextAttemptAt: number | null;
  readonly reasonCode: AttentionCode | null;
  readonly reason: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly doneAt: number | null;
};

export type Effect = {
  readonly envelopeId: number;
  readonly seq: number;
  readonly kind: EffectKind;
  readonly idempotencyKey: string;
  readonly payload: unknown;
  readonly amountAtRisk: number;
  readonly state: EffectState;
  readonly outcome: EffectOutcome | null;
  readonly attempts: number;
  readonly sentAt: number | null;
  readonly lastError: string | null;
  readonly nextAttemptAt: number | null;
  readonly reasonCode: AttentionCode | null;
  readonly reason: string | null;
  readonly waitsFor: string | null;
  /** Uncertain payments: the balance reads, the verdict and the recommended action. */
  readonly evidence: unknown;
  readonly resendAllowed: boolean;
};

type EnvelopeRow = {
  id: number;
  kind: EnvelopeKind;
  ref: string;
  ordering_key: string;
  state: EnvelopeState;
  attempts: number;
  next_attempt_at: number | null;
  reason_code: AttentionCode | null;
  reason: string | null;
  created_at: number;
  updated_at: number;
  done_at: number | null;
};

export type EffectRow = {
  envelope_id: number;
  seq: number;
  kind: EffectKind;
  idempotency_key: string;
  payload: string;
  amount_at_risk: number;
  state: EffectState;
  outcome: EffectOutcome | null;
  attempts: number;
  sent_at: number | null;
  last_error: string | null;
  next_attempt_at: number | null;
  reason_code: AttentionCode | null;
  reason: string | null;
  waits_for: string | null;
  evidence: string | null;
  resend_allowed: number;
};

export function toEnvelope(r: EnvelopeRow): Envelope {
  return {
    id: r.id,
    kind: r.kind,
    ref: r.ref,
    orderingKey: r.ordering_key,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    reasonCode: r.reason_code,
    reason: r.reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    doneAt: r.done_at,
  };
}

export function toEffect(r: EffectRow): Effect {
  return {
    envelopeId: r.envelope_id,
    seq: r.seq,
    kind: r.kind,
    idempotencyKey: r.idempotency_key,
    payload: JSON.parse(r.payload) as unknown,
    amountAtRisk: r.amount_at_risk,
    state: r.state,
    outcome: r.outcome,
    attempts: r.attempts,
    sentAt: r.sent_at,
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at,
    reasonCode: r.reason_code,
    reason: r.reason,
    waitsFor: r.waits_for,
    evidence: r.evidence === null ? null : (JSON.parse(r.evidence) as unknown),
    resendAllowed: r.resend_allowed === 1,
  };
}

// Prepared statements are cached per connection: the worker calls these thousands of times per drain.
const statementCache = new WeakMap<ReadableDb, Map<string, Statement<unknown[]>>>();
export function stmt(db: ReadableDb, sql: string): Statement<unknown[]> {
  let perDb = statementCache.get(db);
  if (!perDb) {
    perDb = new Map();
    statementCache.set(db, perDb);
  }
  let s = perDb.get(sql);
  if (!s) {
    s = db.prepare<unknown[]>(sql);
    perDb.set(sql, s);
  }
  return s;
}

export function getEnvelope(db: ReadableDb, id: number): Envelope | undefined {
  const row = stmt(db, 'SELECT * FROM outbox_envelopes WHERE id = ?').get(id) as EnvelopeRow | undefined;
  return row ? toEnvelope(row) : undefined;
}

export function listEffects(db: ReadableDb, envelopeId: number): Effect[] {
  return (stmt(db, 'SELECT * FROM outbox_effects WHERE envelope_id = ? ORDER BY seq').all(envelopeId) as EffectRow[]).map(toEffect);
}

/** The effect holding an idempotency key, wherever it is queued (a void's cancel looks up the payment it reverses). */
export function getEffectByKey(db: ReadableDb, idempotencyKey: string): Effect | undefined {
  const row = stmt(db, 'SELECT * FROM outbox_effects WHERE idempotency_key = ?').get(idempotencyKey) as EffectRow | undefined;
  return row ? toEffect(row) : undefined;
}

export function requireEnvelope(db: ReadableDb, id: number): Envelope {
  const env = getEnvelope(db, id);
  if (!env) throw new TillError('NOT_FOUND', `There is no outbox envelope ${id}.`, { fix: 'See `till-agent sync status` for the envelopes that need attention.' });
  return env;
}

export type EnvelopeMove = {
  readonly state: 'pending' | 'done' | 'retry' | 'needs_attention';
  readonly nextAttemptAt: number | null;
  readonly reasonCode: AttentionCode | null;
  readonly reason: string | null;
};

/**
 * Moves an envelope to its next state. One statement for every move, so no move can forget to clear what the
 * previous state left (a reason on a delivered envelope, a due time on one waiting for a manager).
 */
export function moveEnvelope(db: WritableDb, id: number, to: EnvelopeMove, nowMs: number): void {
  stmt(
    db,
    "UPDATE outbox_envelopes SET state = ?, next_attempt_at = ?, reason_code = ?, reason = ?, updated_at = ?, done_at = CASE WHEN ? = 'done' THEN ? ELSE done_at END WHERE id = ?",
  ).run(to.state, to.nextAttemptAt, to.reasonCode, to.reason, nowMs, to.state, nowMs, id);
}

export function recordAction(db: WritableDb, envelopeId: number, effectSeq: number | null, action: ActionKind, fromState: string, note: string | null, nowMs: number): void {
  stmt(db, 'INSERT INTO outbox_actions (envelope_id, effect_seq, action, from_state, note, at) VALUES (?, ?, ?, ?, ?, ?)').run(
    envelopeId,
    effectSeq,
    action,
    fromState,
    note,
    nowMs,
  );
}

/**
 * An effect was settled (delivered, resolved or written off): the effects held behind it (a cancel behind its
 * payment) may go, and their envelopes, waiting for a manager only because of them, are due again now.
 */
export function releaseWaiters(db: WritableDb, idempotencyKey: string, nowMs: number): void {
  const released = stmt(
    db,
    "UPDATE outbox_effects SET state = 'pending', reason_code = NULL, reason = NULL, waits_for = NULL WHERE waits_for = ? AND state = 'needs_attention' RETURNING envelope_id",
  ).all(idempotencyKey) as { envelope_id: number }[];
  for (const { envelope_id } of released) {
    stmt(db, "UPDATE outbox_envelopes SET state = 'pending', next_attempt_at = NULL, reason_code = NULL, updated_at = ? WHERE id = ? AND state = 'needs_attention'").run(
      nowMs,
      envelope_id,
    );
  }
}

/**
 * After a manager settled one effect: the envelope is done when nothing is left, waits for a manager when all
 * that is left does, and is otherwise due now, so the worker delivers the rest.
 */
export function resettleEnvelope(db: WritableDb, id: number, nowMs: number): void {
  const open = (stmt(db, "SELECT state, reason_code FROM outbox_effects WHERE envelope_id = ? AND state != 'done'").all(id) as { state: EffectState; reason_code: AttentionCode | null }[]);
  if (open.length === 0) {
    moveEnvelope(db, id, { state: 'done', nextAttemptAt: null, reasonCode: null, reason: null }, nowMs);
  } else if (open.every((e) => e.state === 'needs_attention')) {
    const code = mostUrgent(open.map((e) => e.reason_code));
    moveEnvelope(db, id, { state: 'needs_attention', nextAttemptAt: null, reasonCode: code, reason: `${open.length} effect(s) need attention` }, nowMs);
  } else {
    moveEnvelope(db, id, { state: 'pending', nextAttemptAt: null, reasonCode: null, reason: null }, nowMs);
  }
}

/** The envelope shows its most urgent effect's code: money in doubt first, then a refusal, then what waits behind them. */
export function mostUrgent(codes: readonly (AttentionCode | null)[]): AttentionCode {
  if (codes.includes('uncertain')) return 'uncertain';
  if (codes.includes('rejected')) return 'rejected';
  return 'held';
}
