import { TillError } from '../core/errors';
import type { ReadableDb, WritableDb } from './db-types';
import {
  type ActionKind,
  type Effect,
  type EffectRow,
  type Envelope,
  MANDATED_KINDS,
  recordAction,
  releaseWaiters,
  requireEnvelope,
  resettleEnvelope,
  stmt,
  toEffect,
} from './outbox-rows';

/**
 * The manager's actions on the outbox (docs/sync.md, "Manager actions"), one effect at a time. Every action is
 * recorded in `outbox_actions` with the state it started from and the note.
 */

/** An effect as the manager names it: `<envelope id>.<seq>`, e.g. `12.0`, as `sync status` prints it. */
export type EffectRef = { readonly envelopeId: number; readonly seq: number };

function requireEffect(db: ReadableDb, ref: EffectRef): Effect {
  const row = stmt(db, 'SELECT * FROM outbox_effects WHERE envelope_id = ? AND seq = ?').get(ref.envelopeId, ref.seq) as EffectRow | undefined;
  if (!row) {
    throw new TillError('NOT_FOUND', `There is no outbox effect ${ref.envelopeId}.${ref.seq}.`, { fix: 'See `till-agent sync status` for the effects that need attention.' });
  }
  return toEffect(row);
}

function requireIdle(env: Envelope, what: string): void {
  if (env.state === 'in_flight') {
    throw new TillError('CONFLICT', `Envelope ${env.id} is being delivered right now; ${what} it when the delivery has finished.`);
  }
}

function requireNote(note: string, what: string): string {
  const text = note.trim();
  if (text === '') throw new TillError('SCHEMA_INVALID', `${what} needs a note saying why (e.g. how it was settled).`);
  return text;
}

function retryOne(db: WritableDb, effect: Effect, at: number, note: string | null): void {
  if (effect.state === 'uncertain' || (effect.state === 'needs_attention' && effect.reasonCode === 'uncertain')) {
    // Never a plain resend: the till checks the member's balance again first, and sends the payment once more
    // only if the check proves it did not land (docs/sync.md, "Uncertain payments"). The sent marker stays.
    stmt(
      db,
      "UPDATE outbox_effects SET state = 'uncertain', resend_allowed = 1, next_attempt_at = ?, reason_code = NULL, evidence = json_set(COALESCE(evidence, '{}'), '$.readings', json('[]')) WHERE envelope_id = ? AND seq = ?",
    ).run(at, effect.envelopeId, effect.seq);
  } else {
    stmt(db, "UPDATE outbox_effects SET state = 'pending', next_attempt_at = NULL, reason_code = NULL, reason = NULL, waits_for = NULL WHERE envelope_id = ? AND seq = ?").run(
      effect.envelopeId,
      effect.seq,
    );
  }
  recordAction(db, effect.envelopeId, effect.seq, 'retry', effect.state, note, at);
}

const RETRYABLE = new Set<Effect['state']>(['needs_attention', 'retry', 'uncertain']);

/**
 * Manager action: try one effect again now. An uncertain payment is checked again first and resent only when
 * the check proves it did not land; anything else is sent again with its key.
 */
export function retryEffect(db: WritableDb, ref: EffectRef, now: Date, note?: string): Effect {
  const at = now.getTime();
  return db
    .transaction(() => {
      const env = requireEnvelope(db, ref.envelopeId);
      requireIdle(env, 'retry');
      const effect = requireEffect(db, ref);
      if (!RETRYABLE.has(effect.state)) {
        throw new TillError('CONFLICT', `Effect ${ref.envelopeId}.${ref.seq} is ${effect.state}; only an effect that needs attention, waits to retry or is being checked can be retried.`);
      }
      retryOne(db, effect, at, note ?? null);
      stmt(db, "UPDATE outbox_envelopes SET state = 'pending', next_attempt_at = NULL, reason_code = NULL, updated_at = ? WHERE id = ?").run(at, env.id);
      return requireEffect(db, ref);
    })
    .immediate();
}

/**
 * Manager action on a whole envelope: every effect that needs attention or waits is tried again now (an
 * uncertain payment is checked first, as in `retryEffect`). Allowed from needs_attention and retry.
 */
export function retryEnvelope(db: WritableDb, id: number, now: Date, note?: string): Envelope {
  const at = now.getTime();
  return db
    .transaction(() => {
      const env = requireEnvelope(db, id);
      if (env.state !== 'needs_attention' && env.state !== 'retry') {
        throw new TillError('CONFLICT', `Envelope ${id} is ${env.state}; only an envelope that needs attention or waits to retry can be retried.`);
      }
      const effects = (stmt(db, 'SELECT * FROM outbox_effects WHERE envelope_id = ? ORDER BY seq').all(id) as EffectRow[]).map(toEffect);
      for (const effect of effects) if (RETRYABLE.has(effect.state)) retryOne(db, effect, at, note ?? null);
      stmt(db, "UPDATE outbox_envelopes SET state = 'pending', next_attempt_at = NULL, reason_code = NULL, updated_at = ? WHERE id = ?").run(at, id);
      recordAction(db, id, null, 'retry', env.state, note ?? null, at);
      return requireEnvelope(db, id);
    })
    .immediate();
}

function settleByHand(db: WritableDb, ref: EffectRef, note: string, now: Date, action: 'resolve' | 'write_off'): Effect {
  const at = now.getTime();
  return db
    .transaction(() => {
      const env = requireEnvelope(db, ref.envelopeId);
      requireIdle(env, action === 'resolve' ? 'resolve' : 'write off');
      const effect = requireEffect(db, ref);
      if (effect.state === 'done') throw new TillError('CONFLICT', `Effect ${ref.envelopeId}.${ref.seq} is already done (${effect.outcome ?? 'delivered'}).`);
      const mandated = MANDATED_KINDS.has(effect.kind);
      if (action === 'resolve' && mandated) {
        throw new TillError('CONFLICT', `Effect ${ref.envelopeId}.${ref.seq} is the sale's ${effect.kind === 'receipt' ? 'Dintero receipt' : 'Loyalty transaction'}, which the back end must receive; it cannot be resolved away.`, {
          fix: `Retry it (\`till-agent sync retry ${ref.envelopeId}.${ref.seq}\`), or write it off with a note (\`till-agent sync write-off ${ref.envelopeId}.${ref.seq} --note TEXT\`); a write-off is counted in the day's report.`,
        });
      }
      if (action === 'write_off' && !mandated) {
        throw new TillError('CONFLICT', `Effect ${ref.envelopeId}.${ref.seq} (${effect.kind}) is not a receipt or a Loyalty transaction; settle it with \`till-agent sync resolve\` instead.`);
      }
      stmt(
        db,
        "UPDATE outbox_effects SET state = 'done', outcome = ?, done_at = ?, next_attempt_at = NULL, waits_for = NULL, resend_allowed = 0 WHERE envelope_id = ? AND seq = ?",
      ).run(action === 'resolve' ? 'resolved' : 'written_off', at, ref.envelopeId, ref.seq);
      recordAction(db, ref.envelopeId, ref.seq, action, effect.state, note, at);
      releaseWaiters(db, effect.idempotencyKey, at);
      resettleEnvelope(db, ref.envelopeId, at);
      return requireEffect(db, ref);
    })
    .immediate();
}

/**
 * Manager action: this one effect was settled another way (a refused claim dropped, a payment found in the
 * Loyalty back office, money taken another way). Only this effect: the rest of the sale is still delivered.
 * The receipt and the Loyalty transaction cannot be resolved; see `writeOffEffect`.
 */
export function resolveEffect(db: WritableDb, ref: EffectRef, note: string, now: Date): Effect {
  return settleByHand(db, ref, requireNote(note, 'Resolving an effect'), now, 'resolve');
}

/**
 * Manager action, separate from resolve: a receipt or Loyalty transaction the back end will never take is
 * written off. It needs a note, and the day's X/Z report counts it (`listWriteOffs`).
 */
export function writeOffEffect(db: WritableDb, ref: EffectRef, note: string, now: Date): Effect {
  return settleByHand(db, ref, requireNote(note, 'Writing off a receipt or transaction'), now, 'write_off');
}

/**
 * `sync resolve <envelope>`: allowed when exactly one effect of the envelope can be resolved, so a manager can
 * never settle more than they looked at.
 */
export function resolveEnvelope(db: WritableDb, id: number, note: string, now: Date): Envelope {
  requireNote(note, 'Resolving an envelope');
  const open = (stmt(db, "SELECT * FROM outbox_effects WHERE envelope_id = ? AND state != 'done' ORDER BY seq").all(id) as EffectRow[]).map(toEffect);
  const env = requireEnvelope(db, id);
  if (env.state === 'done') throw new TillError('CONFLICT', `Envelope ${id} is done; there is nothing left to resolve.`);
  const resolvable = open.filter((e) => !MANDATED_KINDS.has(e.kind) && e.state === 'needs_attention');
  const only = resolvable.length === 1 ? resolvable[0] : undefined;
  if (!only) {
    const listed = open.map((e) => `${id}.${e.seq} ${e.kind} (${e.state})`).join(', ') || 'none';
    throw new TillError('CONFLICT', `Envelope ${id} has ${resolvable.length} effects that could be resolved; name one: ${listed}.`, {
      fix: `Resolve one effect at a time: \`till-agent sync resolve ${id}.<seq> --note TEXT\`.`,
    });
  }
  resolveEffect(db, { envelopeId: id, seq: only.seq }, note, now);
  return requireEnvelope(db, id);
}

export type OutboxAction = { readonly action: ActionKind; readonly effectSeq: number | null; readonly fromState: string; readonly note: string | null; readonly at: number };

export function listActions(db: ReadableDb, envelopeId: number): OutboxAction[] {
  return (
    stmt(db, 'SELECT action, effect_seq, from_state, note, at FROM outbox_actions WHERE envelope_id = ? ORDER BY id').all(envelopeId) as {
      action: ActionKind;
      effect_seq: number | null;
      from_state: string;
      note: string | null;
      at: number;
    }[]
  ).map((r) => ({ action: r.action, effectSeq: r.effect_seq, fromState: r.from_state, note: r.note, at: r.at }));
}

/**
 * `amount`: the net total of the sale (void, refund) the written-off report belongs to, in minor units; 0 for an
 * envelope that is not a ledger entry.
 */
/** How often a manager retried this one effect: a second refusal after a retry is evidence for a write-off. */
export function managerRetryCount(db: ReadableDb, ref: EffectRef): number {
  const row = stmt(db, "SELECT count(*) AS n FROM outbox_actions WHERE envelope_id = ? AND effect_seq = ? AND action = 'retry'").get(ref.envelopeId, ref.seq) as { n: number };
  return row.n;
}

export type WriteOff = {
  readonly envelopeId: number;
  readonly seq: number;
  readonly kind: string;
  readonly ref: string;
  readonly note: string;
  readonly at: number;
  readonly amount: number;
};

/** Receipts and Loyalty transactions written off in `[fromMs, toMs)`, for the day's X/Z report. */
export function listWriteOffs(db: ReadableDb, fromMs: number, toMs: number): WriteOff[] {
  return (
    stmt(
      db,
      `SELECT a.envelope_id, a.effect_seq, f.kind, e.ref, a.note, a.at, COALESCE(s.net_minor, 0) AS amount FROM outbox_actions a
         JOIN outbox_envelopes e ON e.id = a.envelope_id
         JOIN outbox_effects f ON f.envelope_id = a.envelope_id AND f.seq = a.effect_seq
         LEFT JOIN sales s ON s.receipt_id = e.ref AND e.kind IN ('sale', 'void', 'refund')
        WHERE a.action = 'write_off' AND a.at >= ? AND a.at < ? ORDER BY a.at, a.id`,
    ).all(fromMs, toMs) as { envelope_id: number; effect_seq: number; kind: string; ref: string; note: string; at: number; amount: number }[]
  ).map((r) => ({ envelopeId: r.envelope_id, seq: r.effect_seq, kind: r.kind, ref: r.ref, note: r.note, at: r.at, amount: r.amount }));
}
