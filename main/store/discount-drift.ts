import type { ReadableDb, WritableDb } from './db-types';

/** Drift checks (migration 0100): where the local engine and Dintero priced one receipt differently. */

export type DriftMeasure = 'discount' | 'bonus';

export type DriftDifference = {
  readonly ruleId: string;
  /** null: the rule's total over the receipt. */
  readonly lineId: number | null;
  readonly measure: DriftMeasure;
  readonly localAmount: number;
  readonly remoteAmount: number;
};

export type DriftCheckInput = {
  readonly receiptId: string;
  readonly checkedAt: number;
  readonly rulesVersion: string;
  readonly localDiscount: number;
  readonly remoteDiscount: number;
  readonly localBonus: number;
  readonly remoteBonus: number;
  readonly differences: readonly DriftDifference[];
};

export type DriftCheckSummary = Omit<DriftCheckInput, 'differences'> & { readonly id: number; readonly differenceCount: number };
export type DriftCheck = DriftCheckSummary & { readonly differences: readonly DriftDifference[] };

type CheckRow = {
  id: number;
  receipt_id: string;
  checked_at: number;
  rules_version: string;
  local_discount: number;
  remote_discount: number;
  local_bonus: number;
  remote_bonus: number;
  difference_count: number;
};

type DiffRow = { rule_id: string; line_id: number | null; measure: DriftMeasure; local_amount: number; remote_amount: number };

const CHECK_COLUMNS = 'id, receipt_id, checked_at, rules_version, local_discount, remote_discount, local_bonus, remote_bonus, difference_count';

function summary(r: CheckRow): DriftCheckSummary {
  return {
    id: r.id,
    receiptId: r.receipt_id,
    checkedAt: r.checked_at,
    rulesVersion: r.rules_version,
    localDiscount: r.local_discount,
    remoteDiscount: r.remote_discount,
    localBonus: r.local_bonus,
    remoteBonus: r.remote_bonus,
    differenceCount: r.difference_count,
  };
}

/** Records one check and its differences in one transaction; returns the check's id. */
export function recordDriftCheck(db: WritableDb, check: DriftCheckInput): number {
  return db
    .transaction((): number => {
      const id = Number(
        db
          .prepare(
            `INSERT INTO drift_checks (receipt_id, checked_at, rules_version, local_discount, remote_discount, local_bonus, remote_bonus, difference_count)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(check.receiptId, check.checkedAt, check.rulesVersion, check.localDiscount, check.remoteDiscount, check.localBonus, check.remoteBonus, check.differences.length)
          .lastInsertRowid,
      );
      const insert = db.prepare('INSERT INTO drift_differences (check_id, rule_id, line_id, measure, local_amount, remote_amount) VALUES (?, ?, ?, ?, ?, ?)');
      for (const d of check.differences) insert.run(id, d.ruleId, d.lineId, d.measure, d.localAmount, d.remoteAmount);
      return id;
    })
    .immediate();
}

/** Newest first; `onlyDrift` keeps the checks that found a difference; `beforeId` pages on. */
export function listDriftChecks(db: ReadableDb, options: { readonly onlyDrift?: boolean; readonly limit?: number; readonly beforeId?: number } = {}): DriftCheckSummary[] {
  const where = options.onlyDrift === true ? 'difference_count > 0 AND id < ?' : 'id < ?';
  const rows = db
    .prepare(`SELECT ${CHECK_COLUMNS} FROM drift_checks WHERE ${where} ORDER BY id DESC LIMIT ?`)
    .all(options.beforeId ?? Number.MAX_SAFE_INTEGER, options.limit ?? 50) as CheckRow[];
  return rows.map(summary);
}

export function driftChecksForReceipt(db: ReadableDb, receiptId: string): DriftCheckSummary[] {
  return (db.prepare(`SELECT ${CHECK_COLUMNS} FROM drift_checks WHERE receipt_id = ? ORDER BY id DESC`).all(receiptId) as CheckRow[]).map(summary);
}

export function getDriftCheck(db: ReadableDb, id: number): DriftCheck | undefined {
  const row = db.prepare(`SELECT ${CHECK_COLUMNS} FROM drift_checks WHERE id = ?`).get(id) as CheckRow | undefined;
  if (!row) return undefined;
  const diffs = db
    .prepare('SELECT rule_id, line_id, measure, local_amount, remote_amount FROM drift_differences WHERE check_id = ? ORDER BY id')
    .all(id) as DiffRow[];
  return {
    ...summary(row),
    differences: diffs.map((d) => ({ ruleId: d.rule_id, lineId: d.line_id, measure: d.measure, localAmount: d.local_amount, remoteAmount: d.remote_amount })),
  };
}
