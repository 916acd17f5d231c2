import { describe, expect, it } from 'vitest';
import type { PaymentOp } from '../../../../../main/store/loyalty-confirmations';
import { MAX_UNKNOWN_MOVEMENTS, ownMovementsIn, possibleOutcomes, verdictOf, type CheckTimes } from '../../../../../main/sync/connectors/loyalty/own-movements';

/**
 * Which of the till's own attempts the balance check counts, and how (main/sync/connectors/loyalty/own-movements.ts).
 * The checked attempt read `before` between 1000 and 1010 and was sent at 1010; the latest read left at 5000 and
 * answered at 5040.
 */
const T: CheckTimes = { beforeFrom: 1000, beforeTo: 1010, readFrom: 5000, readTo: 5040 };

function op(over: Partial<PaymentOp> & { opKey: string }): PaymentOp {
  return {
    paymentKey: over.opKey,
    saleKey: 'sale-1',
    action: 'pay',
    amount: 16,
    memberJson: '{"membershipKey":"mk-1"}',
    state: 'done',
    before: { points: 100, credit: null },
    after: { points: null, credit: null },
    confirmationCode: 'c-1',
    reason: null,
    beforeReadAt: 2000,
    sentAt: 2010,
    updatedAt: 2030,
    ...over,
  };
}

describe('ownMovementsIn', () => {
  it('counts a confirmed attempt sent after `before` and answered before the read, with its sign', () => {
    expect(ownMovementsIn([op({ opKey: 'p' }), op({ opKey: 'r', action: 'cancel', amount: 40 })], T)).toEqual([
      { key: 'p', action: 'pay', delta: -16, counted: 'surely' },
      { key: 'r', action: 'cancel', delta: 40, counted: 'surely' },
    ]);
  });

  it('leaves out what surely is in `before` or surely after the read, and failed attempts', () => {
    const ops = [
      op({ opKey: 'long-ago', sentAt: 100, updatedAt: 999 }),
      op({ opKey: 'after-read', sentAt: 5041, updatedAt: 5100 }),
      op({ opKey: 'refused', state: 'failed', confirmationCode: null }),
      op({ opKey: 'pending-after-read', state: 'sending', confirmationCode: null, sentAt: 5041, updatedAt: 5041 }),
    ];
    expect(ownMovementsIn(ops, T)).toEqual([]);
  });

  it('tries both ways what overlaps either end of the window, or whose outcome is unknown', () => {
    const ops = [
      // Answered at 1000: the `before` read may have shown it, or not.
      op({ opKey: 'at-before', sentAt: 990, updatedAt: 1000 }),
      // Sent at 1010, the same ms as the checked attempt: its order with `before` is not known.
      op({ opKey: 'same-ms', sentAt: 1010, updatedAt: 1200 }),
      // Answered while the latest read was out.
      op({ opKey: 'during-read', sentAt: 4000, updatedAt: 5000 }),
      // Answer lost, or no answer yet, long ago: it may land at any time.
      op({ opKey: 'lost', state: 'uncertain', confirmationCode: null, sentAt: 10, updatedAt: 50 }),
      op({ opKey: 'in-flight', state: 'sending', confirmationCode: null, sentAt: 4990, updatedAt: 4990 }),
      // Settled only by its own balance check: no confirmation from the server.
      op({ opKey: 'by-check', confirmationCode: null }),
      // Recorded before migration 0270: no send time.
      op({ opKey: 'legacy', sentAt: null, beforeReadAt: null, updatedAt: 1500 }),
    ];
    expect(ownMovementsIn(ops, T).map((m) => [m.key, m.counted])).toEqual(ops.map((o) => [o.opKey, 'maybe']));
  });

  it('counts nothing surely when the checked attempt has no times (before 0270) or the clock went back', () => {
    const confirmed = [op({ opKey: 'p' })];
    expect(ownMovementsIn(confirmed, { ...T, beforeFrom: null, beforeTo: null })).toEqual([{ key: 'p', action: 'pay', delta: -16, counted: 'maybe' }]);
    expect(ownMovementsIn(confirmed, { ...T, readFrom: 900, readTo: 940 })).toEqual([{ key: 'p', action: 'pay', delta: -16, counted: 'maybe' }]);
  });
});

describe('possibleOutcomes and verdictOf', () => {
  it('without own movements: the two old candidates', () => {
    const o = possibleOutcomes(30_000, 16_920, []);
    expect(o).toEqual({ ifNot: [30_000], ifLanded: [46_920] });
    if (!o) return;
    expect(verdictOf(46_920, o)).toBe('landed');
    expect(verdictOf(30_000, o)).toBe('not_landed');
    expect(verdictOf(46_904, o)).toBe('neither');
  });

  it('shifts both candidates by what surely moved, and tries each unknown one both ways', () => {
    const surely = { key: 'p', action: 'pay', delta: -16, counted: 'surely' } as const;
    expect(possibleOutcomes(30_000, 16_920, [surely])).toEqual({ ifNot: [29_984], ifLanded: [46_904] });
    const maybe = { key: 'q', action: 'pay', delta: -16_920, counted: 'maybe' } as const;
    const o = possibleOutcomes(30_000, 16_920, [surely, maybe]);
    expect(o).toEqual({ ifNot: [13_064, 29_984], ifLanded: [29_984, 46_904] });
    if (!o) return;
    expect(verdictOf(29_984, o)).toBe('both');
    expect(verdictOf(46_904, o)).toBe('landed');
    expect(verdictOf(13_064, o)).toBe('not_landed');
  });

  it(`gives up on more than ${MAX_UNKNOWN_MOVEMENTS} unknown movements`, () => {
    const maybe = (n: number) => ({ key: `m${n}`, action: 'pay', delta: -n, counted: 'maybe' }) as const;
    expect(possibleOutcomes(100, -10, [1, 2, 3].map(maybe))?.ifNot).toHaveLength(7);
    expect(possibleOutcomes(100, -10, [1, 2, 3, 4].map(maybe))).toBeUndefined();
  });
});
