import type { WritableDb } from '../db-types';

/**
 * Norwegian fiscal signing (docs/fiscal-no.md). `fiscal_keys` holds the public half of every signing key the
 * till has used, by version (the private half is sealed in the data directory, never here). Each sale, void and
 * refund gets one `fiscal_signatures` row in the transaction that commits it: the signature over the previous
 * one of the same till, the local date and time it signed (so a later time-zone change cannot alter what was
 * signed), and the key version. Both tables are append-only; a key is replaced by a new version, never edited.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE fiscal_keys (
      version INTEGER PRIMARY KEY CHECK (version >= 1),
      public_key_pem TEXT NOT NULL,
      fingerprint TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE fiscal_signatures (
      sale_id INTEGER PRIMARY KEY REFERENCES sales (id),
      pos_id TEXT NOT NULL,
      chain_seq INTEGER NOT NULL CHECK (chain_seq >= 1),
      trans_date TEXT NOT NULL,
      trans_time TEXT NOT NULL,
      previous_signature TEXT NOT NULL,
      signature TEXT NOT NULL,
      key_version INTEGER NOT NULL REFERENCES fiscal_keys (version),
      UNIQUE (pos_id, chain_seq)
    ) STRICT;

    CREATE TRIGGER fiscal_keys_appendOnlyUpdate BEFORE UPDATE ON fiscal_keys BEGIN SELECT RAISE(ABORT, 'fiscal keys are append-only: add a new key version'); END;
    CREATE TRIGGER fiscal_keys_appendOnlyDelete BEFORE DELETE ON fiscal_keys BEGIN SELECT RAISE(ABORT, 'fiscal keys are append-only: add a new key version'); END;
    CREATE TRIGGER fiscal_signatures_appendOnlyUpdate BEFORE UPDATE ON fiscal_signatures BEGIN SELECT RAISE(ABORT, 'fiscal signatures are append-only'); END;
    CREATE TRIGGER fiscal_signatures_appendOnlyDelete BEFORE DELETE ON fiscal_signatures BEGIN SELECT RAISE(ABORT, 'fiscal signatures are append-only'); END;

    -- Every fiscal event is a journal entry (kind 'event', hash-chained like the rest); this index of them lets
    -- the export and the reports find a period's events and a sale's receipts without reading the whole journal.
    CREATE TABLE fiscal_events (
      journal_seq INTEGER PRIMARY KEY REFERENCES journal (seq),
      code TEXT NOT NULL,
      at TEXT NOT NULL,
      sale_id INTEGER REFERENCES sales (id),
      business_day_id INTEGER REFERENCES business_days (id)
    ) STRICT;
    CREATE INDEX fiscal_events_byAt ON fiscal_events (at);
    CREATE INDEX fiscal_events_bySale ON fiscal_events (sale_id, code) WHERE sale_id IS NOT NULL;
    CREATE INDEX fiscal_events_byDay ON fiscal_events (business_day_id, code);
    CREATE TRIGGER fiscal_events_appendOnlyUpdate BEFORE UPDATE ON fiscal_events BEGIN SELECT RAISE(ABORT, 'fiscal events are append-only'); END;
    CREATE TRIGGER fiscal_events_appendOnlyDelete BEFORE DELETE ON fiscal_events BEGIN SELECT RAISE(ABORT, 'fiscal events are append-only'); END;

    -- A period's sales for the export; a sale's print jobs.
    CREATE INDEX sales_byPurchaseAt ON sales (purchase_at);
    CREATE INDEX print_jobs_bySale ON print_jobs (sale_id) WHERE sale_id IS NOT NULL;
  `);
}
