/**
 * The simulators' own state: a small SQLite schema of someone else's system, kept apart from the till's store.
 * Tables are created if missing, so a `--data-dir` file survives restarts and keeps its credentials and
 * balances; `:memory:` gives every test a clean back end.
 */
import Database from 'better-sqlite3';

export type SandboxDb = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

CREATE TABLE IF NOT EXISTS rules (
  id TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;

CREATE TABLE IF NOT EXISTS grants (
  rule_id TEXT NOT NULL REFERENCES rules(id),
  customer_id TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  offering_constraint_id TEXT,
  received_at TEXT NOT NULL,
  PRIMARY KEY (rule_id, ref_id, customer_id)
) STRICT;
CREATE INDEX IF NOT EXISTS grants_byCustomer ON grants(customer_id);

CREATE TABLE IF NOT EXISTS ref_stats (
  customer_id TEXT NOT NULL,
  discount_id TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  stamp INTEGER NOT NULL DEFAULT 0,
  first_stamp_at TEXT,
  amount INTEGER NOT NULL DEFAULT 0,
  debit_used INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (customer_id, discount_id, ref_id)
) STRICT;

CREATE TABLE IF NOT EXISTS customers (
  customer_id TEXT PRIMARY KEY,
  phone_number TEXT,
  email TEXT,
  body TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS customer_tokens (
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  customer_id TEXT NOT NULL REFERENCES customers(customer_id),
  PRIMARY KEY (type, value)
) STRICT;

CREATE TABLE IF NOT EXISTS claims (
  id TEXT PRIMARY KEY,
  ref TEXT,
  customer_id TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  deleted_at TEXT
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS claims_byLiveRef ON claims(ref) WHERE deleted_at IS NULL AND ref IS NOT NULL;

CREATE TABLE IF NOT EXISTS claim_refs (
  claim_id TEXT NOT NULL REFERENCES claims(id),
  customer_id TEXT NOT NULL,
  discount_id TEXT NOT NULL,
  ref_id TEXT NOT NULL,
  amount INTEGER NOT NULL,
  usage INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS claim_refs_byRef ON claim_refs(customer_id, discount_id, ref_id);

CREATE TABLE IF NOT EXISTS claim_applied (ref TEXT PRIMARY KEY, count INTEGER NOT NULL) STRICT;

CREATE TABLE IF NOT EXISTS receipts (
  receipt_id TEXT PRIMARY KEY,
  id TEXT NOT NULL,
  customer_id TEXT,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS cards (
  card_id TEXT PRIMARY KEY,
  token TEXT NOT NULL UNIQUE,
  pin TEXT,
  currency TEXT NOT NULL,
  amount INTEGER NOT NULL,
  amount_balance INTEGER NOT NULL,
  amount_available INTEGER NOT NULL,
  customer_id TEXT,
  name TEXT,
  expires_at TEXT,
  created_at TEXT NOT NULL,
  token_single_use INTEGER NOT NULL DEFAULT 1,
  token_spent_ref TEXT
) STRICT;

-- Temporary card codes made with POST wallets/cards/{card_id}/tokens (issue 14): single-use unless told otherwise.
CREATE TABLE IF NOT EXISTS card_codes (
  code TEXT PRIMARY KEY,
  card_id TEXT NOT NULL REFERENCES cards(card_id),
  ref_id TEXT NOT NULL,
  single_use INTEGER NOT NULL,
  expires_at TEXT NOT NULL,
  spent_ref TEXT,
  UNIQUE (card_id, ref_id)
) STRICT;

CREATE TABLE IF NOT EXISTS wallet_transactions (
  id TEXT PRIMARY KEY,
  card_id TEXT NOT NULL REFERENCES cards(card_id),
  ref_id TEXT NOT NULL,
  type TEXT NOT NULL,
  amount INTEGER NOT NULL,
  pending_left INTEGER NOT NULL DEFAULT 0,
  parent_id TEXT,
  body TEXT NOT NULL,
  UNIQUE (card_id, ref_id)
) STRICT;

CREATE TABLE IF NOT EXISTS members (
  membership_key TEXT PRIMARY KEY,
  phone_number TEXT UNIQUE,
  email TEXT UNIQUE,
  external_id TEXT UNIQUE,
  profile TEXT NOT NULL,
  points INTEGER NOT NULL DEFAULT 0,
  credit INTEGER NOT NULL DEFAULT 0,
  visit INTEGER NOT NULL DEFAULT 0,
  total_spent INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'active',
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS member_assets (
  membership_key TEXT NOT NULL REFERENCES members(membership_key),
  key TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (membership_key, key)
) STRICT;

CREATE TABLE IF NOT EXISTS short_codes (
  membership_key TEXT PRIMARY KEY REFERENCES members(membership_key),
  code TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS loyalty_transactions (
  branch_id TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  confirmation_code TEXT NOT NULL UNIQUE,
  membership_key TEXT,
  points_earned INTEGER NOT NULL,
  spent INTEGER NOT NULL,
  answer TEXT NOT NULL,
  cancel_answer TEXT,
  replays INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  PRIMARY KEY (branch_id, transaction_id)
) STRICT;

CREATE TABLE IF NOT EXISTS loyalty_payments (
  confirmation_code TEXT PRIMARY KEY,
  membership_key TEXT NOT NULL REFERENCES members(membership_key),
  asset TEXT NOT NULL,
  amount INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  cancelled_at TEXT,
  transaction_id TEXT,
  refunded INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE IF NOT EXISTS loyalty_events (
  id INTEGER PRIMARY KEY,
  membership_key TEXT,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
`;

export function openSandboxDb(file: string): SandboxDb {
  const db = new Database(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  addMissingColumns(db);
  return db;
}

function hasColumn(db: SandboxDb, table: string, column: string): boolean {
  return db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').all(table).some((c) => c.name === column);
}

/** Columns added after a table first shipped: a data file from an older sandbox gets them on open (DDL binds no parameters, so each is written out). */
function addMissingColumns(db: SandboxDb): void {
  // The sale a `/payment` names in its optional `transaction`, so an audit can count payments per sale.
  if (!hasColumn(db, 'loyalty_payments', 'transaction_id')) db.exec('ALTER TABLE loyalty_payments ADD COLUMN transaction_id TEXT');
  // What partial cancels gave back so far; `cancelled_at` is set once nothing is left.
  if (!hasColumn(db, 'loyalty_payments', 'refunded')) db.exec('ALTER TABLE loyalty_payments ADD COLUMN refunded INTEGER NOT NULL DEFAULT 0');
  // Single-use card codes (issue 14). Cards of an older data file keep the reusable codes they were made with.
  if (!hasColumn(db, 'cards', 'token_single_use')) db.exec('ALTER TABLE cards ADD COLUMN token_single_use INTEGER NOT NULL DEFAULT 0');
  if (!hasColumn(db, 'cards', 'token_spent_ref')) db.exec('ALTER TABLE cards ADD COLUMN token_spent_ref TEXT');
}

export function getMeta(db: SandboxDb, key: string): string | undefined {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key);
  return row?.value;
}

export function setMeta(db: SandboxDb, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** Bumped on every change to rules or grants; the rules ETag is made from it. */
export function bumpRulesVersion(db: SandboxDb): number {
  const next = Number(getMeta(db, 'rules_version') ?? '0') + 1;
  setMeta(db, 'rules_version', String(next));
  return next;
}

export function rulesVersion(db: SandboxDb): number {
  return Number(getMeta(db, 'rules_version') ?? '0');
}
