import { TillError } from '../core/errors';
import type { ReadableDb, WritableDb } from './db-types';

/** The Loyalty API's confirmation codes and payment attempts (migrations 0060, 0270). */

export type LoyaltyTransactionRow = {
  readonly transactionId: string;
  readonly effectKey: string;
  readonly state: 'submitted' | 'cancelled';
  readonly confirmationCode: string | null;
  readonly cancelCode: string | null;
};

export type PaymentOpState = 'sending' | 'done' | 'uncertain' | 'failed';

export type Balances = { readonly points: number | null; readonly credit: number | null };

export type PaymentOp = {
  readonly opKey: string;
  readonly paymentKey: string;
  readonly saleKey: string;
  readonly action: 'pay' | 'cancel';
  readonly amount: number;
  readonly memberJson: string;
  readonly state: PaymentOpState;
  readonly before: Balances;
  readonly after: Balances;
  readonly confirmationCode: string | null;
  readonly reason: string | null;
  readonly updatedAt: number;
  /**
   * Where the attempt's steps fall among the till's own attempt writes (`opClock`, migration 0270): the counter
   * when its `before` read left, when it was written down to be sent, and when its request was over (answer,
   * lost answer, or a check's decision; null while `sending`). All null for attempts recorded before 0270.
   */
  readonly beforeReadSeq: number | null;
  readonly sentSeq: number | null;
  readonly endSeq: number | null;
};

type OpRow = {
  op_key: string;
  payment_key: string;
  sale_key: string;
  action: 'pay' | 'cancel';
  amount: number;
  member_json: string;
  state: PaymentOpState;
  before_points: number | null;
  before_credit: number | null;
  after_points: number | null;
  after_credit: number | null;
  confirmation_code: string | null;
  reason: string | null;
  updated_at: number;
  before_read_seq: number | null;
  sent_seq: number | null;
  end_seq: number | null;
};

function toOp(r: OpRow): PaymentOp {
  return {
    opKey: r.op_key,
    paymentKey: r.payment_key,
    saleKey: r.sale_key,
    action: r.action,
    amount: r.amount,
    memberJson: r.member_json,
    state: r.state,
    before: { points: r.before_points, credit: r.before_credit },
    after: { points: r.after_points, credit: r.after_credit },
    confirmationCode: r.confirmation_code,
    reason: r.reason,
    updatedAt: r.updated_at,
    beforeReadSeq: r.before_read_seq,
    sentSeq: r.sent_seq,
    endSeq: r.end_seq,
  };
}

type TxRow = { transaction_id: string; effect_key: string; state: 'submitted' | 'cancelled'; confirmation_code: string | null; cancel_code: string | null };

function toTx(r: TxRow): LoyaltyTransactionRow {
  return { transactionId: r.transaction_id, effectKey: r.effect_key, state: r.state, confirmationCode: r.confirmation_code, cancelCode: r.cancel_code };
}

export function getLoyaltyTransaction(db: ReadableDb, transactionId: string): LoyaltyTransactionRow | undefined {
  const r = db.prepare('SELECT * FROM loyalty_transactions WHERE transaction_id = ?').get(transactionId) as TxRow | undefined;
  return r && toTx(r);
}

export function getLoyaltyTransactionByEffect(db: ReadableDb, effectKey: string): LoyaltyTransactionRow | undefined {
  const r = db.prepare('SELECT * FROM loyalty_transactions WHERE effect_key = ?').get(effectKey) as TxRow | undefined;
  return r && toTx(r);
}

/** Keeps the first confirmation code: a replay answered with the first answer must not overwrite it. */
export function recordTransactionSubmitted(db: WritableDb, transactionId: string, effectKey: string, confirmationCode: string | undefined, nowMs: number): void {
  db.prepare(
    `INSERT INTO loyalty_transactions (transaction_id, effect_key, state, confirmation_code, updated_at) VALUES (?, ?, 'submitted', ?, ?)
     ON CONFLICT (transaction_id) DO UPDATE SET confirmation_code = COALESCE(loyalty_transactions.confirmation_code, excluded.confirmation_code), updated_at = excluded.updated_at`,
  ).run(transactionId, effectKey, confirmationCode ?? null, nowMs);
}

export function recordTransactionCancelled(db: WritableDb, transactionId: string, cancelCode: string | undefined, nowMs: number): void {
  db.prepare("UPDATE loyalty_transactions SET state = 'cancelled', cancel_code = ?, updated_at = ? WHERE transaction_id = ?").run(cancelCode ?? null, nowMs, transactionId);
}

export function getPaymentOp(db: ReadableDb, opKey: string): PaymentOp | undefined {
  const r = db.prepare('SELECT * FROM loyalty_payment_ops WHERE op_key = ?').get(opKey) as OpRow | undefined;
  return r && toOp(r);
}

export type NewPaymentOp = {
  readonly opKey: string;
  readonly paymentKey: string;
  readonly saleKey: string;
  readonly action: 'pay' | 'cancel';
  readonly amount: number;
  readonly memberJson: string;
  readonly before: Balances;
  /** `opClock` when the read of `before` left. */
  readonly beforeReadSeq: number;
};

/**
 * The till's own order of attempt writes (migration 0270): every `beginPaymentOp` and `finishPaymentOp` takes
 * the next value. Read before and after a balance read, it says which attempts were written down, or over,
 * before that read left and which only after it answered, whatever the wall clock did.
 */
export function opClock(db: ReadableDb): number {
  const r = db.prepare('SELECT seq FROM loyalty_op_clock WHERE id = 1').get() as { seq: number } | undefined;
  if (!r) throw new TillError('INTERNAL', 'loyalty_op_clock has no row (migration 0270)');
  return r.seq;
}

function tick(db: WritableDb): number {
  const r = db.prepare('UPDATE loyalty_op_clock SET seq = seq + 1 WHERE id = 1 RETURNING seq').get() as { seq: number } | undefined;
  if (!r) throw new TillError('INTERNAL', 'loyalty_op_clock has no row (migration 0270)');
  return r.seq;
}

/**
 * Records that an attempt is about to be sent, with the balance read just before it. Written before the request
 * leaves, so a crash mid-request leaves a `sending` row that forces reconciliation instead of a blind resend.
 * A `failed` earlier attempt (refused, or never sent) is replaced; any other state is kept and returned.
 */
export function beginPaymentOp(db: WritableDb, op: NewPaymentOp, nowMs: number): PaymentOp {
  return db.transaction(() => {
    const seq = tick(db);
    db.prepare(
      `INSERT INTO loyalty_payment_ops (op_key, payment_key, sale_key, action, amount, member_json, state, before_points, before_credit, updated_at, before_read_seq, sent_seq)
       VALUES (?, ?, ?, ?, ?, ?, 'sending', ?, ?, ?, ?, ?)
       ON CONFLICT (op_key) DO UPDATE SET state = 'sending', before_points = excluded.before_points, before_credit = excluded.before_credit,
         after_points = NULL, after_credit = NULL, reason = NULL, updated_at = excluded.updated_at,
         before_read_seq = excluded.before_read_seq, sent_seq = excluded.sent_seq, end_seq = NULL
       WHERE loyalty_payment_ops.state = 'failed'`,
    ).run(op.opKey, op.paymentKey, op.saleKey, op.action, op.amount, op.memberJson, op.before.points, op.before.credit, nowMs, op.beforeReadSeq, seq);
    const stored = getPaymentOp(db, op.opKey);
    if (!stored) throw new TillError('INTERNAL', `payment op ${op.opKey} vanished after insert`);
    return stored;
  }).immediate();
}

export function finishPaymentOp(
  db: WritableDb,
  opKey: string,
  outcome: { readonly state: PaymentOpState; readonly confirmationCode?: string; readonly after?: Balances; readonly reason?: string },
  nowMs: number,
): void {
  db.transaction(() => {
    // `sending` again (not done today) would be a request in flight: no end.
    const seq = outcome.state === 'sending' ? null : tick(db);
    db.prepare(
      `UPDATE loyalty_payment_ops SET state = ?, confirmation_code = COALESCE(?, confirmation_code), after_points = ?, after_credit = ?, reason = ?, updated_at = ?, end_seq = ?
       WHERE op_key = ?`,
    ).run(outcome.state, outcome.confirmationCode ?? null, outcome.after?.points ?? null, outcome.after?.credit ?? null, outcome.reason ?? null, nowMs, seq, opKey);
  }).immediate();
}

/** The payment ops of one sale (pays and their cancels), oldest first. */
export function listSalePaymentOps(db: ReadableDb, saleKey: string): PaymentOp[] {
  return (db.prepare('SELECT * FROM loyalty_payment_ops WHERE sale_key = ? ORDER BY updated_at, op_key').all(saleKey) as OpRow[]).map(toOp);
}

/** The refunds of one pay: every cancel op that names it. */
export function listCancelsOf(db: ReadableDb, paymentKey: string): PaymentOp[] {
  return (db.prepare("SELECT * FROM loyalty_payment_ops WHERE payment_key = ? AND action = 'cancel' ORDER BY updated_at, op_key").all(paymentKey) as OpRow[]).map(toOp);
}

/**
 * The other attempts for the same member (`memberJson` as stored) that can have moved its balance after the
 * `opClock` value `sinceSeq`: every one still in flight (`sending`), and every `done` or `uncertain` one whose
 * request was over after it (one over by then landed before it, if at all: own-movements.ts; one over before
 * migration 0270 has no `end_seq` and counts as over at 0). `failed` ones moved nothing. Without `sinceSeq` (an
 * attempt recorded before 0270), all of them.
 */
export function listMemberPaymentOps(db: ReadableDb, memberJson: string, exceptOpKey: string, sinceSeq: number | null): PaymentOp[] {
  const rows = db
    .prepare(
      `SELECT * FROM loyalty_payment_ops WHERE member_json = ? AND state IN ('sending', 'uncertain', 'done') AND op_key <> ?
         AND (state = 'sending' OR ? IS NULL OR COALESCE(end_seq, 0) > ?) ORDER BY updated_at, op_key`,
    )
    .all(memberJson, exceptOpKey, sinceSeq, sinceSeq) as OpRow[];
  return rows.map(toOp);
}

/**
 * Payments made at tender time (keyed by their own payment key, not yet by a sale) become the committed sale's,
 * in its commit transaction: a void of the sale then finds and refunds them with its `/transaction` cancel.
 */
export function attachPaymentOpsToSale(db: WritableDb, paymentKeys: readonly string[], saleKey: string): void {
  const attach = db.prepare('UPDATE loyalty_payment_ops SET sale_key = ? WHERE payment_key = ?');
  for (const key of paymentKeys) attach.run(saleKey, key);
}
