import { TillError } from '../core/errors';
import type { ReadableDb, WritableDb } from './db-types';
import { raiseWitness, readWitness, witnessPath } from './sale-witness-file';
import { prepared } from './statements';

/**
 * Sale numbers are never reused (docs/storage.md). After every commit the witness file beside the database
 * records the sale number; a database found behind its witness lost committed sales to a storage fault, and
 * selling on would hand their numbers to new sales, which the back ends then take for retries of the old ones.
 * The finding is kept in the database itself, so every process refuses to sell until a manager acknowledges it.
 */
const FLAG_KEY = 'sales_lost_from_storage';
const HISTORY_KEY = 'sales_lost_acknowledged';

export type PosGap = { readonly posId: string; readonly witness: number; readonly database: number };
export type LostSales = { readonly lost: number; readonly tills: readonly PosGap[]; readonly detectedAt: string };

function isFileDb(db: ReadableDb): boolean {
  return !db.memory && db.name !== '';
}

function lastSaleNos(db: ReadableDb): Map<string, number> {
  const rows = prepared(db, 'SELECT pos_id, last_sale_no FROM sale_counters').all() as { pos_id: string; last_sale_no: number }[];
  return new Map(rows.map((r) => [r.pos_id, r.last_sale_no]));
}

/** How far the database is behind its witness now: one file read and one small query. */
export function compareWithWitness(db: ReadableDb): readonly PosGap[] {
  if (!isFileDb(db)) return [];
  const witness = readWitness(witnessPath(db.name));
  if (Object.keys(witness.saleNo).length === 0) return [];
  const inDb = lastSaleNos(db);
  return Object.entries(witness.saleNo)
    .map(([posId, n]) => ({ posId, witness: n, database: inDb.get(posId) ?? 0 }))
    .filter((g) => g.database < g.witness);
}

/**
 * After a sale's transaction. The witness must never get ahead of what is committed: a sale committed inside
 * a caller's transaction (the sale service also deletes the stored basket in it) is only on disk once that
 * outer transaction commits, and it may still roll back. Transactions are synchronous, so by the next
 * microtask the outer one has ended either way; the witness is raised then, if the number is in the database.
 * A witness that cannot be written (a read-only medium) stays behind: never a false alarm.
 */
export function recordCommittedSaleNo(db: WritableDb, posId: string, saleNo: number): void {
  if (!isFileDb(db)) return;
  if (!db.inTransaction) {
    raiseQuietly(db, posId, saleNo);
    return;
  }
  queueMicrotask(() => {
    if (!db.open || db.inTransaction) return;
    if ((lastSaleNos(db).get(posId) ?? 0) >= saleNo) raiseQuietly(db, posId, saleNo);
  });
}

function raiseQuietly(db: WritableDb, posId: string, saleNo: number): void {
  try {
    raiseWitness(witnessPath(db.name), posId, saleNo);
  } catch {
    // The sale is committed; a stale witness only means a later loss of this sale could go unnoticed.
  }
}

/** The recorded finding, if selling is stopped. */
export function lostSales(db: ReadableDb): LostSales | undefined {
  const row = prepared(db, 'SELECT value FROM agent_meta WHERE key = ?').get(FLAG_KEY) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as LostSales) : undefined;
}

/**
 * At open: when the database is behind its witness, records the finding (once; a later, larger gap replaces
 * it). Returns what selling is stopped for, if anything.
 */
export function detectLostSales(db: WritableDb, now: Date): LostSales | undefined {
  const gaps = compareWithWitness(db);
  const known = lostSales(db);
  if (gaps.length === 0) return known;
  const lost = gaps.reduce((n, g) => n + (g.witness - g.database), 0);
  if (known && known.lost >= lost) return known;
  const finding: LostSales = { lost, tills: gaps, detectedAt: now.toISOString() };
  prepared(db, 'INSERT INTO agent_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(FLAG_KEY, JSON.stringify(finding));
  return finding;
}

export function lostSalesMessage(finding: LostSales): string {
  const numbers = finding.tills.map((g) => `${g.posId} ${g.database + 1}–${g.witness}`).join(', ');
  return `${finding.lost} committed sale(s) are missing from this till's database (sale numbers ${numbers}): a storage fault cut the database short. Selling is stopped so those numbers are not used again.`;
}

/** Inside the commit transaction, before a sale number is taken. */
export function assertSaleNumbersSafe(db: ReadableDb): void {
  const finding = lostSales(db);
  if (!finding) return;
  throw new TillError('SALES_LOST', lostSalesMessage(finding), {
    fix: 'A manager checks the lost sales (the back ends and paper receipts have them), then runs `till-agent sale acknowledge-lost` to sell on with numbers above the lost ones.',
  });
}

/**
 * The manager's acknowledgement: numbering continues above the witness, the finding moves to a history kept in
 * the database, and selling resumes. Returns the finding acknowledged, or undefined when there was none.
 */
export function acknowledgeLostSales(db: WritableDb, by: string, now: Date): LostSales | undefined {
  return db.transaction(() => {
    const finding = lostSales(db);
    if (!finding) return undefined;
    const bump = prepared(db, 'INSERT INTO sale_counters (pos_id, last_sale_no) VALUES (?, ?) ON CONFLICT (pos_id) DO UPDATE SET last_sale_no = max(last_sale_no, excluded.last_sale_no)');
    for (const g of finding.tills) bump.run(g.posId, g.witness);
    const history = prepared(db, 'SELECT value FROM agent_meta WHERE key = ?').get(HISTORY_KEY) as { value: string } | undefined;
    const entries = [...(history ? (JSON.parse(history.value) as unknown[]) : []), { ...finding, acknowledgedBy: by, acknowledgedAt: now.toISOString() }];
    prepared(db, 'INSERT INTO agent_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(HISTORY_KEY, JSON.stringify(entries));
    prepared(db, 'DELETE FROM agent_meta WHERE key = ?').run(FLAG_KEY);
    return finding;
  }).immediate();
}
