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
  /** When the read of `before` was sent; null for attempts recorded before migration 0270. */
  readonly beforeReadAt: number | null;
  /** When the attempt was written down, after `before` was read and before the request left; null before 0270. */
  readonly sentAt: number | null;
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
  before_read_at: number | null;
  sent_at: number | null;
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
    beforeReadAt: r.before_read_at,
    sentAt: r.sent_at,
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
  /** When the read of `before` was sent (the till's clock, as `nowMs` of `beginPaymentOp`). */
  readonly beforeReadAt: number;
};

/**
 * Records that an attempt is about to be sent, with the balance read just before it. Written before the request
 * leaves, so a crash mid-request leaves a `sending` row that forces reconciliation instead of a blind resend.
 * A `failed` earlier attempt (refused, or never sent) is replaced; any other state is kept and returned.
 * `nowMs` becomes the attempt's `sentAt`: the balance check of another attempt compares it with its own times.
 */
export function beginPaymentOp(db: WritableDb, op: NewPaymentOp, nowMs: number): PaymentOp {
  db.prepare(
    `INSERT INTO loyalty_payment_ops (op_key, payment_key, sale_key, action, amount, member_json, state, before_points, before_credit, updated_at, before_read_at, sent_at)
     VALUES (?, ?, ?, ?, ?, ?, 'sending', ?, ?, ?, ?, ?)
     ON CONFLICT (op_key) DO UPDATE SET state = 'sending', before_points = excluded.before_points, before_credit = excluded.before_credit,
       after_points = NULL, after_credit = NULL, reason = NULL, updated_at = excluded.updated_at,
       before_read_at = excluded.before_read_at, sent_at = excluded.sent_at
     WHERE loyalty_payment_ops.state = 'failed'`,
  ).run(op.opKey, op.paymentKey, op.saleKey, op.action, op.amount, op.memberJson, op.before.points, op.before.credit, nowMs, op.beforeReadAt, nowMs);
  const stored = getPaymentOp(db, op.opKey);
  if (!stored) throw new TillError('INTERNAL', `payment op ${op.opKey} vanished after insert`);
  return stored;
}

export function finishPaymentOp(
  db: WritableDb,
  opKey: string,
  outcome: { readonly state: PaymentOpState; readonly confirmationCode?: string; readonly after?: Balances; readonly reason?: string },
  nowMs: number,
): void {
  db.prepare(
    `UPDATE loyalty_payment_ops SET state = ?, confirmation_code = COALESCE(?, confirmation_code), after_points = ?, after_credit = ?, reason = ?, updated_at = ?
     WHERE op_key = ?`,
  ).run(outcome.state, outcome.confirmationCode ?? null, outcome.after?.points ?? null, outcome.after?.credit ?? null, outcome.reason ?? null, nowMs, opKey);
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
 * The other attempts for the same member (`memberJson` as stored) that can have moved its balance after
 * `sinceMs`: every one whose outcome is still open (`sending`, `uncertain`), and every `done` one last updated at
 * or after `sinceMs` (one finished earlier landed before it, if at all). `failed` ones moved nothing. Without
 * `sinceMs` (an attempt recorded before migration 0270), every `done` one.
 */
export function listMemberPaymentOps(db: ReadableDb, memberJson: string, exceptOpKey: string, sinceMs: number | null): PaymentOp[] {
  const rows = db
    .prepare(
      `SELECT * FROM loyalty_payment_ops WHERE member_json = ? AND state IN ('sending', 'uncertain', 'done') AND op_key <> ?
         AND (state <> 'done' OR ? IS NULL OR updated_at >= ?) ORDER BY updated_at, op_key`,
    )
    .all(memberJson, exceptOpKey, sinceMs, sinceMs) as OpRow[];
  return rows.map(toOp);
}

/** Ops whose outcome is unknown, for the manager screen and `reconcilePayment`. */
export function listUncertainPaymentOps(db: ReadableDb): PaymentOp[] {
  return (db.prepare("SELECT * FROM loyalty_payment_ops WHERE state IN ('uncertain', 'sending') ORDER BY updated_at").all() as OpRow[]).map(toOp);
}

/**
 * Payments made at tender time (keyed by their own payment key, not yet by a sale) become the committed sale's,
 * in its commit transaction: a void of the sale then finds and refunds them with its `/transaction` cancel.
 */
export function attachPaymentOpsToSale(db: WritableDb, paymentKeys: readonly string[], saleKey: string): void {
  const attach = db.prepare('UPDATE loyalty_payment_ops SET sale_key = ? WHERE payment_key = ?');
  for (const key of paymentKeys) attach.run(saleKey, key);
}
