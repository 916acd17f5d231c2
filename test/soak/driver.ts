/**
 * A cashier at one till: a sale every `saleEveryMs` on average, through the till's real local API (scans by
 * item, a member on a third of them, cash or card) or its real CLI (`sale run` with a gift card or loyalty
 * points, `sale void`, `sale refund`). A till that was killed is waited for; a sale it lost is simply gone, as
 * it would be for a cashier: the ledger, not the driver, says what was committed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RandomSource } from '../../main/core/seeded-random';
import type { SaleView } from '../../main/api/contract';
import { openReadonlyDb } from '../../main/store';
import { type SoakGiftCard, type SoakItem, type SoakMember } from './store-data';
import { type TillProcess, TillDown } from './till';

export type DriverHooks = {
  /** Called as the tender that commits a sale is sent; may SIGKILL the till (mid-commit). */
  readonly onCommitSent: (till: TillProcess) => void;
  /** A delay after which a CLI sale is SIGKILLed (mid-commit), or undefined to let it finish. */
  readonly cliKillAfterMs: (till: TillProcess) => number | undefined;
};

export type DriverStats = {
  apiSales: number;
  cliSales: number;
  voids: number;
  refunds: number;
  /** Attempts cut short because the till was down or was killed during them. */
  interrupted: number;
  /** CLI commands the till refused as a cashier would be refused (already voided, refunded, ...). */
  refusedByTill: number;
  /** Answers that should never happen (5xx from the local API, a CLI crash): each is a finding. */
  readonly unexpected: string[];
};

export function emptyStats(): DriverStats {
  return { apiSales: 0, cliSales: 0, voids: 0, refunds: 0, interrupted: 0, refusedByTill: 0, unexpected: [] };
}

type Ctx = {
  readonly till: TillProcess;
  readonly random: RandomSource;
  readonly items: readonly SoakItem[];
  readonly members: readonly SoakMember[];
  readonly cards: readonly SoakGiftCard[];
  readonly saleEveryMs: number;
  /** What loyalty tenders pay with; `credit` with fixed redemptions and partly anonymous member ids when shared. */
  readonly asset: 'points' | 'credit';
  readonly sharedMembers: boolean;
  readonly hooks: DriverHooks;
  readonly stats: DriverStats;
};

const MAX_UNEXPECTED = 50;

function pick<T>(random: RandomSource, list: readonly T[]): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function note(stats: DriverStats, what: string): void {
  if (stats.unexpected.length < MAX_UNEXPECTED) stats.unexpected.push(what);
}

/** 1 to 40 lines, most baskets small (a peak hour's mix), some full. */
function lineCount(random: RandomSource): number {
  return 1 + Math.floor(40 * random() ** 2);
}

function decimal(minorUnits: number): string {
  return `${Math.floor(minorUnits / 100)}.${String(minorUnits % 100).padStart(2, '0')}`;
}

/** The local API's answer, or TillDown when the till is not there (or went away during the call). */
async function api(ctx: Ctx, method: 'GET' | 'POST', route: string, body?: unknown, afterSend?: () => void): Promise<{ status: number; body: unknown }> {
  try {
    const reply = await ctx.till.call(method, route, body, afterSend);
    if (reply.status >= 500) note(ctx.stats, `${ctx.till.spec.posId} ${method} ${route} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply;
  } catch (err) {
    if (err instanceof TillDown) throw err;
    // Connection refused or reset: the till died under the request.
    throw new TillDown(ctx.till.spec.posId);
  }
}

async function ensureShift(ctx: Ctx): Promise<void> {
  const shift = (await api(ctx, 'GET', '/api/shift')).body as { businessDay: unknown; shift: unknown };
  if (shift.shift) return;
  if (!shift.businessDay) await api(ctx, 'POST', '/api/shift/open-day', {});
  await api(ctx, 'POST', '/api/shift/open', { operatorId: `soak-${ctx.till.spec.posId}` });
}

async function apiSale(ctx: Ctx): Promise<void> {
  const { random } = ctx;
  await ensureShift(ctx);
  const open = (await api(ctx, 'GET', '/api/sale')).body as SaleView;
  if (open.lines.length > 0 || open.tenders.length > 0) await api(ctx, 'POST', '/api/sale/cancel', {});
  const lines = lineCount(random);
  for (let i = 0; i < lines; i++) {
    const item = pick(random, ctx.items);
    const body = item.weighed ? { itemId: item.id, grams: 100 + Math.floor(random() * 1900) } : { itemId: item.id, ...(random() < 0.2 ? { quantity: 2 + Math.floor(random() * 4) } : {}) };
    const reply = await api(ctx, 'POST', '/api/sale/items', body);
    if (reply.status !== 200) note(ctx.stats, `${ctx.till.spec.posId} add ${item.id}: ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  if (random() < 1 / 3) {
    const member = pick(random, ctx.members);
    const byMemberIdOnly = ctx.sharedMembers && random() < 0.5;
    await api(ctx, 'POST', '/api/sale/customer', { memberId: member.membershipKey, ...(byMemberIdOnly ? {} : { customerId: member.customerId }) });
  }
  const view = (await api(ctx, 'GET', '/api/sale')).body as SaleView;
  if (view.lines.length === 0) return;
  const split = random();
  if (split < 0.15 && view.remaining > 200) {
    // Part by card, the rest in cash: two tenders, the second commits.
    await api(ctx, 'POST', '/api/sale/tender', { kind: 'card', amount: Math.floor(view.remaining / 2), terminalRef: `T-${Math.floor(random() * 1e6)}` });
  }
  const last = split < 0.55 ? { kind: 'cash' } : split < 0.6 ? { kind: 'cash', amount: view.remaining + 5000 } : { kind: 'card', terminalRef: `T-${Math.floor(random() * 1e6)}` };
  const reply = await api(ctx, 'POST', '/api/sale/tender', last, () => ctx.hooks.onCommitSent(ctx.till));
  const out = reply.body as { committed?: boolean };
  if (reply.status === 200 && out.committed) ctx.stats.apiSales++;
  else note(ctx.stats, `${ctx.till.spec.posId} tender: ${reply.status} ${JSON.stringify(reply.body)}`);
}

/** A sale paid partly with a gift card or loyalty points: the local API takes only cash and card, the CLI takes these. */
async function cliValueSale(ctx: Ctx, scriptDir: string, n: number): Promise<void> {
  const { random } = ctx;
  const pieces = ctx.items.filter((i) => !i.weighed);
  const lines = Array.from({ length: 1 + Math.floor(random() * 12) }, () => ({ item: pick(random, pieces), quantity: 1 + Math.floor(random() * 3) }));
  const due = lines.reduce((total, l) => total + l.item.unitPrice * l.quantity, 0);
  const part = Math.max(100, Math.floor(due * (0.1 + 0.9 * random())));
  const byGiftCard = random() < 0.5;
  // Shared members redeem round amounts ("use 10 kr of credit"), as customers do.
  const fixed = ctx.sharedMembers && !byGiftCard ? Math.min(due, pick(random, [500, 1000])) : undefined;
  const whole = fixed === undefined && random() < 0.3;
  const amount = fixed ?? Math.min(part, due);
  const member = pick(random, ctx.members);
  const value = byGiftCard
    ? { kind: 'gift_card', cardToken: pick(random, ctx.cards).token, ...(whole ? {} : { amount: decimal(amount) }) }
    : { kind: 'loyalty', memberId: member.membershipKey, asset: ctx.asset, ...(whole || amount === due ? {} : { amount: decimal(amount) }) };
  const byMemberIdOnly = ctx.sharedMembers && random() < 0.5;
  const script = {
    operator: `soak-${ctx.till.spec.posId}`,
    ...(!byGiftCard || random() < 0.3 ? { memberId: member.membershipKey, ...(byMemberIdOnly ? {} : { customerId: member.customerId }) } : {}),
    lines: lines.map((l) => ({ code: l.item.code, quantity: l.quantity })),
    tenders: whole || amount === due ? [value] : [value, random() < 0.5 ? { kind: 'cash' } : { kind: 'card', terminalRef: `T-${Math.floor(random() * 1e6)}` }],
  };
  const file = path.join(scriptDir, `sale-${n}.json`);
  fs.writeFileSync(file, JSON.stringify(script));
  const killAfterMs = ctx.hooks.cliKillAfterMs(ctx.till);
  const out = await ctx.till.runCli(['sale', 'run', file, '--open-shift', `soak-${ctx.till.spec.posId}`, '--json'], killAfterMs === undefined ? {} : { killAfterMs });
  if (out.code === 0) ctx.stats.cliSales++;
  else if (out.signal === 'SIGKILL') ctx.stats.interrupted++;
  else note(ctx.stats, `${ctx.till.spec.posId} sale run: exit ${out.code}: ${out.stderr.trim()}`);
}

type Candidate = { receipt_id: string; lines: number };

/** Sales of the open day this till could void or refund (no gift card: a refund to a card needs a scope a till lacks). */
function candidates(ctx: Ctx, forVoid: boolean): Candidate[] {
  const db = openReadonlyDb(ctx.till.dbFile());
  try {
    return db
      .prepare<[], Candidate>(
        `SELECT s.receipt_id, (SELECT COUNT(*) FROM sale_lines l WHERE l.sale_id = s.id) AS lines FROM sales s
          WHERE s.kind = 'sale'
            AND s.business_day_id = (SELECT MAX(id) FROM business_days)
            AND NOT EXISTS (SELECT 1 FROM sales r WHERE r.refers_to_sale_id = s.id ${forVoid ? '' : "AND r.kind = 'void'"})
            AND NOT EXISTS (SELECT 1 FROM sale_tenders t WHERE t.sale_id = s.id AND t.kind = 'gift_card')
          ORDER BY s.id DESC LIMIT 30`,
      )
      .all();
  } finally {
    db.close();
  }
}

async function voidOrRefund(ctx: Ctx, kind: 'void' | 'refund'): Promise<void> {
  const { random } = ctx;
  const list = candidates(ctx, kind === 'void');
  if (list.length === 0) return;
  const target = pick(random, list);
  const args =
    kind === 'void'
      ? ['sale', 'void', target.receipt_id, '--reason', 'soak', '--json']
      : ['sale', 'refund', target.receipt_id, '--line', `${1 + Math.floor(random() * Math.max(1, target.lines))}`, ...(random() < 0.5 ? ['--card', 'T-refund'] : []), '--json'];
  const killAfterMs = ctx.hooks.cliKillAfterMs(ctx.till);
  const out = await ctx.till.runCli(args, killAfterMs === undefined ? {} : { killAfterMs });
  if (out.code === 0) {
    if (kind === 'void') ctx.stats.voids++;
    else ctx.stats.refunds++;
  } else if (out.signal === 'SIGKILL') ctx.stats.interrupted++;
  else if (out.code === 1 && /CONFLICT|already|nothing left|refund/i.test(out.stderr)) ctx.stats.refusedByTill++;
  else note(ctx.stats, `${ctx.till.spec.posId} sale ${kind}: exit ${out.code}: ${out.stderr.trim()}`);
}

async function waitForTill(ctx: Ctx, stop: AbortSignal): Promise<void> {
  while (!ctx.till.running && !stop.aborted) await sleep(100);
}

/** Runs the cashier until `stop` is aborted; the sale in progress then finishes (or is cut by a kill). */
export async function driveTill(ctx: Ctx, stop: AbortSignal): Promise<void> {
  const scriptDir = path.join(ctx.till.spec.dataDir, '..', `scripts-${ctx.till.spec.posId}`);
  fs.mkdirSync(scriptDir, { recursive: true });
  let n = 0;
  while (!stop.aborted) {
    // Exponential gaps around the mean: arrivals at a till are bursty.
    const gap = Math.min(ctx.saleEveryMs * 4, -Math.log(1 - ctx.random()) * ctx.saleEveryMs);
    await sleep(gap, undefined, { signal: stop }).catch(() => undefined);
    if (stop.aborted) break;
    const roll = ctx.random();
    try {
      if (roll < 0.82) {
        // The API needs the agent; the CLI writes the ledger itself, with or without it.
        if (roll < 0.62) {
          await waitForTill(ctx, stop);
          if (stop.aborted) break;
          await apiSale(ctx);
        } else {
          await cliValueSale(ctx, scriptDir, n++);
        }
      } else {
        await voidOrRefund(ctx, roll < 0.92 ? 'void' : 'refund');
      }
    } catch (err) {
      if (err instanceof TillDown) ctx.stats.interrupted++;
      else note(ctx.stats, `${ctx.till.spec.posId}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  }
}
