import { describe, expect, it } from 'vitest';
import type { PaymentOp } from '../../../../../main/store/loyalty-confirmations';
import { MAX_UNKNOWN_MOVEMENTS, ownMovementsIn, possibleOutcomes, verdictOf, type CheckOrder } from '../../../../../main/sync/connectors/loyalty/own-movements';

/**
 * Which of the till's own attempts the balance check counts, and how (main/sync/connectors/loyalty/own-movements.ts).
 * In the till's order of attempt writes: the checked attempt's `before` read left at 10 and it was written down
 * at 13; the latest read left at 50 and answered at 52 (two writes happened while it was out).
 */
const T: CheckOrder = { beforeFrom: 10, beforeTo: 13, readFrom: 50, readTo: 52 };

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
    updatedAt: 0,
    beforeReadSeq: 19,
    sentSeq: 20,
    endSeq: 21,
    ...over,
  };
}

describe('ownMovementsIn', () => {
  it('counts a confirmed attempt written down after the checked one and over before the read left, with its sign', () => {
    expect(ownMovementsIn([op({ opKey: 'p' }), op({ opKey: 'r', action: 'cancel', amount: 40, sentSeq: 14, endSeq: 50 })], T)).toEqual([
      { key: 'p', action: 'pay', delta: -16, counted: 'surely' },
      { key: 'r', action: 'cancel', delta: 40, counted: 'surely' },
    ]);
  });

  it('leaves out what is surely in `before` or surely after the read, and failed attempts', () => {
    const ops = [
      op({ opKey: 'long-ago', sentSeq: 1, endSeq: 10 }),
      op({ opKey: 'after-read', sentSeq: 53, endSeq: 54 }),
      op({ opKey: 'refused', state: 'failed', confirmationCode: null }),
      // Its answer was lost before `before` was read: in `before` if it landed at all.
      op({ opKey: 'lost-before', state: 'uncertain', confirmationCode: null, sentSeq: 3, endSeq: 4 }),
      op({ opKey: 'pending-after-read', state: 'sending', confirmationCode: null, sentSeq: 53, endSeq: null }),
      // Over before migration 0270: before the counter started.
      op({ opKey: 'legacy', beforeReadSeq: null, sentSeq: null, endSeq: null }),
    ];
    expect(ownMovementsIn(ops, T)).toEqual([]);
  });

  it('tries both ways what overlaps either end of the window, or whose outcome is unknown', () => {
    const ops = [
      // Answered while the checked attempt's `before` read was out: `before` may show it, or not.
      op({ opKey: 'during-before', sentSeq: 5, endSeq: 12 }),
      // Written down while that read was out, answered later: it may have landed before the server answered it.
      op({ opKey: 'sent-during-before', sentSeq: 11, endSeq: 20 }),
      // Answered while the latest read was out.
      op({ opKey: 'during-read', sentSeq: 40, endSeq: 51 }),
      // Answer lost in the window: it may or may not have landed.
      op({ opKey: 'lost', state: 'uncertain', confirmationCode: null }),
      // In flight, or cut off by a crash long ago (even before 0270): it may land at any time.
      op({ opKey: 'in-flight', state: 'sending', confirmationCode: null, sentSeq: 45, endSeq: null }),
      op({ opKey: 'crashed', state: 'sending', confirmationCode: null, sentSeq: 1, endSeq: null }),
      op({ opKey: 'crashed-legacy', state: 'sending', confirmationCode: null, beforeReadSeq: null, sentSeq: null, endSeq: null }),
      // Settled only by its own balance check: no confirmation from the server.
      op({ opKey: 'by-check', confirmationCode: null }),
    ];
    expect(ownMovementsIn(ops, T).map((m) => [m.key, m.counted])).toEqual(ops.map((o) => [o.opKey, 'maybe']));
  });

  it('without the checked attempt\'s own order (recorded before 0270) leaves nothing out and counts nothing surely', () => {
    const ops = [op({ opKey: 'p' }), op({ opKey: 'long-ago', sentSeq: 1, endSeq: 2 })];
    expect(ownMovementsIn(ops, { ...T, beforeFrom: null, beforeTo: null }).map((m) => [m.key, m.counted])).toEqual([
      ['p', 'maybe'],
      ['long-ago', 'maybe'],
    ]);
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
