import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idlePhase, idleSubject } from '../../../../renderer/kiosk/idle';

const cfg = { warnAfterMs: 60_000, clearAfterMs: 20_000 };

describe('kiosk idle timer', () => {
  it('is active, then warns with a countdown, then expires', () => {
    expect(idlePhase(cfg, 0, 59_999, false)).toEqual({ phase: 'active' });
    expect(idlePhase(cfg, 0, 60_000, false)).toEqual({ phase: 'warning', secondsLeft: 20 });
    expect(idlePhase(cfg, 0, 79_001, false)).toEqual({ phase: 'warning', secondsLeft: 1 });
    expect(idlePhase(cfg, 0, 80_000, false)).toEqual({ phase: 'expired' });
  });

  it('never times out an empty basket', () => {
    fc.assert(
      fc.property(fc.nat(), (now) => {
        expect(idlePhase(cfg, 0, now, true)).toEqual({ phase: 'active' });
      }),
      { seed: 20261123 },
    );
  });

  it('only moves forward as time passes without activity', () => {
    const rank = { active: 0, warning: 1, expired: 2 } as const;
    fc.assert(
      fc.property(fc.nat(200_000), fc.nat(200_000), (a, b) => {
        const [t1, t2] = a <= b ? [a, b] : [b, a];
        expect(rank[idlePhase(cfg, 0, t1, false).phase]).toBeLessThanOrEqual(rank[idlePhase(cfg, 0, t2, false).phase]);
      }),
      { seed: 20261123 },
    );
  });
});

describe('what the kiosk idle timer watches', () => {
  it('a basket, then the receipt question; never a card payment in progress or one waiting for staff', () => {
    expect(idleSubject({ lines: 0, payment: null, receiptOffer: false })).toBe('none');
    expect(idleSubject({ lines: 2, payment: null, receiptOffer: false })).toBe('basket');
    expect(idleSubject({ lines: 2, payment: 'declined', receiptOffer: false })).toBe('basket');
    expect(idleSubject({ lines: 2, payment: 'waiting', receiptOffer: false })).toBe('none');
    expect(idleSubject({ lines: 2, payment: 'error', receiptOffer: false })).toBe('none');
    expect(idleSubject({ lines: 0, payment: null, receiptOffer: true })).toBe('receipt');
  });
});
