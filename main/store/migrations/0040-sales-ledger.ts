import type { WritableDb } from '../db-types';

/**
 * The sales ledger: business days and shifts, sales with their lines and tenders, the hash-chained journal,
 * print jobs, and the last known balances of value tenders. Sales, lines, tenders and the journal are
 * append-only (triggers refuse UPDATE and DELETE): a void or a refund is a new sale row that refers to the
 * original. Times are ISO-8601 UTC text, except print job scheduling (epoch ms, compared often).
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE business_days (
      id INTEGER PRIMARY KEY,
      business_date TEXT NOT NULL,
      opened_at TEXT NOT NULL,
      closed_at TEXT
    ) STRICT;
    -- At most one open business day.
    CREATE UNIQUE INDEX business_days_byOpen ON business_days (closed_at IS NULL) WHERE closed_at IS NULL;

    CREATE TABLE shifts (
      id INTEGER PRIMARY KEY,
      business_day_id INTEGER NOT NULL REFERENCES business_days (id),
      operator_id TEXT NOT NULL,
      opening_float_minor INTEGER NOT NULL DEFAULT 0,
      opened_at TEXT NOT NULL,
      closed_at TEXT,
      counted_cash_minor INTEGER
    ) STRICT;
    -- One till, one open shift.
    CREATE UNIQUE INDEX shifts_byOpen ON shifts (closed_at IS NULL) WHERE closed_at IS NULL;
    CREATE INDEX shifts_byDay ON shifts (business_day_id);

    -- The last sale number per till: read and bumped inside the commit, so numbers are gap-free.
    CREATE TABLE sale_counters (
      pos_id TEXT PRIMARY KEY,
      last_sale_no INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE sales (
      id INTEGER PRIMARY KEY,
      branch_id TEXT NOT NULL,
      pos_id TEXT NOT NULL,
      sale_no INTEGER NOT NULL,
      receipt_id TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('sale', 'void', 'refund')),
      refers_to_sale_id INTEGER REFERENCES sales (id),
      state TEXT NOT NULL CHECK (state IN ('completed')),
      business_day_id INTEGER NOT NULL REFERENCES business_days (id),
      shift_id INTEGER NOT NULL REFERENCES shifts (id),
      operator_id TEXT NOT NULL,
      customer_id TEXT,
      member_id TEXT,
      currency TEXT NOT NULL,
      gross_minor INTEGER NOT NULL,
      discount_minor INTEGER NOT NULL,
      net_minor INTEGER NOT NULL,
      vat_minor INTEGER NOT NULL,
      tendered_minor INTEGER NOT NULL,
      change_minor INTEGER NOT NULL,
      rule_set_version TEXT NOT NULL,
      purchase_at TEXT NOT NULL,
      document_json TEXT NOT NULL,
      document_sha256 TEXT NOT NULL,
      UNIQUE (pos_id, sale_no),
      CHECK ((kind = 'sale') = (refers_to_sale_id IS NULL))
    ) STRICT;
    CREATE INDEX sales_byRefersTo ON sales (refers_to_sale_id) WHERE refers_to_sale_id IS NOT NULL;
    CREATE UNIQUE INDEX sales_byVoidOf ON sales (refers_to_sale_id) WHERE kind = 'void';
    CREATE INDEX sales_byShift ON sales (shift_id);

    CREATE TABLE sale_lines (
      sale_id INTEGER NOT NULL REFERENCES sales (id),
      line_id INTEGER NOT NULL,
      item_id TEXT NOT NULL,
      description TEXT NOT NULL,
      unit TEXT NOT NULL CHECK (unit IN ('piece', 'weight')),
      quantity_milli INTEGER NOT NULL,
      unit_price_minor INTEGER NOT NULL,
      vat_rate_bp INTEGER NOT NULL,
      gross_minor INTEGER NOT NULL,
      discount_minor INTEGER NOT NULL,
      net_minor INTEGER NOT NULL,
      eligible_for_discount INTEGER NOT NULL,
      discount_lines_json TEXT NOT NULL,
      refers_to_line_id INTEGER,
      PRIMARY KEY (sale_id, line_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE sale_tenders (
      sale_id INTEGER NOT NULL REFERENCES sales (id),
      tender_index INTEGER NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('cash', 'card', 'gift_card', 'loyalty')),
      amount_minor INTEGER NOT NULL,
      applied_minor INTEGER NOT NULL,
      reference TEXT,
      offline INTEGER NOT NULL DEFAULT 0,
      amount_at_risk_minor INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (sale_id, tender_index)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE journal (
      seq INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      kind TEXT NOT NULL,
      sale_id INTEGER REFERENCES sales (id),
      payload_json TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    ) STRICT;

    CREATE TABLE print_jobs (
      id INTEGER PRIMARY KEY,
      sale_id INTEGER REFERENCES sales (id),
      payload_json TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'printing', 'printed', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER NOT NULL,
      copy INTEGER NOT NULL DEFAULT 0 CHECK (copy IN (0, 1)),
      last_error TEXT,
      created_at INTEGER NOT NULL,
      printed_at INTEGER
    ) STRICT;
    CREATE INDEX print_jobs_byDue ON print_jobs (next_attempt_at, id) WHERE state IN ('pending', 'failed');

    -- Last known balances of gift cards and loyalty members, for offline limits; "as of" is fetched_at.
    CREATE TABLE balance_cache (
      kind TEXT NOT NULL CHECK (kind IN ('gift_card', 'loyalty_points', 'loyalty_credit')),
      key TEXT NOT NULL,
      balance_minor INTEGER NOT NULL,
      fetched_at TEXT NOT NULL,
      PRIMARY KEY (kind, key)
    ) STRICT, WITHOUT ROWID;

    CREATE TRIGGER sales_appendOnlyUpdate BEFORE UPDATE ON sales BEGIN SELECT RAISE(ABORT, 'sales are append-only: void or refund instead'); END;
    CREATE TRIGGER sales_appendOnlyDelete BEFORE DELETE ON sales BEGIN SELECT RAISE(ABORT, 'sales are append-only: void or refund instead'); END;
    CREATE TRIGGER sale_lines_appendOnlyUpdate BEFORE UPDATE ON sale_lines BEGIN SELECT RAISE(ABORT, 'sale lines are append-only'); END;
    CREATE TRIGGER sale_lines_appendOnlyDelete BEFORE DELETE ON sale_lines BEGIN SELECT RAISE(ABORT, 'sale lines are append-only'); END;
    CREATE TRIGGER sale_tenders_appendOnlyUpdate BEFORE UPDATE ON sale_tenders BEGIN SELECT RAISE(ABORT, 'sale tenders are append-only'); END;
    CREATE TRIGGER sale_tenders_appendOnlyDelete BEFORE DELETE ON sale_tenders BEGIN SELECT RAISE(ABORT, 'sale tenders are append-only'); END;
    CREATE TRIGGER journal_appendOnlyUpdate BEFORE UPDATE ON journal BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
    CREATE TRIGGER journal_appendOnlyDelete BEFORE DELETE ON journal BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
  `);
}
