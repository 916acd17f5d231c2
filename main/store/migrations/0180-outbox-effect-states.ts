import type { WritableDb } from '../db-types';

/**
 * Effects get their own state (docs/sync.md, "States"): a refused discount claim no longer holds back the
 * money, the receipt and the Loyalty transaction of its sale. The effects and actions tables are rebuilt
 * because SQLite cannot widen a CHECK constraint in place.
 *
 * Queued data: in an envelope that needs attention, the first effect not done is the one that failed (the
 * old worker stopped there). It keeps the failure on its own row: `needs_attention` (refused), or `uncertain`
 * (a payment whose outcome is unknown; the till now checks it by itself). The envelope goes back to `retry`,
 * due now, so the worker delivers the effects that do not depend on the failed one.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE outbox_effects_0180 (
      envelope_id INTEGER NOT NULL REFERENCES outbox_envelopes (id) ON DELETE RESTRICT,
      seq INTEGER NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('discount_claim', 'claim_release', 'receipt', 'wallet_transaction',
        'loyalty_transaction', 'loyalty_payment', 'member_register', 'member_update', 'loyalty_event')),
      idempotency_key TEXT NOT NULL UNIQUE,
      payload TEXT NOT NULL,
      amount_at_risk INTEGER NOT NULL DEFAULT 0 CHECK (amount_at_risk >= 0),
      state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'in_flight', 'retry', 'uncertain', 'needs_attention', 'done')),
      outcome TEXT CHECK (outcome IN ('applied', 'already_applied', 'resolved', 'written_off')),
      attempts INTEGER NOT NULL DEFAULT 0,
      -- Set (and committed) before a non-idempotent request is sent; still set after a crash means the
      -- outcome is unknown and the request must not be sent again blindly.
      sent_at INTEGER,
      last_error TEXT,
      done_at INTEGER,
      -- retry: when it is due; uncertain: when the next balance check is due.
      next_attempt_at INTEGER,
      -- needs_attention: refused by a server, a payment the till could not decide, or held behind another effect.
      reason_code TEXT CHECK (reason_code IN ('rejected', 'uncertain', 'held')),
      reason TEXT,
      -- held: the idempotency key of the effect this one must follow (a payment before its cancel).
      waits_for TEXT,
      -- uncertain payments: the balance reads, the verdict and the recommended action (JSON).
      evidence TEXT,
      -- A manager asked to retry an uncertain payment: it is sent again only if the check proves it did not land.
      resend_allowed INTEGER NOT NULL DEFAULT 0 CHECK (resend_allowed IN (0, 1)),
      PRIMARY KEY (envelope_id, seq)
    ) STRICT;

    INSERT INTO outbox_effects_0180 (envelope_id, seq, kind, idempotency_key, payload, amount_at_risk, state, outcome,
        attempts, sent_at, last_error, done_at)
      SELECT envelope_id, seq, kind, idempotency_key, payload, amount_at_risk, state, outcome, attempts, sent_at, last_error, done_at
        FROM outbox_effects;

    -- The failed effect of each envelope needing attention: the first one not done.
    UPDATE outbox_effects_0180 AS f
       SET state = CASE WHEN e.reason_code = 'uncertain' OR f.sent_at IS NOT NULL THEN 'uncertain' ELSE 'needs_attention' END,
           reason_code = CASE WHEN e.reason_code = 'uncertain' OR f.sent_at IS NOT NULL THEN NULL ELSE 'rejected' END,
           reason = e.reason,
           next_attempt_at = e.updated_at
      FROM outbox_envelopes AS e
     WHERE e.id = f.envelope_id AND e.state = 'needs_attention'
       AND f.seq = (SELECT MIN(seq) FROM outbox_effects_0180 g WHERE g.envelope_id = e.id AND g.state = 'pending');

    -- A payment with a sent marker in any undelivered envelope has an unknown outcome: checked, never resent blindly.
    UPDATE outbox_effects_0180 SET state = 'uncertain', next_attempt_at = COALESCE(next_attempt_at, sent_at)
     WHERE state = 'pending' AND sent_at IS NOT NULL;

    UPDATE outbox_envelopes SET state = 'retry', next_attempt_at = updated_at, reason_code = NULL
     WHERE state = 'needs_attention';

    DROP TABLE outbox_effects;
    ALTER TABLE outbox_effects_0180 RENAME TO outbox_effects;
    -- Effects held behind another one, found when that one is settled.
    CREATE INDEX outbox_effects_byWaitsFor ON outbox_effects (waits_for) WHERE waits_for IS NOT NULL;
    -- Effects waiting for a manager, for the status view and the write-off count.
    CREATE INDEX outbox_effects_byAttention ON outbox_effects (state, envelope_id) WHERE state IN ('needs_attention', 'uncertain');

    CREATE TABLE outbox_actions_0180 (
      id INTEGER PRIMARY KEY,
      envelope_id INTEGER NOT NULL REFERENCES outbox_envelopes (id) ON DELETE RESTRICT,
      -- The effect acted on; null for an action on the whole envelope (a recovery at start-up).
      effect_seq INTEGER,
      action TEXT NOT NULL CHECK (action IN ('retry', 'resolve', 'recover', 'write_off', 'check')),
      from_state TEXT NOT NULL,
      note TEXT,
      at INTEGER NOT NULL
    ) STRICT;
    INSERT INTO outbox_actions_0180 (id, envelope_id, action, from_state, note, at)
      SELECT id, envelope_id, action, from_state, note, at FROM outbox_actions;
    DROP TABLE outbox_actions;
    ALTER TABLE outbox_actions_0180 RENAME TO outbox_actions;
    CREATE INDEX outbox_actions_byEnvelope ON outbox_actions (envelope_id, id);
    -- Write-offs by time, for the day's X/Z report.
    CREATE INDEX outbox_actions_byWriteOff ON outbox_actions (at) WHERE action = 'write_off';
  `);
}
