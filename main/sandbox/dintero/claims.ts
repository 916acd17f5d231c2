/**
 * Claims (seed 002): the discounts a purchase used. Only `discount_reward_usage` (units per ref in one claim)
 * and `discount_repeat_usage` (purchases per ref) decide whether a claim is accepted. A live claim's `ref` is
 * unique: reuse is 409 Conflict, which a till reads as "already applied". A released claim frees its ref.
 */
import { z } from 'zod';
import type { SandboxContext } from '../context';
import { iso } from '../context';
import type { SandboxDb } from '../db';
import type { ServerKit } from '../http';
import { authorize, CALC_DISCOUNTS, DateTime, fail, ok, pageLimit, parseBody, queryString, READ_CLAIMS, Trimmed } from './common';
import { getRule, refsOf, refStatistics } from './rules';

const ClaimSchema = z.strictObject({
  purchase_at: DateTime,
  customer_id: Trimmed,
  discounts: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        refs: z
          .array(z.strictObject({ id: z.string().min(1), amount: z.number().int().min(0), usage: z.number().int().min(0) }))
          .min(1),
      }),
    )
    .min(1),
  ref: z.string().min(1).max(255).optional(),
  type: z.string().min(1).max(255).optional(),
});

type ClaimRow = { id: string; ref: string | null; customer_id: string; body: string; created_at: string; deleted_at: string | null };

function toClaim(row: ClaimRow): Record<string, unknown> {
  const body = JSON.parse(row.body) as Record<string, unknown>;
  return { ...body, ...(row.deleted_at ? { deleted_at: row.deleted_at } : {}) };
}

function liveClaimByRef(db: SandboxDb, ref: string): ClaimRow | undefined {
  return db.prepare<[string], ClaimRow>('SELECT * FROM claims WHERE ref = ? AND deleted_at IS NULL').get(ref);
}

export function registerClaimRoutes(kit: ServerKit, ctx: SandboxContext): void {
  kit.route('POST', '/v1/accounts/:aid/discounts/available_for_receipt/claims', 'dintero.claims.create', (req) => {
    const auth = authorize(ctx, req, CALC_DISCOUNTS);
    if (!auth.ok) return auth.answer;
    const parsed = parseBody(ClaimSchema, req.body);
    if (!parsed.ok) return parsed.answer;
    const claim = parsed.value;
    const db = ctx.db;
    return db.transaction(() => {
      if (claim.ref !== undefined) {
        const earlier = liveClaimByRef(db, claim.ref);
        if (earlier) {
          return fail(409, 'CONFLICT', `A claim with ref ${claim.ref} already exists (claim ${earlier.id})`);
        }
      }
      const seen = new Set<string>();
      for (const [i, discount] of claim.discounts.entries()) {
        const rule = getRule(db, discount.id);
        if (!rule || rule.deleted_at) return fail(400, 'DISCOUNT_NOT_FOUND', `discounts[${i}].id: no discount ${discount.id}`);
        const refs = new Set(refsOf(db, rule.id, claim.customer_id).map((g) => g.ref_id));
        const rewardUsage = rule.limitation?.discount_reward_usage ?? -1;
        const repeatUsage = rule.limitation?.discount_repeat_usage ?? -1;
        for (const [j, ref] of discount.refs.entries()) {
          const where = `discounts[${i}].refs[${j}]`;
          const key = `${rule.id}\u0000${ref.id}`;
          if (seen.has(key)) return fail(400, 'BAD_REQUEST', `${where}.id: ref ${ref.id} is claimed twice in one claim`);
          seen.add(key);
          if (!refs.has(ref.id)) return fail(400, 'REF_NOT_FOUND', `${where}.id: customer has no ref ${ref.id} of discount ${rule.id}`);
          if (rewardUsage !== -1 && ref.usage > rewardUsage) {
            return fail(400, 'REWARD_USAGE_EXCEEDED', `${where}.usage: ${ref.usage} is more than discount_reward_usage ${rewardUsage}`);
          }
          const stats = refStatistics(db, rule, claim.customer_id, ref.id);
          if (repeatUsage !== -1 && stats.usage + 1 > repeatUsage) {
            return fail(400, 'REPEAT_USAGE_EXCEEDED', `${where}: the ref was used in ${stats.usage} purchase(s); discount_repeat_usage is ${repeatUsage}`);
          }
          if (stats.debit_balance !== undefined && ref.amount > stats.debit_balance) {
            return fail(400, 'DEBIT_BALANCE_EXCEEDED', `${where}.amount: ${ref.amount} is more than the debit balance ${stats.debit_balance}`);
          }
        }
      }
      const at = iso(ctx.now());
      const id = ctx.newId();
      const stored = { ...claim, id, created_at: at, created_by: auth.claims.sub, updated_at: at };
      db.prepare('INSERT INTO claims (id, ref, customer_id, body, created_at) VALUES (?, ?, ?, ?, ?)').run(
        id,
        claim.ref ?? null,
        claim.customer_id,
        JSON.stringify(stored),
        at,
      );
      const insertRef = db.prepare('INSERT INTO claim_refs (claim_id, customer_id, discount_id, ref_id, amount, usage) VALUES (?, ?, ?, ?, ?, ?)');
      for (const discount of claim.discounts) {
        for (const ref of discount.refs) insertRef.run(id, claim.customer_id, discount.id, ref.id, ref.amount, ref.usage);
      }
      db.prepare('INSERT INTO claim_applied (ref, count) VALUES (?, 1) ON CONFLICT(ref) DO UPDATE SET count = count + 1').run(claim.ref ?? `(id) ${id}`);
      return ok(stored);
    }).immediate();
  });

  kit.route('GET', '/v1/accounts/:aid/discounts/available_for_receipt/claims', 'dintero.claims.list', (req) => {
    const auth = authorize(ctx, req, READ_CLAIMS);
    if (!auth.ok) return auth.answer;
    const limit = pageLimit(req);
    if (typeof limit !== 'number') return limit;
    const rows = ctx.db
      .prepare<{ ref: string | null; customer: string | null; after: string; limit: number }, ClaimRow>(
        `SELECT * FROM claims WHERE (@ref IS NULL OR ref = @ref) AND (@customer IS NULL OR customer_id = @customer) AND id > @after
         ORDER BY id LIMIT @limit`,
      )
      .all({
        ref: queryString(req, 'ref') ?? null,
        customer: queryString(req, 'customer_id') ?? null,
        after: queryString(req, 'starting_after') ?? '',
        limit,
      });
    return ok(rows.map(toClaim));
  });

  kit.route('GET', '/v1/accounts/:aid/discounts/available_for_receipt/claims/:claim_id', 'dintero.claims.get', (req) => {
    const auth = authorize(ctx, req, READ_CLAIMS);
    if (!auth.ok) return auth.answer;
    const { claim_id } = req.params as { claim_id: string };
    const row = ctx.db.prepare<[string], ClaimRow>('SELECT * FROM claims WHERE id = ?').get(claim_id);
    return row ? ok(toClaim(row)) : fail(404, 'NOT_FOUND', `No claim ${claim_id}`);
  });

  kit.route('DELETE', '/v1/accounts/:aid/discounts/available_for_receipt/claims/:claim_id', 'dintero.claims.delete', (req) => {
    const auth = authorize(ctx, req, CALC_DISCOUNTS);
    if (!auth.ok) return auth.answer;
    const { claim_id } = req.params as { claim_id: string };
    return ctx.db.transaction(() => {
      const row = ctx.db.prepare<[string], ClaimRow>('SELECT * FROM claims WHERE id = ?').get(claim_id);
      if (!row) return fail(404, 'NOT_FOUND', `No claim ${claim_id}`);
      // Releasing twice answers the released claim again, so a retried release is harmless.
      if (row.deleted_at === null) {
        const at = iso(ctx.now());
        const body = { ...(JSON.parse(row.body) as Record<string, unknown>), deleted_at: at, deleted_by: auth.claims.sub, updated_at: at };
        ctx.db.prepare('UPDATE claims SET deleted_at = ?, body = ? WHERE id = ?').run(at, JSON.stringify(body), claim_id);
        return ok(body);
      }
      return ok(toClaim(row));
    }).immediate();
  });
}
