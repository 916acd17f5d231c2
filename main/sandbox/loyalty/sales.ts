/**
 * `/transaction` and `/payment`. A transaction is de-duplicated on `transactionId` per branch: a replay answers
 * the first answer and applies nothing. `/payment` documents no idempotency and the sandbox adds none: a
 * repeated `pay` debits twice, so the till must reconcile before it retries.
 */
import { z } from 'zod';
import type { SandboxContext } from '../context';
import { iso } from '../context';
import type { Answer, ServerKit } from '../http';
import { checkHeaders, CODES, failWith, findMember, MemberIdSchema, notFound, parseInput, success, successBody, type MemberRow } from './common';

const Amount = z.number().int();
const DateTime = z.iso.datetime({ offset: true });

/** An Item (seed reference): the examples also use subtotal/total for gross/net, so both names are taken. */
const ItemSchema = z
  .strictObject({
    lineId: z.union([z.string().min(1), z.number().int()]),
    code: z.string().min(1),
    name: z.string().min(1),
    departmentCode: z.string().min(1),
    departmentName: z.string().min(1),
    quantity: z.number().positive(),
    grossAmount: Amount.optional(),
    netAmount: Amount.optional(),
    subtotal: Amount.optional(),
    total: Amount.optional(),
    tags: z.array(z.string()).optional(),
    action: z.enum(['sale', 'return']).optional(),
  })
  .refine((i) => (i.grossAmount ?? i.subtotal) !== undefined, 'grossAmount is required')
  .refine((i) => (i.netAmount ?? i.total) !== undefined, 'netAmount is required');

const PaymentLine = z.strictObject({ type: z.string().min(1), amount: Amount });

export const TransactionSchema = z
  .strictObject({
    transactionId: z.string().min(1).max(100),
    openTime: DateTime.optional(),
    dateTime: DateTime,
    totalAmount: Amount,
    totalTaxAmount: Amount.optional(),
    totalGeneralDiscount: Amount.optional(),
    orderType: z.string().optional(),
    items: z.array(ItemSchema),
    payments: z.array(PaymentLine).optional(),
    meansOfPayment: z.array(PaymentLine).optional(),
    tags: z.array(z.string()).optional(),
    employee: z.string().optional(),
    action: z.literal('sale').optional(),
  })
  .refine((t) => t.payments !== undefined || t.meansOfPayment !== undefined, 'payments (or meansOfPayment) is required');

export type LoyaltyTransaction = z.infer<typeof TransactionSchema>;

const CancelSchema = z.strictObject({ action: z.literal('cancel'), confirmationCode: z.string().min(1), transactionId: z.string().optional() });

const TransactionBody = z.strictObject({
  member: MemberIdSchema.optional(),
  transaction: z.union([CancelSchema, TransactionSchema]),
  usedAssets: z.array(z.looseObject({ key: z.string().min(1) })).optional(),
  appliedDeals: z.array(z.unknown()).optional(),
});

const LOYALTY_TENDERS = new Set(['POINTS', 'CREDIT']);

/** What the member paid by other means than loyalty balance, net of returns and general discount. */
export function spentAmount(t: LoyaltyTransaction): number {
  const net = t.items.reduce((total, i) => total + (i.action === 'return' ? -1 : 1) * (i.netAmount ?? i.total ?? 0), 0);
  const loyalty = (t.payments ?? t.meansOfPayment ?? []).filter((p) => LOYALTY_TENDERS.has(p.type.toUpperCase())).reduce((a, p) => a + p.amount, 0);
  return net - (t.totalGeneralDiscount ?? 0) - loyalty;
}

export function earnedPoints(ctx: SandboxContext, t: LoyaltyTransaction): number {
  return Math.max(0, Math.floor(spentAmount(t) / ctx.earn.minorPerPoint));
}

const PaymentBody = z.strictObject({
  member: MemberIdSchema,
  payment: z.strictObject({
    action: z.enum(['pay', 'cancel']),
    amount: Amount.optional(),
    confirmationCode: z.string().min(1).optional(),
  }),
  // "Transaction context" (reference §2.6): the sale's Transaction, checked like the one of /transaction.
  transaction: TransactionSchema.optional(),
});


function balances(ctx: SandboxContext, key: string): { points: number; credit: number } {
  const row = ctx.db.prepare<[string], { points: number; credit: number }>('SELECT points, credit FROM members WHERE membership_key = ?').get(key);
  return { points: row?.points ?? 0, credit: row?.credit ?? 0 };
}

type TxRow = { branch_id: string; transaction_id: string; confirmation_code: string; membership_key: string | null; points_earned: number; spent: number; answer: string; cancel_answer: string | null };

export function registerSaleRoutes(kit: ServerKit, ctx: SandboxContext): void {
  kit.route('POST', '/v1/transaction', 'loyalty.transaction', (req) => {
    const headers = checkHeaders(ctx, req);
    if (!headers.ok) return headers.answer;
    const parsed = parseInput(TransactionBody, req.body);
    if (!parsed.ok) return parsed.answer;
    const { member, transaction, usedAssets = [] } = parsed.value;
    const branch = headers.caller.branchId;
    const db = ctx.db;
    return db.transaction((): Answer => {
      if ('confirmationCode' in transaction) {
        const row = db.prepare<[string], TxRow>('SELECT * FROM loyalty_transactions WHERE confirmation_code = ?').get(transaction.confirmationCode);
        if (!row) return failWith(CODES.invalidInput, 'No transaction with this confirmationCode', 'body.transaction.confirmationCode');
        if (row.cancel_answer !== null) return { status: 200, body: JSON.parse(row.cancel_answer) };
        // Cancelling reverses the points the sale earned, never a loyalty payment (seed 004).
        if (row.membership_key !== null) {
          db.prepare('UPDATE members SET points = MAX(0, points - ?), visit = MAX(0, visit - 1), total_spent = total_spent - ? WHERE membership_key = ?').run(
            row.points_earned,
            row.spent,
            row.membership_key,
          );
        }
        const answer = successBody(ctx, {
          confirmationCode: row.confirmation_code,
          cancelled: true,
          ...(row.membership_key !== null ? { newBalance: balances(ctx, row.membership_key) } : {}),
        });
        db.prepare('UPDATE loyalty_transactions SET cancel_answer = ? WHERE confirmation_code = ?').run(JSON.stringify(answer), row.confirmation_code);
        return { status: 200, body: answer };
      }
      const first = db
        .prepare<[string, string], TxRow>('SELECT * FROM loyalty_transactions WHERE branch_id = ? AND transaction_id = ?')
        .get(branch, transaction.transactionId);
      if (first) {
        db.prepare('UPDATE loyalty_transactions SET replays = replays + 1 WHERE confirmation_code = ?').run(first.confirmation_code);
        return { status: 200, body: JSON.parse(first.answer) };
      }
      let row: MemberRow | undefined;
      if (member) {
        row = findMember(db, member);
        if (!row) return notFound();
        for (const [i, asset] of usedAssets.entries()) {
          const held = db
            .prepare<[string, string], { status: string }>('SELECT status FROM member_assets WHERE membership_key = ? AND key = ?')
            .get(row.membership_key, asset.key);
          if (held?.status !== 'active') return failWith(CODES.invalidInput, `usedAssets[${i}] is not an active asset of the member`, `body.usedAssets.${i}`);
        }
      } else if (usedAssets.length > 0) {
        return failWith(CODES.invalidInput, 'usedAssets needs a member', 'body.usedAssets');
      }
      const code = ctx.newId();
      const spent = spentAmount(transaction);
      const points = row ? earnedPoints(ctx, transaction) : 0;
      if (row) {
        db.prepare('UPDATE members SET points = points + ?, visit = visit + 1, total_spent = total_spent + ? WHERE membership_key = ?').run(points, spent, row.membership_key);
        for (const asset of usedAssets) {
          db.prepare("UPDATE member_assets SET status = 'inactive' WHERE membership_key = ? AND key = ?").run(row.membership_key, asset.key);
        }
      }
      const answer = successBody(ctx, { confirmationCode: code, ...(row ? { pointsEarned: points, newBalance: balances(ctx, row.membership_key) } : {}) });
      db.prepare(
        `INSERT INTO loyalty_transactions (branch_id, transaction_id, confirmation_code, membership_key, points_earned, spent, answer, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(branch, transaction.transactionId, code, row?.membership_key ?? null, points, spent, JSON.stringify(answer), iso(ctx.now()));
      return { status: 200, body: answer };
    }).immediate();
  });

  kit.route('POST', '/v1/payment', 'loyalty.payment', (req) => {
    const headers = checkHeaders(ctx, req);
    if (!headers.ok) return headers.answer;
    const parsed = parseInput(PaymentBody, req.body);
    if (!parsed.ok) return parsed.answer;
    const { member, payment } = parsed.value;
    const db = ctx.db;
    const column = ctx.paymentAsset;
    return db.transaction((): Answer => {
      const row = findMember(db, member);
      if (!row) return notFound();
      if (payment.action === 'pay') {
        if (payment.amount === undefined || payment.amount === 0) return failWith(CODES.invalidInput, 'amount must be a non-zero whole number', 'body.payment.amount');
        if (payment.confirmationCode !== undefined) return failWith(CODES.invalidInput, 'confirmationCode is only for cancel', 'body.payment.confirmationCode');
        const have = column === 'credit' ? row.credit : row.points;
        if (payment.amount > have) {
          return failWith(CODES.insufficient, `${column}Balance balance for members is insufficient to process the payment!`);
        }
        db.prepare(`UPDATE members SET ${column} = ${column} - ? WHERE membership_key = ?`).run(payment.amount, row.membership_key);
        const code = ctx.newId();
        db.prepare('INSERT INTO loyalty_payments (confirmation_code, membership_key, asset, amount, created_at, transaction_id) VALUES (?, ?, ?, ?, ?, ?)').run(
          code,
          row.membership_key,
          column,
          payment.amount,
          iso(ctx.now()),
          parsed.value.transaction?.transactionId ?? null,
        );
        return success(ctx, { confirmationCode: code, newBalance: balances(ctx, row.membership_key) });
      }
      if (payment.confirmationCode === undefined) return failWith(CODES.invalidInput, 'confirmationCode is required to cancel', 'body.payment.confirmationCode');
      const paid = db
        .prepare<[string, string], { amount: number; asset: string; refunded: number }>(
          'SELECT amount, asset, refunded FROM loyalty_payments WHERE confirmation_code = ? AND membership_key = ?',
        )
        .get(payment.confirmationCode, row.membership_key);
      if (!paid || paid.amount <= 0) return failWith(CODES.invalidInput, 'No payment of this member with this confirmationCode', 'body.payment.confirmationCode');
      const left = paid.amount - paid.refunded;
      // Assumption (docs/loyalty-api.md): a cancel of a payment with nothing left to give back is refused.
      if (left <= 0) return failWith(CODES.invalidInput, 'The payment is already cancelled', 'body.payment.confirmationCode');
      // "negative for cancel" (/references/payment); left out, as in the flow page's example, it gives back all that is left.
      if (payment.amount !== undefined && (payment.amount >= 0 || -payment.amount > left)) {
        return failWith(CODES.invalidInput, `amount must be negative and at most ${left} in size (what is left of the payment)`, 'body.payment.amount');
      }
      const give = payment.amount === undefined ? left : -payment.amount;
      const asset = paid.asset === 'points' ? 'points' : 'credit';
      db.prepare(`UPDATE members SET ${asset} = ${asset} + ? WHERE membership_key = ?`).run(give, row.membership_key);
      db.prepare('UPDATE loyalty_payments SET refunded = refunded + ?, cancelled_at = CASE WHEN refunded + ? >= amount THEN ? ELSE NULL END WHERE confirmation_code = ?').run(
        give,
        give,
        iso(ctx.now()),
        payment.confirmationCode,
      );
      return success(ctx, { confirmationCode: payment.confirmationCode, newBalance: balances(ctx, row.membership_key) });
    }).immediate();
  });
}
