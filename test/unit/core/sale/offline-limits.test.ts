import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minor, ZERO } from '../../../../main/core/money';
import {
  amountsAtRiskFor,
  checkOfflineLimits,
  type CodeState,
  describeAge,
  heldOnline,
  type OfflineLimits,
  type OfflinePayment,
  offlinePayments,
  type PaymentFacts,
  refusalMessage,
} from '../../../../main/core/sale/offline-limits';
import type { Tender } from '../../../../main/core/sale';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const HOUR = 3_600_000;
const LIMITS: OfflineLimits = {
  giftCard: { perPayment: 50_000, perMemberPerDay: 100_000, totalOpenExposure: 500_000 },
  points: { perPayment: 0, perMemberPerDay: 0, totalOpenExposure: 0 },
  credit: { perPayment: 20_000, perMemberPerDay: 30_000, totalOpenExposure: 100_000 },
};

const card = (amount: number, key = 'card-1', tenderIndex = 0): OfflinePayment => ({ tenderIndex, asset: 'gift_card', key, amount: minor(amount) });
const facts = (balance: number | undefined, extra: { today?: number; since?: number; fetchedAt?: number; code?: CodeState } = {}): PaymentFacts => ({
  takenToday: minor(extra.today ?? 0),
  balance: balance === undefined ? undefined : { balance: minor(balance), fetchedAt: extra.fetchedAt ?? NOW.getTime() - 3 * HOUR, takenSince: minor(extra.since ?? 0) },
  ...(extra.code ? { codeState: extra.code } : {}),
});
const check = (payments: OfflinePayment[], f: PaymentFacts, openExposure = 0, limits = LIMITS) =>
  checkOfflineLimits({ limits, payments, openExposure: minor(openExposure), facts: () => f, now: NOW });

describe('offlinePayments', () => {
  it('picks value tenders flagged offline or carrying risk, with their asset and whose balance they draw on', () => {
    const tenders: Tender[] = [
      { kind: 'cash', amount: minor(100) },
      { kind: 'gift_card', amount: minor(200), cardToken: 'tok-a', offline: true },
      { kind: 'gift_card', amount: minor(300), cardToken: 'tok-b' },
      { kind: 'loyalty', amount: minor(400), memberId: 'm-1', asset: 'credit' },
      { kind: 'loyalty', amount: minor(500), memberId: 'm-2', asset: 'points', offline: true },
    ];
    expect(offlinePayments(tenders, [0, 0, 0, 400, 0])).toEqual([
      { tenderIndex: 1, asset: 'gift_card', key: 'tok-a', amount: 200 },
      { tenderIndex: 3, asset: 'credit', key: 'm-1', amount: 400 },
      { tenderIndex: 4, asset: 'points', key: 'm-2', amount: 500 },
    ]);
  });

  it('takes an offline payment at risk in full unless a smaller risk is given', () => {
    const tenders: Tender[] = [
      { kind: 'cash', amount: minor(100) },
      { kind: 'gift_card', amount: minor(200), cardToken: 'tok-a', offline: true },
      { kind: 'gift_card', amount: minor(300), cardToken: 'tok-b', offline: true },
    ];
    const payments = offlinePayments(tenders, undefined);
    expect(amountsAtRiskFor(tenders, payments, undefined)).toEqual([0, 200, 300]);
    expect(amountsAtRiskFor(tenders, payments, [0, 150, 0])).toEqual([0, 150, 300]);
  });
});

describe('checkOfflineLimits', () => {
  it("counts the sale's tenders held online against the same balance, but not against the offline limits", () => {
    const tenders: Tender[] = [
      { kind: 'gift_card', amount: minor(522), cardToken: 'card-1' },
      { kind: 'gift_card', amount: minor(300), cardToken: 'card-1', settledKey: 'k-1' },
      { kind: 'gift_card', amount: minor(1022), cardToken: 'card-1', offline: true },
    ];
    const held = heldOnline(tenders, undefined);
    // Settled tenders are already drawn from the balance the back end reports; offline ones are payments here.
    expect(held).toEqual([{ tenderIndex: 0, asset: 'gift_card', key: 'card-1', amount: 522 }]);
    const payments = offlinePayments(tenders, undefined);
    const f = facts(1022, { fetchedAt: NOW.getTime() });
    const verdict = checkOfflineLimits({ limits: LIMITS, payments, held, openExposure: ZERO, facts: () => f, now: NOW });
    expect(verdict).toMatchObject({ ok: false, refusal: { limit: 'balance', cap: 1022, used: 522, amount: 1022 } });
    // Another card's hold does not count, and a hold alone never uses up the per-day limit.
    const other = heldOnline([{ kind: 'gift_card', amount: minor(522), cardToken: 'card-2' }], undefined);
    expect(checkOfflineLimits({ limits: LIMITS, payments, held: other, openExposure: ZERO, facts: () => f, now: NOW })).toEqual({ ok: true });
    const big = heldOnline([{ kind: 'gift_card', amount: minor(100_000), cardToken: 'card-1' }], undefined);
    const rich = facts(1_000_000, { fetchedAt: NOW.getTime() });
    expect(checkOfflineLimits({ limits: LIMITS, payments, held: big, openExposure: ZERO, facts: () => rich, now: NOW })).toEqual({ ok: true });
  });

  it('accepts a payment within every limit and the last known balance', () => {
    expect(check([card(50_000)], facts(60_000, { today: 50_000 }), 450_000)).toEqual({ ok: true });
  });

  it('names the limit that is broken, in the order per payment, per day, till exposure, balance', () => {
    const refused = (v: ReturnType<typeof check>) => (v.ok ? undefined : v.refusal);
    expect(refused(check([card(50_001)], facts(1_000_000)))).toMatchObject({ limit: 'per_payment', cap: 50_000, amount: 50_001 });
    expect(refused(check([card(20_000)], facts(1_000_000, { today: 90_000 })))).toMatchObject({ limit: 'per_member_per_day', cap: 100_000, used: 90_000 });
    expect(refused(check([card(20_000)], facts(1_000_000), 490_000))).toMatchObject({ limit: 'total_open_exposure', cap: 500_000, used: 490_000 });
    expect(refused(check([card(20_000)], facts(undefined)))).toMatchObject({ limit: 'no_balance', balance: undefined });
    expect(refused(check([card(20_000)], facts(30_000, { since: 15_000 })))).toMatchObject({ limit: 'balance', cap: 30_000, used: 15_000, balance: { amount: 30_000, ageMs: 3 * HOUR } });
  });

  it('refuses an asset whose limits are off, whatever the balance', () => {
    const v = checkOfflineLimits({ limits: LIMITS, payments: [{ tenderIndex: 2, asset: 'points', key: 'm-1', amount: minor(1) }], openExposure: ZERO, facts: () => facts(1_000_000), now: NOW });
    expect(v).toMatchObject({ ok: false, refusal: { limit: 'disabled', asset: 'points', tenderIndex: 2 } });
  });

  it('counts earlier offline tenders of the same sale against the same card, the day and the till', () => {
    // Two tenders of one code in one sale: only a code known to survive a transaction can serve both.
    const two = [card(30_000, 'card-1', 0), card(30_000, 'card-1', 1)];
    const reusable = { code: 'reusable' } as const;
    expect(check(two, facts(50_000, reusable))).toMatchObject({ ok: false, refusal: { limit: 'balance', tenderIndex: 1, used: 30_000 } });
    expect(check(two, facts(1_000_000, { today: 50_000, ...reusable }))).toMatchObject({ ok: false, refusal: { limit: 'per_member_per_day', tenderIndex: 1, used: 80_000 } });
    expect(check(two, facts(1_000_000, reusable), 450_000)).toMatchObject({ ok: false, refusal: { limit: 'total_open_exposure', tenderIndex: 1, used: 480_000 } });
    // Another card has its own balance and day, but shares the till's exposure.
    expect(check([card(30_000, 'card-1', 0), card(30_000, 'card-2', 1)], facts(50_000))).toEqual({ ok: true });
  });

  it('refuses a code the till drew on unless wallets/info showed it survives a transaction', () => {
    const plenty = (code?: CodeState) => facts(1_000_000, code ? { code } : {});
    expect(check([card(1_000)], plenty('spent'))).toMatchObject({ ok: false, refusal: { limit: 'code_spent', tenderIndex: 0, cap: 0, used: 0 } });
    expect(check([card(1_000)], plenty('used'))).toMatchObject({ ok: false, refusal: { limit: 'code_unconfirmed', tenderIndex: 0 } });
    expect(check([card(1_000)], plenty('reusable'))).toEqual({ ok: true });
    expect(check([card(1_000)], plenty())).toEqual({ ok: true });
    // Never drawn on: one offline drawdown by the code, not two (the second would find it spent).
    const two = [card(1_000, 'card-1', 0), card(1_000, 'card-1', 1)];
    expect(check(two, plenty())).toMatchObject({ ok: false, refusal: { limit: 'code_unconfirmed', tenderIndex: 1 } });
    expect(check(two, plenty('reusable'))).toEqual({ ok: true });
    // A spent code is refused before any limit, even with no balance known; a member has no code.
    expect(check([card(90_000)], facts(undefined, { code: 'spent' }))).toMatchObject({ ok: false, refusal: { limit: 'code_spent' } });
    const credit: OfflinePayment = { tenderIndex: 0, asset: 'credit', key: 'm-1', amount: minor(1_000) };
    expect(check([credit], facts(1_000_000, { code: 'spent' }))).toEqual({ ok: true });
  });

  it('never accepts more than any limit or balance allows (property)', () => {
    const amount = fc.integer({ min: 1, max: 80_000 });
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.constantFrom('a', 'b'), amount }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.constantFrom<CodeState | undefined>(undefined, 'used', 'reusable', 'spent'),
        (raw, exposure, today, balance, since, code) => {
          const payments = raw.map((p, i) => card(p.amount, p.key, i));
          const f = facts(balance, { today, since, ...(code ? { code } : {}) });
          const v = check(payments, f, exposure);
          const total = (ps: OfflinePayment[]): number => ps.reduce((s, p) => s + p.amount, 0);
          const byKey = (k: string) => payments.filter((p) => p.key === k);
          const within =
            (code === 'reusable' || (code === undefined && ['a', 'b'].every((k) => byKey(k).length <= 1))) &&
            payments.every((p) => p.amount <= 50_000) &&
            ['a', 'b'].every((k) => today + total(byKey(k)) <= 100_000 && since + total(byKey(k)) <= balance) &&
            exposure + total(payments) <= 500_000;
          expect(v.ok).toBe(within);
        },
      ),
      { seed: 20261123 },
    );
  });
});

describe('refusalMessage', () => {
  const refusalOf = (v: ReturnType<typeof check>) => {
    if (v.ok) throw new Error('expected a refusal');
    return v.refusal;
  };

  it('tells the cashier the limit and the age of the last known balance, without the card token', () => {
    const text = refusalMessage(refusalOf(check([card(62_000, 'secret-token')], facts(80_000))), 'NOK');
    expect(text).toBe("Offline gift-card payments are limited to 500.00 NOK each; this one is 620.00 NOK. The card's last known balance is 800.00 NOK (as of 3 h ago).");
    expect(text).not.toContain('secret-token');
  });

  it('says how much is left under the day, exposure and balance limits', () => {
    expect(refusalMessage(refusalOf(check([card(20_000)], facts(1_000_000, { today: 90_000 }))), 'NOK')).toContain(
      'limited to 1000.00 NOK per card per business day; 900.00 NOK was already taken offline today, so at most 100.00 NOK more.',
    );
    expect(refusalMessage(refusalOf(check([card(20_000)], facts(1_000_000), 490_000)), 'NOK')).toContain('so at most 100.00 NOK more');
    expect(refusalMessage(refusalOf(check([card(20_000)], facts(30_000, { since: 15_000 }))), 'NOK')).toBe(
      "The card's last known balance is 300.00 NOK (as of 3 h ago), and 150.00 NOK of it was already taken offline since; this payment of 200.00 NOK is more than the 150.00 NOK left.",
    );
    expect(refusalMessage(refusalOf(check([card(20_000)], facts(undefined))), 'NOK')).toContain('this till has none for this card');
  });

  it('formats amounts in the currency exponent', () => {
    const r = refusalOf(check([card(50_001)], facts(undefined)));
    expect(refusalMessage(r, 'ISK')).toContain('limited to 50000 ISK each');
  });
});

describe('describeAge', () => {
  it.each([
    [30_000, 'less than a minute'],
    [12 * 60_000, '12 min'],
    [3 * HOUR + 59 * 60_000, '3 h'],
    [47 * HOUR, '47 h'],
    [50 * HOUR, '2 days'],
  ])('%i ms reads as %s', (ms, text) => {
    expect(describeAge(ms)).toBe(text);
  });
});
