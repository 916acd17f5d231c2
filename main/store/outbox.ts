import { TillError } from '../core/errors';
import type { ReadableDb, WritableDb } from './db-types';
import {
  type AttentionCode,
  type Envelope,
  type EnvelopeKind,
  type EffectKind,
  moveEnvelope,
  recordAction,
  releaseWaiters,
  stmt,
  toEnvelope,
} from './outbox-rows';
import { withNormalSync, withTransaction } from './relaxed-sync';
import { translateSqliteError } from './sqlite-errors';
import { payloadAtRest } from './effect-payload-at-rest';

/**
 * All outbox SQL (DESIGN.md §5, docs/sync.md): this module holds what the ledger and the delivery worker call;
 * `outbox-manage.ts` the manager's actions, `outbox-status.ts` the status views, `outbox-rows.ts` the shared
 * row types. The ledger calls `enqueueEnvelope` inside its sale-commit transaction. Times are epoch ms.
 */

export {
  EFFECT_KINDS,
  ENVELOPE_STATES,
  MANDATED_KINDS,
  getEffectByKey,
  getEnvelope,
  listEffects,
  mostUrgent,
  type ActionKind,
  type AttentionCode,
  type Effect,
  type EffectKind,
  type EffectOutcome,
  type EffectState,
  type Envelope,
  type EnvelopeKind,
  type EnvelopeState,
} from './outbox-rows';
export * from './outbox-manage';
export * from './outbox-status';

export type NewEffect = {
  readonly kind: EffectKind;
  readonly idempotencyKey: string;
  readonly payload: unknown;
  /** Minor units of value tendered offline (gift card, points) that a rejection would leave unpaid. */
  readonly amountAtRisk?: number;
};

export type NewEnvelope = {
  readonly kind: EnvelopeKind;
  /** e.g. the receipt id "demo-branch-till-1-000042" */
  readonly ref: string;
  /** Deliveries are in order per key: one per person (`member:<id>`, else the customer id), or `receipt:<id>` for an anonymous sale and its voids and refunds. */
  readonly orderingKey: string;
  readonly effects: readonly NewEffect[];
};

type EnvelopeRow = Parameters<typeof toEnvelope>[0];

/**
 * Must be called inside the caller's db.transaction; inserts one envelope and its effects, state pending.
 * Returns the envelope id. An idempotency key used before is refused (CONFLICT): two effects sharing a key
 * would make the second look "already applied" and be silently skipped.
 */
export function enqueueEnvelope(db: WritableDb, envelope: NewEnvelope, now: Date): number {
  if (!db.inTransaction) {
    throw new TypeError('enqueueEnvelope must run inside the caller’s db.transaction, with the rows it reports');
  }
  if (envelope.effects.length === 0) {
    throw new TillError('SCHEMA_INVALID', `Outbox envelope ${envelope.ref} has no effects to deliver.`);
  }
  const at = now.getTime();
  const id = Number(
    stmt(db, 'INSERT INTO outbox_envelopes (kind, ref, ordering_key, state, created_at, updated_at) VALUES (?, ?, ?, \'pending\', ?, ?)').run(
      envelope.kind,
      envelope.ref,
      envelope.orderingKey,
      at,
      at,
    ).lastInsertRowid,
  );
  const insertEffect = stmt(
    db,
    'INSERT INTO outbox_effects (envelope_id, seq, kind, idempotency_key, payload, amount_at_risk) VALUES (?, ?, ?, ?, ?, ?)',
  );
  envelope.effects.forEach((effect, seq) => {
    const risk = effect.amountAtRisk ?? 0;
    if (!Number.isSafeInteger(risk) || risk < 0) {
      throw new TillError('SCHEMA_INVALID', `Outbox effect ${effect.idempotencyKey}: amountAtRisk must be a non-negative integer of minor units.`);
    }
    try {
      // A gift card's token is sealed before it reaches the file (main/store/effect-payload-at-rest.ts).
      insertEffect.run(id, seq, effect.kind, effect.idempotencyKey, JSON.stringify(payloadAtRest(db, effect.kind, effect.payload) ?? null), risk);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new TillError('CONFLICT', `The idempotency key ${effect.idempotencyKey} is already in the outbox; the envelope for ${envelope.ref} was not queued.`, {
          cause: err,
        });
      }
      throw err;
    }
  });
  return id;
}

/** Envelopes that hold their person's lane: anything not done, except one left to a manager for a refusal. */
const LANE_HOLDING = "NOT (state = 'needs_attention' AND COALESCE(reason_code, '') != 'uncertain')";

/**
 * Envelopes the worker may start now, oldest first: the head of each ordering key, when it is pending or its
 * retry time has come. The head is the key's oldest envelope not done and not left to a manager for a refusal
 * (docs/sync.md, "Order"): a refused claim or receipt holds back nothing of that person, and what must follow
 * one of its effects is held effect by effect (`waits_for`). A payment whose outcome the till could not decide
 * (`uncertain`) does hold the person's lane: their later payments would move the same balance and blur the
 * evidence the manager's retry is checked against. A key whose head is in flight, waiting to retry, being
 * checked or uncertain delivers nothing after it.
 */
export function listDueHeads(db: ReadableDb, nowMs: number, limit: number): Envelope[] {
  const rows = stmt(
    db,
    `SELECT e.* FROM (SELECT MIN(id) AS id FROM outbox_envelopes WHERE state != 'done' AND ${LANE_HOLDING} GROUP BY ordering_key) h
       JOIN outbox_envelopes e ON e.id = h.id
      WHERE e.state = 'pending' OR (e.state = 'retry' AND e.next_attempt_at <= ?)
      ORDER BY e.id LIMIT ?`,
  ).all(nowMs, limit) as EnvelopeRow[];
  return rows.map(toEnvelope);
}

/**
 * The head of one ordering key if it may start now (a worker lane continues with the same person).
 * `afterId`: the envelope the caller just finished (its done mark may still be in an uncommitted batch).
 */
export function dueHeadOfKey(db: ReadableDb, orderingKey: string, nowMs: number, afterId = 0): Envelope | undefined {
  const row = stmt(
    db,
    `SELECT * FROM outbox_envelopes WHERE ordering_key = ? AND id > ? AND state != 'done' AND ${LANE_HOLDING} ORDER BY id LIMIT 1`,
  ).get(orderingKey, afterId) as EnvelopeRow | undefined;
  if (!row) return undefined;
  if (row.state === 'pending' || (row.state === 'retry' && row.next_attempt_at !== null && row.next_attempt_at <= nowMs)) return toEnvelope(row);
  return undefined;
}

/** The earliest time a waiting retry becomes due, if any. */
export function nextRetryAt(db: ReadableDb): number | undefined {
  const row = stmt(db, "SELECT MIN(next_attempt_at) AS t FROM outbox_envelopes WHERE state = 'retry'").get() as { t: number | null };
  return row.t ?? undefined;
}

/**
 * Runs several bookkeeping writes (from different worker lanes) in one commit: group commit, so a drain does
 * not pay one commit per effect. `durable` commits with synchronous=FULL, for batches holding a sent marker.
 */
export function commitBatch(db: WritableDb, ops: readonly (() => void)[], durable: boolean): void {
  const all = (): void => {
    for (const op of ops) op();
  };
  try {
    if (durable) withTransaction(db, all);
    else withNormalSync(db, all);
  } catch (err) {
    throw translateSqliteError(err, db.name);
  }
}

/** Marks a due envelope in flight (one attempt more). False when someone else took it or it is not due. */
export function claimEnvelope(db: WritableDb, id: number, nowMs: number): boolean {
  return withNormalSync(db, () => {
    const r = stmt(
      db,
      "UPDATE outbox_envelopes SET state = 'in_flight', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state IN ('pending', 'retry')",
    ).run(nowMs, id);
    return r.changes === 1;
  });
}

/**
 * Committed durably (the connection's synchronous=FULL) before a non-idempotent request goes out, so a
 * crash or power cut during it is visible afterwards and the request is not sent again blindly. The effect
 * is `in_flight` from here until its answer is recorded.
 */
export function markEffectSent(db: WritableDb, envelopeId: number, seq: number, nowMs: number): void {
  stmt(db, "UPDATE outbox_effects SET sent_at = ?, attempts = attempts + 1, state = 'in_flight' WHERE envelope_id = ? AND seq = ?").run(nowMs, envelopeId, seq);
}

export type EffectSuccess = {
  readonly envelopeId: number;
  readonly seq: number;
  readonly idempotencyKey: string;
  readonly outcome: 'applied' | 'already_applied';
  readonly nowMs: number;
  /** False when `markEffectSent` already counted this attempt. */
  readonly countAttempt: boolean;
  /** What an uncertain payment's check found, kept as the record of how it was settled. */
  readonly evidence?: unknown;
};

/** Records one effect delivered, so a later attempt skips it, and lets go what was held behind it. */
export function recordEffectSuccess(db: WritableDb, s: EffectSuccess): void {
  withNormalSync(db, () => {
    stmt(
      db,
      `UPDATE outbox_effects SET state = 'done', outcome = ?, done_at = ?, last_error = NULL, next_attempt_at = NULL, reason_code = NULL, reason = NULL,
              waits_for = NULL, resend_allowed = 0, evidence = COALESCE(?, evidence), attempts = attempts + ${s.countAttempt ? 1 : 0}
        WHERE envelope_id = ? AND seq = ? AND state != 'done'`,
    ).run(s.outcome, s.nowMs, s.evidence === undefined ? null : JSON.stringify(s.evidence), s.envelopeId, s.seq);
    releaseWaiters(db, s.idempotencyKey, s.nowMs);
  });
}

/** Where an effect goes after an attempt that did not deliver it. */
export type EffectNext =
  | { readonly state: 'retry'; readonly atMs: number }
  | { readonly state: 'needs_attention'; readonly code: AttentionCode; readonly reason: string; readonly waitsFor?: string }
  /** A payment whose outcome is unknown: the till checks it by itself at `atMs`. */
  | { readonly state: 'uncertain'; readonly atMs: number; readonly reason: string }
  /** Proven not sent (or proven not applied and a manager allowed the resend): delivered as new. */
  | { readonly state: 'pending' };

export type EffectFailure = {
  readonly envelopeId: number;
  readonly seq: number;
  readonly error: string | null;
  readonly nowMs: number;
  readonly countAttempt: boolean;
  /**
   * The server answered, so the request was not applied and a payment's sent marker is cleared; true keeps
   * it when the outcome is unknown.
   */
  readonly keepSent: boolean;
  readonly next: EffectNext;
  /** Replaces the effect's evidence (uncertain payments: the balance reads so far). */
  readonly evidence?: unknown;
};

/** Records a failed (or undecided) attempt at one effect and where it goes next. The envelope moves separately. */
export function recordEffectFailure(db: WritableDb, f: EffectFailure): void {
  const n = f.next;
  const atMs = n.state === 'retry' || n.state === 'uncertain' ? n.atMs : null;
  const code = n.state === 'needs_attention' ? n.code : null;
  const reason = n.state === 'needs_attention' || n.state === 'uncertain' ? n.reason : null;
  const waitsFor = n.state === 'needs_attention' ? (n.waitsFor ?? null) : null;
  withNormalSync(db, () => {
    stmt(
      db,
      `UPDATE outbox_effects SET state = ?, next_attempt_at = ?, reason_code = ?, reason = ?, waits_for = ?, last_error = COALESCE(?, last_error),
              evidence = CASE WHEN ? THEN ? ELSE evidence END, resend_allowed = CASE WHEN ? = 'pending' THEN 0 ELSE resend_allowed END,
              attempts = attempts + ${f.countAttempt ? 1 : 0}${f.keepSent ? '' : ', sent_at = NULL'}
        WHERE envelope_id = ? AND seq = ?`,
    ).run(
      n.state,
      atMs,
      code,
      reason,
      waitsFor,
      f.error,
      f.evidence === undefined ? 0 : 1,
      f.evidence === undefined ? null : JSON.stringify(f.evidence),
      n.state,
      f.envelopeId,
      f.seq,
    );
  });
}

/** Moves an envelope after an attempt: done, due again at a time, or waiting for a manager. */
export function settleEnvelope(
  db: WritableDb,
  id: number,
  to: { readonly state: 'done' } | { readonly state: 'retry'; readonly atMs: number; readonly reason: string } | { readonly state: 'needs_attention'; readonly code: AttentionCode; readonly reason: string },
  nowMs: number,
): void {
  withNormalSync(db, () => {
    switch (to.state) {
      case 'done':
        moveEnvelope(db, id, { state: 'done', nextAttemptAt: null, reasonCode: null, reason: null }, nowMs);
        return;
      case 'retry':
        moveEnvelope(db, id, { state: 'retry', nextAttemptAt: to.atMs, reasonCode: null, reason: to.reason }, nowMs);
        return;
      case 'needs_attention':
        moveEnvelope(db, id, { state: 'needs_attention', nextAttemptAt: null, reasonCode: to.code, reason: to.reason }, nowMs);
        return;
      default:
        to satisfies never;
    }
  });
}

/** The till's own check of an uncertain payment decided something: kept with the manager's actions. */
export function recordCheck(db: WritableDb, envelopeId: number, seq: number, note: string, nowMs: number): void {
  withNormalSync(db, () => recordAction(db, envelopeId, seq, 'check', 'uncertain', note, nowMs));
}

export type RecoveredEnvelope = { readonly id: number; readonly to: 'retry' };

/**
 * Start-up: envelopes left `in_flight` by a till that died mid-request go back to be retried with the same
 * keys. A non-idempotent payment whose request may have reached the server becomes `uncertain`: the till checks
 * it by itself (balance reads) instead of sending it again, because a resend could charge the member twice.
 */
export function recoverInFlight(db: WritableDb, now: Date): RecoveredEnvelope[] {
  const at = now.getTime();
  return db
    .transaction(() => {
      const ids = (stmt(db, "SELECT id FROM outbox_envelopes WHERE state = 'in_flight' ORDER BY id").all() as { id: number }[]).map((r) => r.id);
      const out: RecoveredEnvelope[] = [];
      for (const id of ids) {
        const sent = stmt(
          db,
          `UPDATE outbox_effects SET state = 'uncertain', next_attempt_at = ?, reason = 'was being sent when the till stopped; whether the server applied it is unknown'
            WHERE envelope_id = ? AND state NOT IN ('done', 'needs_attention') AND sent_at IS NOT NULL`,
        ).run(at, id).changes;
        stmt(db, "UPDATE outbox_effects SET state = 'pending' WHERE envelope_id = ? AND state = 'in_flight'").run(id);
        moveEnvelope(db, id, { state: 'retry', nextAttemptAt: at, reasonCode: null, reason: 'interrupted: the till stopped during delivery' }, at);
        recordAction(db, id, null, 'recover', 'in_flight', sent > 0 ? 'payment outcome unknown: checked before anything is sent again' : null, at);
        out.push({ id, to: 'retry' });
      }
      return out;
    })
    .immediate();
}

export type LeaseHolder = { readonly owner: string; readonly host: string; readonly pid: number; readonly expiresAt: number };
export type LeaseClaim = { readonly owner: string; readonly host: string; readonly pid: number; readonly nowMs: number; readonly ttlMs: number };

/**
 * Takes the delivery lease when it is free, expired, already ours, or `isStale` says its holder is gone (a
 * dead process on this host). Otherwise returns the holder and changes nothing.
 */
export function acquireDeliveryLease(
  db: WritableDb,
  claim: LeaseClaim,
  isStale: (holder: LeaseHolder) => boolean,
): { readonly acquired: true } | { readonly acquired: false; readonly holder: LeaseHolder } {
  return db.transaction(() => {
    const row = stmt(db, 'SELECT owner, host, pid, expires_at FROM outbox_lease WHERE id = 1').get() as
      | { owner: string; host: string; pid: number; expires_at: number }
      | undefined;
    if (row) {
      const holder: LeaseHolder = { owner: row.owner, host: row.host, pid: row.pid, expiresAt: row.expires_at };
      const free = holder.owner === claim.owner || holder.expiresAt <= claim.nowMs || isStale(holder);
      if (!free) return { acquired: false as const, holder };
    }
    stmt(
      db,
      `INSERT INTO outbox_lease (id, owner, host, pid, expires_at) VALUES (1, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, host = excluded.host, pid = excluded.pid, expires_at = excluded.expires_at`,
    ).run(claim.owner, claim.host, claim.pid, claim.nowMs + claim.ttlMs);
    return { acquired: true as const };
  }).immediate();
}

/** Extends our lease; a no-op when someone else holds it now. */
export function renewDeliveryLease(db: WritableDb, owner: string, expiresAt: number): void {
  stmt(db, 'UPDATE outbox_lease SET expires_at = ? WHERE id = 1 AND owner = ?').run(expiresAt, owner);
}

export function releaseDeliveryLease(db: WritableDb, owner: string): void {
  stmt(db, 'DELETE FROM outbox_lease WHERE id = 1 AND owner = ?').run(owner);
}
