import type { WritableDb } from '../db-types';

/**
 * The transactional outbox (DESIGN.md §5): one envelope per committed sale, void, refund, member change or
 * event, written in the same transaction as the thing it reports, and its effects in delivery order. Times
 * are epoch milliseconds. Rows are never deleted: `done` envelopes stay as the delivery record.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE outbox_envelopes (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('sale', 'void', 'refund', 'member', 'event')),
      ref TEXT NOT NULL,
      ordering_key TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'in_flight', 'done', 'retry', 'needs_attention')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER,
      reason_code TEXT,
      reason TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      done_at INTEGER
    ) STRICT;

    -- The head of each ordering key is its oldest envelope that is not done; done rows drop out of it.
    CREATE INDEX outbox_envelopes_byOrderingKey ON outbox_envelopes (ordering_key, id) WHERE state != 'done';
    CREATE INDEX outbox_envelopes_byState ON outbox_envelopes (state, id);
    CREATE INDEX outbox_envelopes_byRef ON outbox_envelopes (ref);

    CREATE TABLE outbox_effects (
      envelope_id INTEGER NOT NULL REFERENCES outbox_envelopes (id) ON DELETE RESTRICT,
      seq INTEGER NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('discount_claim', 'claim_release', 'receipt', 'wallet_transaction',
        'loyalty_transaction', 'loyalty_payment', 'member_register', 'member_update', 'loyalty_event')),
      idempotency_key TEXT NOT NULL UNIQUE,
      payload TEXT NOT NULL,
      amount_at_risk INTEGER NOT NULL DEFAULT 0 CHECK (amount_at_risk >= 0),
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
      outcome TEXT CHECK (outcome IN ('applied', 'already_applied', 'resolved')),
      attempts INTEGER NOT NULL DEFAULT 0,
      -- Set (and committed) before a non-idempotent request is sent; still set after a crash means the
      -- outcome is unknown and the request must not be sent again blindly.
      sent_at INTEGER,
      last_error TEXT,
      done_at INTEGER,
      PRIMARY KEY (envelope_id, seq)
    ) STRICT;

    -- Manager actions (retry, resolve) and automatic recoveries: who did what to which envelope, and why.
    CREATE TABLE outbox_actions (
      id INTEGER PRIMARY KEY,
      envelope_id INTEGER NOT NULL REFERENCES outbox_envelopes (id) ON DELETE RESTRICT,
      action TEXT NOT NULL CHECK (action IN ('retry', 'resolve', 'recover')),
      from_state TEXT NOT NULL,
      note TEXT,
      at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX outbox_actions_byEnvelope ON outbox_actions (envelope_id, id);

    -- At most one process delivers a till's outbox: the holder of this row. Start-up recovery of in-flight
    -- envelopes is safe only for the process that holds it.
    CREATE TABLE outbox_lease (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      owner TEXT NOT NULL,
      host TEXT NOT NULL,
      pid INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    ) STRICT;
  `);
}
