import type { Statement } from 'better-sqlite3';
import { TillError } from '../core/errors';
import type { ReadableDb, WritableDb } from './db-types';
import { withNormalSync, withTransaction } from './relaxed-sync';
import { translateSqliteError } from './sqlite-errors';

/**
 * All outbox SQL (DESIGN.md §5, docs/sync.md). The ledger calls `enqueueEnvelope` inside its sale-commit
 * transaction; the delivery worker in main/sync/outbox drives the rest through the named functions below.
 * Times in the database are epoch milliseconds.
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

export type EnvelopeKind = 'sale' | 'void' | 'refund' | 'member' | 'event';

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
  /** Deliveries are in order per key: the customer/member id, or `receipt:<id>` for an anonymous sale and its voids and refunds. */
  readonly orderingKey: string;
  readonly effects: readonly NewEffect[];
};

export type EnvelopeState = 'pending' | 'in_flight' | 'done' | 'retry' | 'needs_attention';
export const ENVELOPE_STATES: readonly EnvelopeState[] = ['pending', 'in_flight', 'retry', 'needs_attention', 'done'];

/** Why an envelope needs attention: the server refused it, or a payment's outcome is unknown. */
export type AttentionCode = 'rejected' | 'uncertain';
export type EffectOutcome = 'applied' | 'already_applied' | 'resolved';

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
  readonly state: 'pending' | 'done';
  readonly outcome: EffectOutcome | null;
  readonly attempts: number;
  readonly sentAt: number | null;
  readonly lastError: string | null;
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

type EffectRow = {
  envelope_id: number;
  seq: number;
  kind: EffectKind;
  idempotency_key: string;
  payload: string;
  amount_at_risk: number;
  state: 'pending' | 'done';
  outcome: EffectOutcome | null;
  attempts: number;
  sent_at: number | null;
  last_error: string | null;
};

function toEnvelope(r: EnvelopeRow): Envelope {
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

function toEffect(r: EffectRow): Effect {
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
  };
}

// Prepared statements are cached per connection: the worker calls these thousands of times per drain.
const statementCache = new WeakMap<ReadableDb, Map<string, Statement<unknown[]>>>();
function stmt(db: ReadableDb, sql: string): Statement<unknown[]> {
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
      insertEffect.run(id, seq, effect.kind, effect.idempotencyKey, JSON.stringify(effect.payload ?? null), risk);
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

export function getEnvelope(db: ReadableDb, id: number): Envelope | undefined {
  const row = stmt(db, 'SELECT * FROM outbox_envelopes WHERE id = ?').get(id) as EnvelopeRow | undefined;
  return row ? toEnvelope(row) : undefined;
}

export function listEffects(db: ReadableDb, envelopeId: number): Effect[] {
  return (stmt(db, 'SELECT * FROM outbox_effects WHERE envelope_id = ? ORDER BY seq').all(envelopeId) as EffectRow[]).map(toEffect);
}

/**
 * Envelopes the worker may start now, oldest first: the head (oldest not-done envelope) of each ordering
 * key, when that head is pending or its retry time has come. A key whose head is in flight, waiting to
 * retry or needing attention delivers nothing after it.
 */
export function listDueHeads(db: ReadableDb, nowMs: number, limit: number): Envelope[] {
  const rows = stmt(
    db,
    `SELECT e.* FROM (SELECT MIN(id) AS id FROM outbox_envelopes WHERE state != 'done' GROUP BY ordering_key) h
       JOIN outbox_envelopes e ON e.id = h.id
      WHERE e.state = 'pending' OR (e.state = 'retry' AND e.next_attempt_at <= ?)
      ORDER BY e.id LIMIT ?`,
  ).all(nowMs, limit) as EnvelopeRow[];
  return rows.map(toEnvelope);
}

/**
 * The head of one ordering key if it may start now (a worker lane continues with the same customer).
 * `afterId`: the envelope the caller just finished (its done mark may still be in an uncommitted batch).
 */
export function dueHeadOfKey(db: ReadableDb, orderingKey: string, nowMs: number, afterId = 0): Envelope | undefined {
  const row = stmt(db, "SELECT * FROM outbox_envelopes WHERE ordering_key = ? AND id > ? AND state != 'done' ORDER BY id LIMIT 1").get(
    orderingKey,
    afterId,
  ) as EnvelopeRow | undefined;
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
 * crash or power cut during it is visible afterwards and the request is not sent again blindly.
 */
export function markEffectSent(db: WritableDb, envelopeId: number, seq: number, nowMs: number): void {
  stmt(db, 'UPDATE outbox_effects SET sent_at = ?, attempts = attempts + 1 WHERE envelope_id = ? AND seq = ?').run(nowMs, envelopeId, seq);
}

function effectDone(db: WritableDb, envelopeId: number, seq: number, outcome: EffectOutcome, nowMs: number, countAttempt: boolean): void {
  stmt(
    db,
    `UPDATE outbox_effects SET state = 'done', outcome = ?, done_at = ?, last_error = NULL, attempts = attempts + ${countAttempt ? 1 : 0}
      WHERE envelope_id = ? AND seq = ? AND state = 'pending'`,
  ).run(outcome, nowMs, envelopeId, seq);
}

/**
 * Moves an envelope to its next state. One statement for every move, so no move can forget to clear what the
 * previous state left (a reason on a delivered envelope, a due time on one waiting for a manager).
 */
function moveEnvelope(
  db: WritableDb,
  id: number,
  to: { readonly state: 'done' | 'retry' | 'needs_attention'; readonly nextAttemptAt: number | null; readonly reasonCode: AttentionCode | null; readonly reason: string | null },
  nowMs: number,
): void {
  stmt(
    db,
    "UPDATE outbox_envelopes SET state = ?, next_attempt_at = ?, reason_code = ?, reason = ?, updated_at = ?, done_at = CASE WHEN ? = 'done' THEN ? ELSE done_at END WHERE id = ?",
  ).run(to.state, to.nextAttemptAt, to.reasonCode, to.reason, nowMs, to.state, nowMs, id);
}

function envelopeDone(db: WritableDb, id: number, nowMs: number): void {
  moveEnvelope(db, id, { state: 'done', nextAttemptAt: null, reasonCode: null, reason: null }, nowMs);
}

function toRetry(db: WritableDb, id: number, atMs: number, reason: string, nowMs: number): void {
  moveEnvelope(db, id, { state: 'retry', nextAttemptAt: atMs, reasonCode: null, reason }, nowMs);
}

function toNeedsAttention(db: WritableDb, id: number, code: AttentionCode, reason: string, nowMs: number): void {
  moveEnvelope(db, id, { state: 'needs_attention', nextAttemptAt: null, reasonCode: code, reason }, nowMs);
}

export type EffectSuccess = {
  readonly envelopeId: number;
  readonly seq: number;
  readonly outcome: 'applied' | 'already_applied';
  readonly nowMs: number;
  /** False when `markEffectSent` already counted this attempt. */
  readonly countAttempt: boolean;
  /** This was the envelope's last pending effect: the envelope is done in the same commit. */
  readonly envelopeDone: boolean;
};

/** Records one effect delivered, so a later attempt skips it. */
export function recordEffectSuccess(db: WritableDb, s: EffectSuccess): void {
  withNormalSync(db, () => {
    effectDone(db, s.envelopeId, s.seq, s.outcome, s.nowMs, s.countAttempt);
    if (s.envelopeDone) envelopeDone(db, s.envelopeId, s.nowMs);
  });
}

export type EffectFailure = {
  readonly envelopeId: number;
  readonly seq: number;
  readonly error: string;
  readonly nowMs: number;
  readonly countAttempt: boolean;
  /**
   * The server answered, so the request was not applied and a payment's sent marker is cleared; true keeps
   * it when the outcome is unknown.
   */
  readonly keepSent: boolean;
  readonly next:
    | { readonly state: 'retry'; readonly atMs: number }
    | { readonly state: 'needs_attention'; readonly code: AttentionCode; readonly reason: string };
};

/** Records a failed attempt at one effect and moves its envelope to retry or needs_attention. */
export function recordEffectFailure(db: WritableDb, f: EffectFailure): void {
  withNormalSync(db, () => {
    stmt(
      db,
      `UPDATE outbox_effects SET last_error = ?, attempts = attempts + ${f.countAttempt ? 1 : 0}${f.keepSent ? '' : ', sent_at = NULL'}
        WHERE envelope_id = ? AND seq = ?`,
    ).run(f.error, f.envelopeId, f.seq);
    if (f.next.state === 'retry') toRetry(db, f.envelopeId, f.next.atMs, f.error, f.nowMs);
    else toNeedsAttention(db, f.envelopeId, f.next.code, f.next.reason, f.nowMs);
  });
}

/** An envelope with nothing left to send (every effect done before this attempt). */
export function markEnvelopeDone(db: WritableDb, id: number, nowMs: number): void {
  withNormalSync(db, () => envelopeDone(db, id, nowMs));
}

/** Due again at `atMs` without an effect failing (a graceful stop between effects). */
export function scheduleRetry(db: WritableDb, id: number, atMs: number, reason: string, nowMs: number): void {
  withNormalSync(db, () => toRetry(db, id, atMs, reason, nowMs));
}

export function markNeedsAttention(db: WritableDb, id: number, code: AttentionCode, reason: string, nowMs: number): void {
  withNormalSync(db, () => toNeedsAttention(db, id, code, reason, nowMs));
}

function recordAction(db: WritableDb, envelopeId: number, action: 'retry' | 'resolve' | 'recover', fromState: EnvelopeState, note: string | null, nowMs: number): void {
  stmt(db, 'INSERT INTO outbox_actions (envelope_id, action, from_state, note, at) VALUES (?, ?, ?, ?, ?)').run(envelopeId, action, fromState, note, nowMs);
}

export type RecoveredEnvelope = { readonly id: number; readonly to: 'retry' | 'needs_attention' };

/**
 * Start-up: envelopes left `in_flight` by a till that died mid-request go back to be retried with the same
 * keys, except those with a non-idempotent payment whose request may have reached the server: those need a
 * person (reason `uncertain`), because sending it again could charge the member twice.
 */
export function recoverInFlight(db: WritableDb, now: Date): RecoveredEnvelope[] {
  const at = now.getTime();
  return db.transaction(() => {
    const ids = (stmt(db, "SELECT id FROM outbox_envelopes WHERE state = 'in_flight' ORDER BY id").all() as { id: number }[]).map((r) => r.id);
    const out: RecoveredEnvelope[] = [];
    for (const id of ids) {
      const uncertain = stmt(
        db,
        "SELECT idempotency_key FROM outbox_effects WHERE envelope_id = ? AND state = 'pending' AND sent_at IS NOT NULL ORDER BY seq LIMIT 1",
      ).get(id) as { idempotency_key: string } | undefined;
      if (uncertain) {
        toNeedsAttention(
          db,
          id,
          'uncertain',
          `payment ${uncertain.idempotency_key} was being sent when the till stopped; whether the server applied it is unknown`,
          at,
        );
        recordAction(db, id, 'recover', 'in_flight', 'payment outcome unknown', at);
        out.push({ id, to: 'needs_attention' });
      } else {
        toRetry(db, id, at, 'interrupted: the till stopped during delivery', at);
        recordAction(db, id, 'recover', 'in_flight', null, at);
        out.push({ id, to: 'retry' });
      }
    }
    return out;
  }).immediate();
}

function requireEnvelope(db: ReadableDb, id: number): Envelope {
  const env = getEnvelope(db, id);
  if (!env) throw new TillError('NOT_FOUND', `There is no outbox envelope ${id}.`, { fix: 'See `till-agent sync status` for the envelopes that need attention.' });
  return env;
}

/**
 * Manager action: deliver again now. Allowed from needs_attention and retry. Sent markers are cleared: the
 * manager has checked (or accepts) that the uncertain payment did not reach the server.
 */
export function retryEnvelope(db: WritableDb, id: number, now: Date, note?: string): Envelope {
  const at = now.getTime();
  return db.transaction(() => {
    const env = requireEnvelope(db, id);
    if (env.state !== 'needs_attention' && env.state !== 'retry') {
      throw new TillError('CONFLICT', `Envelope ${id} is ${env.state}; only an envelope that needs attention or waits to retry can be retried.`);
    }
    stmt(db, "UPDATE outbox_effects SET sent_at = NULL WHERE envelope_id = ? AND state = 'pending'").run(id);
    stmt(db, "UPDATE outbox_envelopes SET state = 'pending', next_attempt_at = NULL, reason_code = NULL, updated_at = ? WHERE id = ?").run(at, id);
    recordAction(db, id, 'retry', env.state, note ?? null, at);
    return requireEnvelope(db, id);
  }).immediate();
}

/** Manager action: the effects still pending were settled by hand; the envelope is done and the note kept. */
export function resolveEnvelope(db: WritableDb, id: number, note: string, now: Date): Envelope {
  const at = now.getTime();
  if (note.trim() === '') throw new TillError('SCHEMA_INVALID', 'Resolving an envelope needs a note saying how it was settled.');
  return db.transaction(() => {
    const env = requireEnvelope(db, id);
    if (env.state === 'done' || env.state === 'in_flight') {
      throw new TillError('CONFLICT', `Envelope ${id} is ${env.state}; only an envelope that is not done and not being delivered can be resolved.`);
    }
    stmt(db, "UPDATE outbox_effects SET state = 'done', outcome = 'resolved', done_at = ? WHERE envelope_id = ? AND state = 'pending'").run(at, id);
    envelopeDone(db, id, at);
    recordAction(db, id, 'resolve', env.state, note, at);
    return requireEnvelope(db, id);
  }).immediate();
}

export type OutboxAction = { readonly action: 'retry' | 'resolve' | 'recover'; readonly fromState: EnvelopeState; readonly note: string | null; readonly at: number };

export function listActions(db: ReadableDb, envelopeId: number): OutboxAction[] {
  return (
    stmt(db, 'SELECT action, from_state, note, at FROM outbox_actions WHERE envelope_id = ? ORDER BY id').all(envelopeId) as {
      action: OutboxAction['action'];
      from_state: EnvelopeState;
      note: string | null;
      at: number;
    }[]
  ).map((r) => ({ action: r.action, fromState: r.from_state, note: r.note, at: r.at }));
}

export type AttentionItem = {
  readonly id: number;
  readonly kind: EnvelopeKind;
  readonly ref: string;
  readonly reasonCode: AttentionCode | null;
  readonly reason: string | null;
  readonly amountAtRisk: number;
  readonly since: number;
};

export type OutboxStatus = {
  readonly counts: Readonly<Record<EnvelopeState, number>>;
  /** Age in ms of the oldest envelope not yet delivered (pending, retry or in flight), or null when none. */
  readonly oldestPendingAgeMs: number | null;
  readonly needsAttention: readonly AttentionItem[];
  /** Sum of the value at risk (minor units) of the effects not delivered in envelopes needing attention. */
  readonly exposure: number;
  /** Value at risk in every envelope not yet done (the till's open offline exposure), minor units. */
  readonly openExposure: number;
};

/** The till's open offline exposure: value tendered offline whose delivery is not confirmed, minor units. */
export function openOfflineExposure(db: ReadableDb): number {
  const row = stmt(
    db,
    "SELECT COALESCE(SUM(f.amount_at_risk), 0) AS risk FROM outbox_envelopes e JOIN outbox_effects f ON f.envelope_id = e.id WHERE e.state IN ('pending', 'in_flight', 'retry', 'needs_attention') AND f.state = 'pending'",
  ).get() as { risk: number };
  return row.risk;
}

export function outboxStatus(db: ReadableDb, now: Date): OutboxStatus {
  const counts: Record<EnvelopeState, number> = { pending: 0, in_flight: 0, retry: 0, needs_attention: 0, done: 0 };
  for (const r of stmt(db, 'SELECT state, COUNT(*) AS n FROM outbox_envelopes GROUP BY state').all() as { state: EnvelopeState; n: number }[]) {
    counts[r.state] = r.n;
  }
  const oldest = stmt(db, "SELECT MIN(created_at) AS t FROM outbox_envelopes WHERE state IN ('pending', 'retry', 'in_flight')").get() as { t: number | null };
  const needsAttention = (
    stmt(
      db,
      `SELECT e.id, e.kind, e.ref, e.reason_code, e.reason, e.updated_at,
              COALESCE((SELECT SUM(f.amount_at_risk) FROM outbox_effects f WHERE f.envelope_id = e.id AND f.state = 'pending'), 0) AS risk
         FROM outbox_envelopes e WHERE e.state = 'needs_attention' ORDER BY e.id`,
    ).all() as { id: number; kind: EnvelopeKind; ref: string; reason_code: AttentionCode | null; reason: string | null; updated_at: number; risk: number }[]
  ).map((r) => ({ id: r.id, kind: r.kind, ref: r.ref, reasonCode: r.reason_code, reason: r.reason, amountAtRisk: r.risk, since: r.updated_at }));
  return {
    counts,
    oldestPendingAgeMs: oldest.t === null ? null : Math.max(0, now.getTime() - oldest.t),
    needsAttention,
    exposure: needsAttention.reduce((total, item) => total + item.amountAtRisk, 0),
    openExposure: openOfflineExposure(db),
  };
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
