import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../main/config';
import { TillError } from '../../../main/core/errors';
import { minor } from '../../../main/core/money';
import type { Tender } from '../../../main/core/sale';
import type { OfflineLimits } from '../../../main/core/sale/offline-limits';
import { putBalance } from '../../../main/store/balance-cache';
import { setCodeState } from '../../../main/store/gift-card-codes';
import { closeBusinessDay, closeShift, commitSale, openBusinessDay, openShift, voidSale, type CommitSaleInput, envelopeIdOf } from '../../../main/store/ledger';
import { claimEnvelope, settleEnvelope } from '../../../main/store/outbox';
import { NOW, openTill, sampleReceipt, TILL } from './fixtures';

const HOUR = 3_600_000;
// sampleReceipt() comes to 89.47 NOK.
const DUE = 8947;
const LIMITS: OfflineLimits = {
  giftCard: { perPayment: 5_000, perMemberPerDay: 8_000, totalOpenExposure: 12_000 },
  points: { perPayment: 0, perMemberPerDay: 0, totalOpenExposure: 0 },
  credit: { perPayment: 5_000, perMemberPerDay: 20_000, totalOpenExposure: 12_000 },
};

const giftCard = (amount: number, cardToken = 'tok-1'): Tender => ({ kind: 'gift_card', amount: minor(amount), cardToken, offline: true });
const credit = (amount: number, memberId = 'm-1'): Tender => ({ kind: 'loyalty', amount: minor(amount), memberId, asset: 'credit', offline: true });
const cashRest = (tenders: Tender[]): Tender[] => [...tenders, { kind: 'cash', amount: minor(DUE - tenders.reduce((s, t) => s + t.amount, 0)) }];

function sell(db: Parameters<typeof commitSale>[0], tenders: Tender[], extra: Partial<CommitSaleInput> = {}, at = NOW) {
  return commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: cashRest(tenders), ruleSetVersion: 'r1', offlineLimits: LIMITS, ...extra }, at);
}

function refusal(fn: () => unknown): TillError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TillError);
    expect((err as TillError).code).toBe('OFFLINE_LIMIT');
    return err as TillError;
  }
  throw new Error('expected OFFLINE_LIMIT');
}

const TABLES = ['sales', 'sale_lines', 'sale_tenders', 'journal', 'print_jobs', 'outbox_envelopes', 'outbox_effects', 'sale_counters'];
const counts = (db: Database.Database): Record<string, number> =>
  Object.fromEntries(TABLES.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));

describe('offline value limits in commitSale', () => {
  it('takes an offline gift card within the limits at full risk, and the risk reaches the outbox', () => {
    const { db } = openTill();
    putBalance(db, 'gift_card', 'tok-1', 10_000, NOW.getTime() - 3 * HOUR);
    const { entry, saleId } = sell(db, [giftCard(4_000)]);
    expect(entry.tenders[0]).toMatchObject({ kind: 'gift_card', applied: 4_000, amountAtRisk: 4_000 });
    expect(db.prepare('SELECT offline, amount_at_risk_minor FROM sale_tenders WHERE sale_id = ? AND tender_index = 0').get(saleId)).toEqual({ offline: 1, amount_at_risk_minor: 4_000 });
    expect(db.prepare('SELECT SUM(amount_at_risk) AS risk FROM outbox_effects').get()).toEqual({ risk: 4_000 });
  });

  it('refuses a payment above the per-payment limit and writes nothing, not even a sale number', () => {
    const { db } = openTill();
    putBalance(db, 'gift_card', 'tok-1', 10_000, NOW.getTime() - 3 * HOUR);
    const before = counts(db);
    const err = refusal(() => sell(db, [giftCard(5_001)]));
    expect(err.message).toBe("Offline gift-card payments are limited to 50.00 NOK each; this one is 50.01 NOK. The card's last known balance is 100.00 NOK (as of 3 h ago).");
    expect(counts(db)).toEqual(before);
    // The next sale gets number 1: the refused one took none.
    expect(sell(db, [giftCard(1_000)]).entry.saleNo).toBe(1);
  });

  it('adds up a card over the business day from the ledger, across sales and tenders of one sale', () => {
    const { db } = openTill();
    putBalance(db, 'gift_card', 'tok-1', 100_000, NOW.getTime() - HOUR);
    putBalance(db, 'gift_card', 'tok-2', 100_000, NOW.getTime() - HOUR);
    // Two offline tenders of one code in one sale need a code known to survive a transaction (migration 0290).
    expect(refusal(() => sell(db, [giftCard(2_000), giftCard(2_000)])).reason).toBe('offline.code-unconfirmed');
    setCodeState(db, 'tok-1', 'reusable', NOW.getTime() - HOUR);
    sell(db, [giftCard(3_000)]);
    sell(db, [giftCard(2_000), giftCard(2_000)]);
    const err = refusal(() => sell(db, [giftCard(1_001)]));
    expect(err.message).toContain('limited to 80.00 NOK per card per business day; 70.00 NOK was already taken offline today, so at most 10.00 NOK more');
    sell(db, [giftCard(1_000)]);
    // Another card has a day of its own.
    sell(db, [giftCard(3_000, 'tok-2')]);
  });

  it('holds the till to its total open exposure until the outbox delivers', () => {
    const { db } = openTill();
    for (const tok of ['a', 'b', 'c']) putBalance(db, 'gift_card', tok, 100_000, NOW.getTime());
    const first = sell(db, [giftCard(5_000, 'a')]);
    sell(db, [giftCard(5_000, 'b')]);
    const err = refusal(() => sell(db, [giftCard(2_001, 'c')]));
    expect(err.message).toContain("This till's unconfirmed offline payments are limited to 120.00 NOK in total; 100.00 NOK is still waiting for the server");
    // Delivering the first sale frees its share of the exposure.
    expect(claimEnvelope(db, envelopeIdOf(first), NOW.getTime())).toBe(true);
    settleEnvelope(db, envelopeIdOf(first), { state: 'done' }, NOW.getTime());
    sell(db, [giftCard(5_000, 'c')]);
  });

  it('refuses without a known balance, and above what is left of it after earlier offline payments', () => {
    const { db } = openTill();
    expect(refusal(() => sell(db, [giftCard(1_000, 'unknown')])).message).toContain('this till has none for this card');
    putBalance(db, 'gift_card', 'tok-1', 6_000, NOW.getTime() - 25 * HOUR);
    sell(db, [giftCard(4_000)]);
    const err = refusal(() => sell(db, [giftCard(2_500)]));
    expect(err.message).toBe(
      "The card's last known balance is 60.00 NOK (as of 25 h ago), and 40.00 NOK of it was already taken offline since; this payment of 25.00 NOK is more than the 20.00 NOK left.",
    );
    sell(db, [giftCard(2_000)]);
  });

  it('counts against the balance what was taken after it was read, also on an earlier day, and what is still undelivered', () => {
    const { db } = openTill({ shift: false });
    const at = (hoursBeforeNow: number): Date => new Date(NOW.getTime() - hoursBeforeNow * HOUR);
    openBusinessDay(db, at(30));
    openShift(db, 'anna', minor(0), at(30));
    const wide: OfflineLimits = { ...LIMITS, giftCard: { perPayment: 5_000, perMemberPerDay: 100_000, totalOpenExposure: 100_000 } };
    putBalance(db, 'gift_card', 'tok-1', 20_000, at(30).getTime());
    const before = sell(db, [giftCard(1_000)], { offlineLimits: wide }, at(29));
    // A newer reading, taken while that payment is still in the outbox.
    putBalance(db, 'gift_card', 'tok-1', 6_000, at(28).getTime());
    sell(db, [giftCard(2_000)], { offlineLimits: wide }, at(27)); // after the reading, on the day that closes
    closeShift(db, null, at(26));
    closeBusinessDay(db, at(26));
    openBusinessDay(db, at(1));
    openShift(db, 'anna', minor(0), at(1));
    // 1 000 before the reading (undelivered) + 2 000 after it, on the closed day: 3 000 of 6 000 left.
    expect(refusal(() => sell(db, [giftCard(4_000)], { offlineLimits: wide })).message).toBe(
      "The card's last known balance is 60.00 NOK (as of 28 h ago), and 30.00 NOK of it was already taken offline since; this payment of 40.00 NOK is more than the 30.00 NOK left.",
    );
    // Once the payment from before the reading is delivered, the reading is taken to show it.
    expect(claimEnvelope(db, envelopeIdOf(before), NOW.getTime())).toBe(true);
    settleEnvelope(db, envelopeIdOf(before), { state: 'done' }, NOW.getTime());
    expect(sell(db, [giftCard(4_000)], { offlineLimits: wide }).entry.tenders[0]?.amountAtRisk).toBe(4_000);
  });

  it('looks gift cards up under the key balance_cache uses', () => {
    const { db } = openTill();
    putBalance(db, 'gift_card', 'hash:tok-1', 10_000, NOW.getTime());
    const balanceKeyOf = (asset: string, key: string): string => (asset === 'gift_card' ? `hash:${key}` : key);
    refusal(() => sell(db, [giftCard(1_000)]));
    expect(sell(db, [giftCard(1_000)], { balanceKeyOf }).entry.tenders[0]?.amountAtRisk).toBe(1_000);
  });

  it('keeps points off and counts credit per member and asset: points taken today do not use up credit', () => {
    const { db } = openTill();
    putBalance(db, 'loyalty_points', 'm-1', 100_000, NOW.getTime());
    putBalance(db, 'loyalty_credit', 'm-1', 100_000, NOW.getTime());
    const points: Tender = { kind: 'loyalty', amount: minor(100), memberId: 'm-1', asset: 'points', offline: true };
    expect(refusal(() => sell(db, [points])).message).toBe('Offline loyalty-points payments are not accepted at this till; take another payment method, or wait until the till is back online.');
    const limits: OfflineLimits = { ...LIMITS, credit: { perPayment: 5_000, perMemberPerDay: 10_000, totalOpenExposure: 12_000 } };
    sell(db, [credit(5_000)], { offlineLimits: limits });
    // Points taken by a caller without limits are still not the member's credit.
    commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: cashRest([points]), ruleSetVersion: 'r1', amountsAtRisk: [100, 0] }, NOW);
    sell(db, [credit(5_000)], { offlineLimits: limits });
    expect(refusal(() => sell(db, [credit(1)], { offlineLimits: limits })).message).toContain(
      'Offline loyalty-credit payments are limited to 100.00 NOK per member per business day; 100.00 NOK was already taken offline today',
    );
    // Another member has a day of their own.
    putBalance(db, 'loyalty_credit', 'm-2', 100_000, NOW.getTime());
    sell(db, [credit(1_000, 'm-2')], { offlineLimits: limits });
  });

  it('leaves online tenders and callers without limits as they were', () => {
    const { db } = openTill();
    const online: Tender = { kind: 'gift_card', amount: minor(8_000), cardToken: 'tok-1' };
    const { entry } = commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: cashRest([online]), ruleSetVersion: 'r1', offlineLimits: LIMITS }, NOW);
    expect(entry.tenders[0]?.amountAtRisk).toBe(0);
    const legacy = commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: cashRest([giftCard(8_000)]), ruleSetVersion: 'r1', amountsAtRisk: [8_000, 0] }, NOW);
    expect(legacy.entry.tenders[0]?.amountAtRisk).toBe(8_000);
  });

  it('still counts a voided offline payment against the day, since its reversal is not confirmed either', () => {
    const { db } = openTill();
    putBalance(db, 'gift_card', 'tok-1', 100_000, NOW.getTime());
    const first = sell(db, [giftCard(5_000)]);
    voidSale(db, { till: TILL, receiptId: first.entry.receiptId }, NOW);
    refusal(() => sell(db, [giftCard(5_000)]));
  });

  it('reads its defaults from the config: gift cards on, points and credit off', () => {
    const config = ConfigSchema.parse({});
    expect(config.offlineLimits.points).toEqual({ perPayment: 0, perMemberPerDay: 0, totalOpenExposure: 0 });
    expect(config.offlineLimits.credit).toEqual({ perPayment: 0, perMemberPerDay: 0, totalOpenExposure: 0 });
    expect(config.offlineLimits.giftCard.perPayment).toBeGreaterThan(0);
    const { db } = openTill();
    putBalance(db, 'gift_card', 'tok-1', 100_000, NOW.getTime());
    const { entry } = commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: cashRest([giftCard(2_000)]), ruleSetVersion: 'r1', offlineLimits: config.offlineLimits }, NOW);
    expect(entry.tenders[0]?.amountAtRisk).toBe(2_000);
    refusal(() => commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: cashRest([credit(100)]), ruleSetVersion: 'r1', offlineLimits: config.offlineLimits }, NOW));
  });
});
