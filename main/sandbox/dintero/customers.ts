/**
 * Customers: `GET customers/users` by phone number, e-mail or token (ANDed prefix matches, as documented; a `+`
 * that is not sent as %2B arrives as a space and matches nothing), and `POST customers/tokens/events` to
 * resolve a scanned card token to its customer.
 */
import { z } from 'zod';
import type { SandboxContext } from '../context';
import type { SandboxDb } from '../db';
import type { ServerKit } from '../http';
import { authorize, ok, pageLimit, parseBody, queryString, READ_CUSTOMERS, WRITE_CUSTOMERS } from './common';

type CustomerRow = { customer_id: string; phone_number: string | null; email: string | null; body: string };

export type DemoCustomer = {
  readonly customer_id: string;
  readonly first_name?: string;
  readonly last_name?: string;
  readonly email?: string;
  readonly phone_number?: string;
  readonly status?: string;
  readonly tokens?: readonly { readonly type: string; readonly value: string }[];
} & Record<string, unknown>;

export function putCustomer(db: SandboxDb, customer: DemoCustomer, at: string): void {
  const { tokens = [], ...body } = customer;
  db.prepare(
    `INSERT INTO customers (customer_id, phone_number, email, body) VALUES (?, ?, ?, ?)
     ON CONFLICT(customer_id) DO UPDATE SET phone_number = excluded.phone_number, email = excluded.email, body = excluded.body`,
  ).run(customer.customer_id, customer.phone_number ?? null, customer.email ?? null, JSON.stringify({ type: 'customer', ...body, created_at: at }));
  const insertToken = db.prepare('INSERT OR REPLACE INTO customer_tokens (type, value, customer_id) VALUES (?, ?, ?)');
  for (const token of tokens) insertToken.run(token.type, token.value, customer.customer_id);
}

export function customerByToken(db: SandboxDb, type: string | undefined, value: string): string | undefined {
  const row = db
    .prepare<{ value: string; type: string | null }, { customer_id: string }>(
      'SELECT customer_id FROM customer_tokens WHERE value = @value AND (@type IS NULL OR type = @type)',
    )
    .get({ value, type: type ?? null });
  return row?.customer_id;
}

function customerBody(db: SandboxDb, id: string): Record<string, unknown> | undefined {
  const row = db.prepare<[string], CustomerRow>('SELECT * FROM customers WHERE customer_id = ?').get(id);
  return row ? (JSON.parse(row.body) as Record<string, unknown>) : undefined;
}

function like(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const TokenEventSchema = z.strictObject({
  token: z.strictObject({ type: z.string().min(1), value: z.string().min(1) }),
  event: z.looseObject({ type: z.string().min(1) }).optional(),
});

export function registerCustomerRoutes(kit: ServerKit, ctx: SandboxContext): void {
  kit.route('GET', '/v1/accounts/:aid/customers/users', 'dintero.customers.list', (req) => {
    const auth = authorize(ctx, req, READ_CUSTOMERS);
    if (!auth.ok) return auth.answer;
    const limit = pageLimit(req);
    if (typeof limit !== 'number') return limit;
    const phone = queryString(req, 'phone_number');
    const email = queryString(req, 'email');
    const tokenValue = queryString(req, 'token_value');
    const tokenType = queryString(req, 'token_type');
    const rows = ctx.db
      .prepare<Record<string, string | number | null>, CustomerRow>(
        `SELECT c.* FROM customers c
         WHERE (@phone IS NULL OR c.phone_number LIKE @phone ESCAPE '\\')
           AND (@email IS NULL OR lower(c.email) LIKE lower(@email) ESCAPE '\\')
           AND (@tokenValue IS NULL AND @tokenType IS NULL OR EXISTS (
             SELECT 1 FROM customer_tokens t WHERE t.customer_id = c.customer_id
               AND (@tokenValue IS NULL OR t.value LIKE @tokenValue ESCAPE '\\')
               AND (@tokenType IS NULL OR t.type = @tokenType)))
           AND c.customer_id > @after
         ORDER BY c.customer_id LIMIT @limit`,
      )
      .all({
        phone: phone === undefined ? null : like(phone),
        email: email === undefined ? null : like(email),
        tokenValue: tokenValue === undefined ? null : like(tokenValue),
        tokenType: tokenType ?? null,
        after: queryString(req, 'starting_after') ?? '',
        limit,
      });
    return ok(rows.map((r) => JSON.parse(r.body) as unknown));
  });

  kit.route('POST', '/v1/accounts/:aid/customers/tokens/events', 'dintero.tokens.events', (req) => {
    // Looking a token up needs read access; recording an event on it is a write.
    const body = req.body as { event?: unknown } | undefined;
    const auth = authorize(ctx, req, body?.event === undefined ? READ_CUSTOMERS : WRITE_CUSTOMERS);
    if (!auth.ok) return auth.answer;
    const parsed = parseBody(TokenEventSchema, req.body);
    if (!parsed.ok) return parsed.answer;
    const { token, event } = parsed.value;
    const customerId = customerByToken(ctx.db, token.type, token.value);
    const customer = customerId === undefined ? undefined : customerBody(ctx.db, customerId);
    return ok({
      id: `${token.type}:${token.value}`,
      token,
      status: customer ? 'ACTIVE' : 'UNKNOWN',
      ...(customer ? { customer } : {}),
      events: event ? [{ ...event, created_at: ctx.now().toISOString() }] : [],
    });
  });
}
