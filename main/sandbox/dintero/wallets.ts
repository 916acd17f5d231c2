/**
 * Gift cards (Dintero wallets): look up by token (and PIN), drawdown and fund, pending drawdowns with capture and
 * void. Every operation carries a `ref_id`, unique per card: a retry with a known ref_id answers the first result
 * and changes nothing. Insufficient balance is 400 `INSUFFICIENT_FUNDS`.
 *
 * Card codes are single-use by default (S1 W `POST /wallets/cards/{card_id}/tokens`, `expires_after_transaction`
 * default true): once a transaction is made with a code, the code is expired, and `wallets/info` or a new
 * transaction with it answer 404 ("no details are returned for expired tokens"). ASSUMPTION (docs/sandbox.md,
 * vendor question D5): a retry with the SAME `ref_id` on the same card answers the first transaction, because the
 * ref_id is checked before the code's expiry. A card made with `expires_after_transaction: false` keeps a
 * reusable code (a physical card's printed number).
 */
import { z } from 'zod';
import type { SandboxContext } from '../context';
import { iso } from '../context';
import type { SandboxDb } from '../db';
import type { Answer, ServerKit } from '../http';
import { authorize, fail, ok, parseBody, WALLET_ADMIN, WALLET_INFO, WALLET_TRANSACTIONS } from './common';

export type CardRow = {
  card_id: string;
  token: string;
  pin: string | null;
  currency: string;
  amount: number;
  amount_balance: number;
  amount_available: number;
  customer_id: string | null;
  name: string | null;
  expires_at: string | null;
  created_at: string;
  /** 1: the code expires after its first transaction (Dintero's default). */
  token_single_use: number;
  /** The ref_id of the transaction that used up a single-use code; null while it is unused. */
  token_spent_ref: string | null;
};

type TxRow = { id: string; card_id: string; ref_id: string; type: string; amount: number; pending_left: number; parent_id: string | null; body: string };

export type DemoCard = {
  readonly card_id: string;
  readonly token: string;
  readonly pin?: string;
  readonly amount: number;
  readonly currency: string;
  readonly customer_id?: string;
  readonly name?: string;
  readonly expires_at?: string;
  readonly expires_after_transaction?: boolean;
};

export function putCard(db: SandboxDb, card: DemoCard, at: string): void {
  db.prepare(
    `INSERT OR REPLACE INTO cards (card_id, token, pin, currency, amount, amount_balance, amount_available, customer_id, name, expires_at, created_at, token_single_use, token_spent_ref)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
  ).run(
    card.card_id,
    card.token,
    card.pin ?? null,
    card.currency,
    card.amount,
    card.amount,
    card.amount,
    card.customer_id ?? null,
    card.name ?? null,
    card.expires_at ?? null,
    at,
    card.expires_after_transaction === false ? 0 : 1,
  );
}

export function cardView(card: CardRow): Record<string, unknown> {
  return {
    card_id: card.card_id,
    ...(card.customer_id ? { customer_id: card.customer_id } : {}),
    ...(card.name ? { name: card.name } : {}),
    type: 'gift_card',
    amount: card.amount,
    currency: card.currency,
    amount_balance: card.amount_balance,
    amount_available: card.amount_available,
    amount_pending: card.amount_balance - card.amount_available,
    ...(card.expires_at ? { expires_at: card.expires_at } : {}),
    created_at: card.created_at,
  };
}

type CodeRow = { code: string; card_id: string; ref_id: string; single_use: number; expires_at: string; spent_ref: string | null };

/**
 * A card code: the card's own token, or a temporary code made for it. `usable` is false for a single-use code that
 * already served a transaction, or a temporary code past its `expires_at`; `spend` marks it used by `refId`.
 */
type Code = { readonly card: CardRow; readonly usable: boolean; spend(refId: string): void };

function codeOf(ctx: SandboxContext, token: string): Code | undefined {
  const db = ctx.db;
  const own = db.prepare<[string], CardRow>('SELECT * FROM cards WHERE token = ?').get(token);
  if (own) {
    return {
      card: own,
      usable: !(own.token_single_use === 1 && own.token_spent_ref !== null),
      spend: (refId) => {
        if (own.token_single_use === 1) db.prepare('UPDATE cards SET token_spent_ref = ? WHERE card_id = ?').run(refId, own.card_id);
      },
    };
  }
  const made = db.prepare<[string], CodeRow>('SELECT * FROM card_codes WHERE code = ?').get(token);
  const card = made && cardById(db, made.card_id);
  if (!made || !card) return undefined;
  return {
    card,
    usable: !(made.single_use === 1 && made.spent_ref !== null) && Date.parse(made.expires_at) >= ctx.now().getTime(),
    spend: (refId) => {
      if (made.single_use === 1) db.prepare('UPDATE card_codes SET spent_ref = ? WHERE code = ?').run(refId, made.code);
    },
  };
}

const EXPIRED_CODE = (): Answer => fail(404, 'NOT_FOUND', 'No card with this token');

function cardById(db: SandboxDb, id: string): CardRow | undefined {
  return db.prepare<[string], CardRow>('SELECT * FROM cards WHERE card_id = ?').get(id);
}

function earlier(db: SandboxDb, cardId: string, refId: string): TxRow | undefined {
  return db.prepare<[string, string], TxRow>('SELECT * FROM wallet_transactions WHERE card_id = ? AND ref_id = ?').get(cardId, refId);
}

function checkPin(card: CardRow, pin: string | undefined): Answer | undefined {
  if (card.pin === null) return undefined;
  if (pin === undefined) return fail(403, 'PIN_REQUIRED', 'This card needs its PIN');
  if (pin !== card.pin) return fail(403, 'PIN_INVALID', 'The PIN is wrong');
  return undefined;
}

function expired(ctx: SandboxContext, card: CardRow): Answer | undefined {
  if (card.expires_at !== null && Date.parse(card.expires_at) < ctx.now().getTime()) return fail(400, 'CARD_EXPIRED', 'The card has expired');
  return undefined;
}

const InfoSchema = z.strictObject({ token: z.string().min(1), pin: z.string().min(4).optional() });

const CreateSchema = z
  .strictObject({
    ref_id: z.string().min(1).max(255),
    amount: z.number().int().min(1),
    currency: z.string().regex(/^[A-Z]{3}$/),
    token: z.string().min(1).optional(),
    card_id: z.string().min(1).optional(),
    type: z.enum(['drawdown', 'fund']).default('drawdown'),
    pending: z.boolean().default(false),
    pin: z.string().min(4).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    originated_by: z.string().max(255).optional(),
  })
  .refine((b) => (b.token === undefined) !== (b.card_id === undefined), 'give either token or card_id, not both')
  .refine((b) => !(b.pending && b.type === 'fund'), 'pending is for drawdowns only');

const CodeSchema = z.strictObject({
  ref_id: z.string().min(1).max(255),
  expires_in: z.number().int().min(1),
  expires_after_transaction: z.boolean().default(true),
  format: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

const CaptureSchema = z.strictObject({ ref_id: z.string().min(1).max(255), amount: z.number().int().min(1).optional(), metadata: z.record(z.string(), z.unknown()).optional() });
const VoidSchema = z.strictObject({ ref_id: z.string().min(1).max(255), metadata: z.record(z.string(), z.unknown()).optional() });

function record(ctx: SandboxContext, tx: Omit<TxRow, 'body'>, body: Record<string, unknown>): Record<string, unknown> {
  ctx.db
    .prepare('INSERT INTO wallet_transactions (id, card_id, ref_id, type, amount, pending_left, parent_id, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(tx.id, tx.card_id, tx.ref_id, tx.type, tx.amount, tx.pending_left, tx.parent_id, JSON.stringify(body));
  return body;
}

function setBalances(db: SandboxDb, cardId: string, balance: number, available: number): void {
  db.prepare('UPDATE cards SET amount_balance = ?, amount_available = ? WHERE card_id = ?').run(balance, available, cardId);
}

export function registerWalletRoutes(kit: ServerKit, ctx: SandboxContext): void {
  kit.route('POST', '/v1/accounts/:aid/wallets/info', 'dintero.wallets.info', (req) => {
    const auth = authorize(ctx, req, WALLET_INFO);
    if (!auth.ok) return auth.answer;
    const parsed = parseBody(InfoSchema, req.body);
    if (!parsed.ok) return parsed.answer;
    const code = codeOf(ctx, parsed.value.token);
    if (!code?.usable) return EXPIRED_CODE();
    const card = code.card;
    const pin = checkPin(card, parsed.value.pin);
    if (pin) return pin;
    return ok(cardView(card));
  });

  // A temporary card code (S1 W `POST /wallets/cards/{card_id}/tokens`). The answer's field names are not in our
  // reading of the reference: `token`, `expires_at` and `masked_code` (the CardDetails.tokens[] names) are INFERRED.
  kit.route('POST', '/v1/accounts/:aid/wallets/cards/:cid/tokens', 'dintero.wallets.cards.tokens.create', (req) => {
    const auth = authorize(ctx, req, WALLET_ADMIN);
    if (!auth.ok) return auth.answer;
    const parsed = parseBody(CodeSchema, req.body);
    if (!parsed.ok) return parsed.answer;
    const { cid } = req.params as { cid: string };
    const c = parsed.value;
    return ctx.db.transaction((): Answer => {
      const card = cardById(ctx.db, cid);
      if (!card) return fail(404, 'NOT_FOUND', `No card ${cid}`);
      const view = (row: CodeRow): Record<string, unknown> => ({ card_id: row.card_id, token: row.code, masked_code: `…${row.code.slice(-4)}`, expires_at: row.expires_at, expires_after_transaction: row.single_use === 1 });
      const known = ctx.db.prepare<[string, string], CodeRow>('SELECT * FROM card_codes WHERE card_id = ? AND ref_id = ?').get(cid, c.ref_id);
      if (known) return ok(view(known));
      const row: CodeRow = { code: `CC${ctx.newId().replaceAll('-', '').slice(0, 14).toUpperCase()}`, card_id: cid, ref_id: c.ref_id, single_use: c.expires_after_transaction ? 1 : 0, expires_at: iso(new Date(ctx.now().getTime() + c.expires_in * 1000)), spent_ref: null };
      ctx.db.prepare('INSERT INTO card_codes (code, card_id, ref_id, single_use, expires_at, spent_ref) VALUES (?, ?, ?, ?, ?, NULL)').run(row.code, row.card_id, row.ref_id, row.single_use, row.expires_at);
      return ok(view(row));
    }).immediate();
  });

  kit.route('POST', '/v1/accounts/:aid/wallets/transactions', 'dintero.wallets.transactions.create', (req) => {
    const body = req.body as { card_id?: unknown; type?: unknown } | undefined;
    // Funding, or naming the card by id, needs the broader wallet scope (Dintero's reference).
    const broad = body?.card_id !== undefined || body?.type === 'fund';
    const auth = authorize(ctx, req, broad ? WALLET_ADMIN : WALLET_TRANSACTIONS);
    if (!auth.ok) return auth.answer;
    const parsed = parseBody(CreateSchema, req.body);
    if (!parsed.ok) return parsed.answer;
    const t = parsed.value;
    return ctx.db.transaction((): Answer => {
      const code = t.token !== undefined ? codeOf(ctx, t.token) : undefined;
      const card = t.token !== undefined ? code?.card : cardById(ctx.db, t.card_id ?? '');
      if (!card) return fail(404, 'NOT_FOUND', 'No such card');
      // A retry with a known ref_id answers the first result, even when that first transaction used up the code.
      const first = earlier(ctx.db, card.card_id, t.ref_id);
      if (first) return ok(JSON.parse(first.body));
      if (code) {
        if (!code.usable) return EXPIRED_CODE();
        const pin = checkPin(card, t.pin);
        if (pin) return pin;
      }
      const gone = expired(ctx, card);
      if (gone) return gone;
      if (t.currency !== card.currency) return fail(400, 'CURRENCY_MISMATCH', `The card is in ${card.currency}, not ${t.currency}`);
      if (t.type === 'drawdown' && t.amount > card.amount_available) {
        return fail(400, 'INSUFFICIENT_FUNDS', `Insufficient balance: ${card.amount_available} available, ${t.amount} asked`);
      }
      const id = ctx.newId();
      const at = iso(ctx.now());
      const view = {
        id,
        card_id: card.card_id,
        ref_id: t.ref_id,
        amount: t.amount,
        currency: t.currency,
        type: t.type,
        pending: t.pending,
        created_at: at,
        created_by: auth.claims.sub,
        ...(t.metadata ? { metadata: t.metadata } : {}),
      };
      if (t.type === 'fund') setBalances(ctx.db, card.card_id, card.amount_balance + t.amount, card.amount_available + t.amount);
      else if (t.pending) setBalances(ctx.db, card.card_id, card.amount_balance, card.amount_available - t.amount);
      else setBalances(ctx.db, card.card_id, card.amount_balance - t.amount, card.amount_available - t.amount);
      // The code served its one transaction (a refused one above does not use it up).
      code?.spend(t.ref_id);
      return ok(record(ctx, { id, card_id: card.card_id, ref_id: t.ref_id, type: t.type, amount: t.amount, pending_left: t.pending ? t.amount : 0, parent_id: null }, view));
    }).immediate();
  });

  const settle = (kind: 'capture' | 'void'): void => {
    kit.route('POST', `/v1/accounts/:aid/wallets/transactions/:tid/${kind}`, `dintero.wallets.transactions.${kind}`, (req) => {
      const auth = authorize(ctx, req, WALLET_TRANSACTIONS);
      if (!auth.ok) return auth.answer;
      const parsed = kind === 'capture' ? parseBody(CaptureSchema, req.body) : parseBody(VoidSchema, req.body);
      if (!parsed.ok) return parsed.answer;
      const { tid } = req.params as { tid: string };
      const refId = parsed.value.ref_id;
      const askedAmount: number | undefined = 'amount' in parsed.value && typeof parsed.value.amount === 'number' ? parsed.value.amount : undefined;
      return ctx.db.transaction((): Answer => {
        const parent = ctx.db.prepare<[string], TxRow>('SELECT * FROM wallet_transactions WHERE id = ?').get(tid);
        if (!parent) return fail(404, 'NOT_FOUND', `No transaction ${tid}`);
        const first = earlier(ctx.db, parent.card_id, refId);
        if (first) return ok(JSON.parse(first.body));
        const card = cardById(ctx.db, parent.card_id);
        if (!card) return fail(404, 'NOT_FOUND', 'No such card');
        if (parent.pending_left <= 0) return fail(400, 'NOT_PENDING', `Transaction ${tid} has nothing pending to ${kind}`);
        const amount: number = kind === 'capture' ? (askedAmount ?? parent.pending_left) : parent.pending_left;
        if (amount > parent.pending_left) return fail(400, 'AMOUNT_TOO_LARGE', `Only ${parent.pending_left} is pending`);
        ctx.db.prepare('UPDATE wallet_transactions SET pending_left = pending_left - ? WHERE id = ?').run(amount, tid);
        if (kind === 'capture') setBalances(ctx.db, card.card_id, card.amount_balance - amount, card.amount_available);
        else setBalances(ctx.db, card.card_id, card.amount_balance, card.amount_available + amount);
        const id = ctx.newId();
        const type = kind === 'capture' ? 'pending_capture' : 'voided';
        const view = { id, card_id: card.card_id, ref_id: refId, amount, currency: card.currency, type, parent_id: tid, created_at: iso(ctx.now()), created_by: auth.claims.sub };
        return ok(record(ctx, { id, card_id: card.card_id, ref_id: refId, type, amount, pending_left: 0, parent_id: tid }, view));
      }).immediate();
    });
  };
  settle('capture');
  settle('void');
}
