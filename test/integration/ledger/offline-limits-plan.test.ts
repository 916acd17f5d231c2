import { describe, expect, it } from 'vitest';
import { minor } from '../../../main/core/money';
import type { Tender } from '../../../main/core/sale';
import type { OfflineLimits } from '../../../main/core/sale/offline-limits';
import { putBalance } from '../../../main/store/balance-cache';
import { commitSale } from '../../../main/store/ledger';
import { NOW, openTill, sampleReceipt, TILL } from './fixtures';

const DUE = 8947;
const LIMITS: OfflineLimits = {
  giftCard: { perPayment: 5_000, perMemberPerDay: 1_000_000, totalOpenExposure: 1_000_000 },
  points: { perPayment: 0, perMemberPerDay: 0, totalOpenExposure: 0 },
  credit: { perPayment: 5_000, perMemberPerDay: 1_000_000, totalOpenExposure: 1_000_000 },
};
const GIFT_CARD: Tender = { kind: 'gift_card', amount: minor(1_000), cardToken: 'tok-1', offline: true };
const CREDIT: Tender = { kind: 'loyalty', amount: minor(1_000), memberId: 'm-1', asset: 'credit', offline: true };
const tenders = (offline: Tender): Tender[] => [offline, { kind: 'cash', amount: minor(DUE - offline.amount) }];

/**
 * The offline limits run inside every offline value tender's commit. Their reads must follow the card's or
 * member's own offline tenders and the effects at risk (migration 0300's indexes), never scan the day's sales, the
 * tenders or the outbox's effects, whose rows carry whole receipts: that made `sale.commit.offline.30000` miss its
 * target (docs/performance.md). Each statement the check prepares is explained by SQLite's planner.
 */
describe('the offline limits read through indexes', () => {
  it.each([
    ['a gift card', GIFT_CARD, 'gift_card' as const, 'tok-1'],
    ['member credit', CREDIT, 'loyalty_credit' as const, 'm-1'],
  ])('%s: the check starts from that card\'s offline tenders and the effects at risk, never the day\'s sales or the backlog', (_name, offline, balanceKind, key) => {
    const { db } = openTill();
    putBalance(db, balanceKind, key, 1_000_000, NOW.getTime() - 3_600_000);
    const sell = (): unknown => commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: tenders(offline), ruleSetVersion: 'r1', offlineLimits: LIMITS }, NOW);
    // Statements are cached per connection: watched from the first sale, before any is prepared.
    const seen: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      seen.push(sql);
      return prepare(sql);
    });
    for (let i = 0; i < 3; i++) sell();
    db.prepare = prepare;
    const reads = seen.filter((sql) => /amount_at_risk/.test(sql) && /^\s*SELECT/i.test(sql));
    expect(reads.length).toBeGreaterThanOrEqual(3);
    for (const sql of reads) {
      const params = Array<string>((sql.match(/\?/g) ?? []).length).fill('x');
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
      const why = `${sql}\n${plan.join('\n')}`;
      // Nothing read whole, and each starts from the rows that can count: that card's offline tenders, or the effects at risk.
      expect(plan.filter((d) => /^SCAN /.test(d)), why).toEqual([]);
      if (/FROM sale_tenders/.test(sql)) expect(plan[0], why).toMatch(/USING INDEX sale_tenders_offlineByReference/);
      if (/FROM outbox_effects/.test(sql)) expect(plan.join('\n'), why).toMatch(/USING INDEX outbox_effects_openAtRisk/);
    }
    expect(reads.some((sql) => /FROM outbox_effects/.test(sql))).toBe(true);
  });
});
