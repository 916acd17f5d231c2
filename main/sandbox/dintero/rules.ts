/**
 * Discount rules and their grants (seed 003): the rule list with paging, change feed and ETag, the customer's
 * own listing with usage, stamps and debit balance, and handing a rule to customers.
 */
import { z } from 'zod';
import type { SandboxContext } from '../context';
import { iso } from '../context';
import { bumpRulesVersion, rulesVersion, type SandboxDb } from '../db';
import type { ServerKit } from '../http';
import {
  authorize,
  DateTime,
  fail,
  ok,
  pageLimit,
  parseBody,
  queryList,
  queryString,
  READ_DISCOUNTS,
  Trimmed,
  WRITE_DISCOUNTS,
} from './common';

export type StoredRule = Record<string, unknown> & {
  id: string;
  requirement: Record<string, unknown> & { purchase_from: string; purchase_to: string; stamp?: number };
  reward: Record<string, unknown> & { type: string; value: number };
  limitation?: Record<string, unknown> & { discount_reward_usage?: number; discount_repeat_usage?: number };
  active?: boolean;
  deleted_at?: string | null;
};

export type GrantRow = {
  rule_id: string;
  customer_id: string;
  ref_id: string;
  offering_constraint_id: string | null;
  received_at: string;
};

type RuleRow = { id: string; body: string; created_at: string; updated_at: string; deleted_at: string | null };

function toRule(row: RuleRow): StoredRule {
  const body = JSON.parse(row.body) as StoredRule;
  return { ...body, id: row.id, created_at: row.created_at, updated_at: row.updated_at, ...(row.deleted_at ? { deleted_at: row.deleted_at } : {}) };
}

export function getRule(db: SandboxDb, id: string): StoredRule | undefined {
  const row = db.prepare<[string], RuleRow>('SELECT * FROM rules WHERE id = ?').get(id);
  return row ? toRule(row) : undefined;
}

export function allRules(db: SandboxDb): StoredRule[] {
  return db.prepare<[], RuleRow>('SELECT * FROM rules WHERE deleted_at IS NULL ORDER BY id').all().map(toRule);
}

export function grantsOf(db: SandboxDb, ruleId: string): GrantRow[] {
  return db.prepare<[string], GrantRow>('SELECT * FROM grants WHERE rule_id = ? ORDER BY customer_id, ref_id').all(ruleId);
}

/** The grants in the discount engine's format (`customers` on the rule), for the sandbox's own available_for_receipt. */
export function grantsForEngine(grants: readonly GrantRow[]): Record<string, string>[] {
  return grants.map((g) => ({
    customer_id: g.customer_id,
    ref_id: g.ref_id,
    received_at: g.received_at,
    ...(g.offering_constraint_id !== null ? { offering_constraint_id: g.offering_constraint_id } : {}),
  }));
}

/**
 * A rule's refs as S1 lists them (`aid_discounts_did_customers_get`: `Entity & {customer_id}`, the customer id
 * "null if the ref originated from giving the discount to all customers"). The `/` grant is not described there;
 * the sandbox lists it with `customer_id: "/"` (our reading).
 */
function refsForListing(grants: readonly GrantRow[]): Record<string, unknown>[] {
  return grants.map((g) => ({ id: g.ref_id, created_at: g.received_at, customer_id: g.customer_id === '*' ? null : g.customer_id }));
}

/** Inserts or replaces a rule (demo seeding and tests); grants are added separately. */
export function putRule(db: SandboxDb, rule: StoredRule, at: string): void {
  const { customers: _customers, statistics: _statistics, created_at: _c, updated_at: _u, ...body } = rule;
  db.prepare(
    `INSERT INTO rules (id, body, created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, NULL)
     ON CONFLICT(id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at, deleted_at = NULL`,
  ).run(rule.id, JSON.stringify(body), at, at);
  bumpRulesVersion(db);
}

/**
 * Gives a rule to customers. `*` and `/` get one shared instance. With an offering_constraint_id, a customer
 * gets at most one instance per constraint value; without one, every call adds another instance (ref). Each ref
 * id is a fresh UUID, as Dintero issues them: nothing a till could derive from the rule and customer ids.
 */
export function addGrants(
  db: SandboxDb,
  newId: () => string,
  ruleId: string,
  customers: readonly string[],
  constraint: string | undefined,
  at: string,
): GrantRow[] {
  const added: GrantRow[] = [];
  const existing = db.prepare<[string, string], GrantRow>('SELECT * FROM grants WHERE rule_id = ? AND customer_id = ?');
  const insert = db.prepare('INSERT INTO grants (rule_id, customer_id, ref_id, offering_constraint_id, received_at) VALUES (?, ?, ?, ?, ?)');
  for (const customer of customers) {
    const held = existing.all(ruleId, customer);
    if ((customer === '*' || customer === '/') && held.length > 0) continue;
    if (constraint !== undefined && held.some((g) => g.offering_constraint_id === constraint)) continue;
    const refId = newId();
    insert.run(ruleId, customer, refId, constraint ?? null, at);
    added.push({ rule_id: ruleId, customer_id: customer, ref_id: refId, offering_constraint_id: constraint ?? null, received_at: at });
  }
  if (added.length > 0) {
    db.prepare('UPDATE rules SET updated_at = ? WHERE id = ?').run(at, ruleId);
    bumpRulesVersion(db);
  }
  return added;
}

export type RefStatistics = {
  /** Purchases (live claims) the ref was used in. */
  readonly usage: number;
  readonly amount: number;
  /** Stamps collected since the last reward, expired ones included. */
  readonly stamp: number;
  readonly first_stamp_at: string | undefined;
  readonly debit_balance: number | undefined;
  readonly units: number;
};

/** Usage, amount, stamps and debit balance of one customer's ref, from live claims and posted receipts. */
export function refStatistics(db: SandboxDb, rule: StoredRule, customerId: string, refId: string): RefStatistics {
  const used = db
    .prepare<[string, string, string], { purchases: number; units: number | null; amount: number | null }>(
      `SELECT COUNT(DISTINCT cr.claim_id) AS purchases, SUM(cr.usage) AS units, SUM(cr.amount) AS amount
       FROM claim_refs cr JOIN claims c ON c.id = cr.claim_id
       WHERE c.deleted_at IS NULL AND cr.customer_id = ? AND cr.discount_id = ? AND cr.ref_id = ?`,
    )
    .get(customerId, rule.id, refId);
  const stamps = db
    .prepare<[string, string, string], { stamp: number; first_stamp_at: string | null }>(
      'SELECT stamp, first_stamp_at FROM ref_stats WHERE customer_id = ? AND discount_id = ? AND ref_id = ?',
    )
    .get(customerId, rule.id, refId);
  const units = used?.units ?? 0;
  const amount = used?.amount ?? 0;
  const perReward = rule.requirement.stamp ?? 0;
  const stamp = Math.max(0, (stamps?.stamp ?? 0) - perReward * units);
  return {
    usage: used?.purchases ?? 0,
    amount,
    stamp,
    first_stamp_at: stamps?.first_stamp_at ?? undefined,
    debit_balance: rule.reward.type === 'discount_debit' ? Math.max(0, rule.reward.value - amount) : undefined,
    units,
  };
}

/** The refs a customer can claim on a rule: their own grants and the `*` grant. */
export function refsOf(db: SandboxDb, ruleId: string, customerId: string): GrantRow[] {
  return db
    .prepare<[string, string], GrantRow>("SELECT * FROM grants WHERE rule_id = ? AND (customer_id = ? OR customer_id = '*') ORDER BY ref_id")
    .all(ruleId, customerId);
}

function aggregateStatistics(db: SandboxDb, rule: StoredRule): Record<string, number> {
  const row = db
    .prepare<[string], { usage: number; amount: number | null }>(
      `SELECT COUNT(DISTINCT cr.claim_id) AS usage, SUM(cr.amount) AS amount
       FROM claim_refs cr JOIN claims c ON c.id = cr.claim_id WHERE c.deleted_at IS NULL AND cr.discount_id = ?`,
    )
    .get(rule.id);
  const stamp = db.prepare<[string], { s: number | null }>('SELECT SUM(stamp) AS s FROM ref_stats WHERE discount_id = ?').get(rule.id);
  return { usage: row?.usage ?? 0, used: row?.usage ?? 0, amount: row?.amount ?? 0, stamp: stamp?.s ?? 0 };
}

export function rulesEtag(db: SandboxDb): string {
  return `"rules-${rulesVersion(db)}"`;
}

const RULE_STATES: ReadonlySet<string> = new Set(['all', 'available', 'deleted', 'inactive']);

const AddCustomersSchema = z.strictObject({
  customers: z.array(Trimmed).min(1),
  offering_constraint_id: z.string().min(1).optional(),
});

export function registerRuleRoutes(kit: ServerKit, ctx: SandboxContext): void {
  kit.route('GET', '/v1/accounts/:aid/discounts/rules', 'dintero.rules.list', (req) => {
    const auth = authorize(ctx, req, READ_DISCOUNTS);
    if (!auth.ok) return auth.answer;
    const limit = pageLimit(req);
    if (typeof limit !== 'number') return limit;
    const since = queryString(req, 'since_datetime');
    if (since !== undefined && !DateTime.safeParse(since).success) return fail(400, 'BAD_REQUEST', 'since_datetime must be an ISO 8601 date-time');
    const include = queryList(req, 'include');
    // S1 aid_discounts_get: `include?: "statistics"[]`, nothing else.
    const unknownInclude = include.find((v) => v !== 'statistics');
    if (unknownInclude !== undefined) return fail(400, 'BAD_REQUEST', `include: unknown value ${unknownInclude}; only statistics is offered`);
    const after = queryString(req, 'starting_after');
    // S1 aid_discounts_get: since_datetime "can't be combined with `starting_after` parameter".
    if (since !== undefined && after !== undefined) return fail(400, 'BAD_REQUEST', 'since_datetime cannot be combined with starting_after');
    const state = queryString(req, 'state') ?? 'available';
    if (!RULE_STATES.has(state)) return fail(400, 'BAD_REQUEST', `state: unknown value ${state}; one of all, available, deleted, inactive`);
    const etag = rulesEtag(ctx.db);
    if (req.headers['if-none-match'] === etag) return { status: 304, body: undefined, headers: { etag } };
    // A change feed (since_datetime) is ordered by update time, so the next page starts at the newest updated_at
    // seen; the full list is ordered by id, for starting_after. Without `state`, only available rules (our reading).
    const rows = ctx.db
      .prepare<{ after: string; limit: number; since: string | null; state: string }, RuleRow>(
        `SELECT * FROM rules WHERE id > @after
           AND (@since IS NULL OR updated_at >= @since)
           AND (CASE @state WHEN 'all' THEN 1
                  WHEN 'deleted' THEN deleted_at IS NOT NULL
                  WHEN 'inactive' THEN deleted_at IS NULL AND json_extract(body, '$.active') = 0
                  ELSE deleted_at IS NULL AND coalesce(json_extract(body, '$.active'), 1) != 0 END)
         ORDER BY CASE WHEN @since IS NULL THEN '' ELSE updated_at END, id LIMIT @limit`,
      )
      .all({ after: after ?? '', limit, since: since === undefined ? null : new Date(since).toISOString(), state });
    const rules = rows.map((row) => {
      const rule: Record<string, unknown> = toRule(row);
      if (include.includes('statistics')) rule['statistics'] = aggregateStatistics(ctx.db, rule as StoredRule);
      return rule;
    });
    return ok(rules, 200, { etag });
  });

  // S1 `DELETE /accounts/{aid}/discounts/rules/{did}` (admin:discounts, write:discounts): the rule is marked
  // deleted, and its new updated_at puts it in the change feed.
  kit.route('DELETE', '/v1/accounts/:aid/discounts/rules/:did', 'dintero.rules.delete', (req) => {
    const auth = authorize(ctx, req, WRITE_DISCOUNTS);
    if (!auth.ok) return auth.answer;
    const { did } = req.params as { did: string };
    const at = iso(ctx.now());
    return ctx.db.transaction(() => {
      const rule = getRule(ctx.db, did);
      if (!rule || rule.deleted_at) return fail(404, 'NOT_FOUND', `No discount ${did}`);
      ctx.db.prepare('UPDATE rules SET deleted_at = ?, updated_at = ? WHERE id = ?').run(at, at, did);
      bumpRulesVersion(ctx.db);
      return ok(getRule(ctx.db, did));
    }).immediate();
  });

  kit.route('GET', '/v1/accounts/:aid/discounts/rules/:did/customers', 'dintero.rules.customers.list', (req) => {
    const auth = authorize(ctx, req, READ_DISCOUNTS);
    if (!auth.ok) return auth.answer;
    const { did } = req.params as { did: string };
    const rule = getRule(ctx.db, did);
    if (!rule || rule.deleted_at) return fail(404, 'NOT_FOUND', `No discount ${did}`);
    return ok(refsForListing(grantsOf(ctx.db, did)));
  });

  kit.route('POST', '/v1/accounts/:aid/discounts/rules/:did/customers', 'dintero.rules.customers.add', (req) => {
    const auth = authorize(ctx, req, WRITE_DISCOUNTS);
    if (!auth.ok) return auth.answer;
    const { did } = req.params as { did: string };
    const parsed = parseBody(AddCustomersSchema, req.body);
    if (!parsed.ok) return parsed.answer;
    const at = iso(ctx.now());
    const answer = ctx.db.transaction(() => {
      const rule = getRule(ctx.db, did);
      if (!rule || rule.deleted_at) return fail(404, 'NOT_FOUND', `No discount ${did}`);
      addGrants(ctx.db, ctx.newId, did, parsed.value.customers, parsed.value.offering_constraint_id, at);
      const fresh = getRule(ctx.db, did) ?? rule;
      return ok({ ...fresh, statistics: aggregateStatistics(ctx.db, fresh) });
    }).immediate();
    return answer;
  });

  kit.route('GET', '/v1/accounts/:aid/discounts/customers/:cid/rules', 'dintero.customer-rules.list', (req) => {
    const auth = authorize(ctx, req, READ_DISCOUNTS);
    if (!auth.ok) return auth.answer;
    const limit = pageLimit(req);
    if (typeof limit !== 'number') return limit;
    const { cid } = req.params as { cid: string };
    const now = ctx.now().getTime();
    // Paged by ref id (S1: "Use value of `ref_id` as parameter value of `starting_after`").
    const grants = ctx.db
      .prepare<[string, string], GrantRow>("SELECT * FROM grants WHERE (customer_id = ? OR customer_id = '*') AND ref_id > ? ORDER BY ref_id")
      .all(cid, queryString(req, 'starting_after') ?? '');
    const out: Record<string, unknown>[] = [];
    for (const grant of grants) {
      if (out.length >= limit) break;
      const rule = getRule(ctx.db, grant.rule_id);
      // Left out as Dintero does: deleted, inactive, past purchase_to, or used up.
      if (!rule || rule.deleted_at || rule.active === false) continue;
      if (Date.parse(rule.requirement.purchase_to) < now) continue;
      const stats = refStatistics(ctx.db, rule, cid, grant.ref_id);
      const repeat = rule.limitation?.discount_repeat_usage ?? -1;
      if (repeat !== -1 && stats.usage >= repeat) continue;
      if (stats.debit_balance === 0) continue;
      out.push({
        ...rule,
        ref_id: grant.ref_id,
        statistics: {
          usage: stats.usage,
          amount: stats.amount,
          stamp: stats.stamp,
          current_stamp: stats.stamp,
          ...(stats.first_stamp_at ? { first_stamp_at: stats.first_stamp_at } : {}),
          ...(stats.debit_balance !== undefined ? { debit_balance: stats.debit_balance } : {}),
          received_at: grant.received_at,
        },
      });
    }
    return ok(out);
  });

  // S1 `aid_discounts_public_get`: rules available to any customer, each with its public `ref_id`; with
  // `no_customer_id=true`, those for purchases without a customer. Our reading: the first are the `*` grants, the
  // second the `/` grants; private, inactive, deleted and ended rules are left out.
  kit.route('GET', '/v1/accounts/:aid/discounts/public/rules', 'dintero.public-rules.list', (req) => {
    const auth = authorize(ctx, req, READ_DISCOUNTS);
    if (!auth.ok) return auth.answer;
    const limit = pageLimit(req);
    if (typeof limit !== 'number') return limit;
    const flag = queryString(req, 'no_customer_id');
    if (flag !== undefined && flag !== 'true' && flag !== 'false') return fail(400, 'BAD_REQUEST', 'no_customer_id must be true or false');
    const holder = flag === 'true' ? '/' : '*';
    const now = ctx.now().getTime();
    const grants = ctx.db
      .prepare<[string, string], GrantRow>('SELECT * FROM grants WHERE customer_id = ? AND ref_id > ? ORDER BY ref_id')
      .all(holder, queryString(req, 'starting_after') ?? '');
    const out: Record<string, unknown>[] = [];
    for (const grant of grants) {
      if (out.length >= limit) break;
      const rule = getRule(ctx.db, grant.rule_id);
      if (!rule || rule.deleted_at || rule.active === false || rule['private'] === true) continue;
      if (Date.parse(rule.requirement.purchase_to) < now) continue;
      out.push({ ...rule, ref_id: grant.ref_id });
    }
    return ok(out);
  });
}
