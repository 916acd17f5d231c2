import { describe, expect, it } from 'vitest';
import { RendererRecovery } from '../../../main/electron/renderer-recovery';

describe('RendererRecovery', () => {
  it('reloads a crashed screen, but not one that closed cleanly', () => {
    const r = new RendererRecovery({ maxCrashes: 3, windowMs: 60_000, hangMs: 10_000 });
    expect(r.onGone('crashed', 0)).toEqual({ kind: 'reload' });
    expect(r.onGone('oom', 1000)).toEqual({ kind: 'reload' });
    expect(r.onGone('clean-exit', 2000)).toEqual({ kind: 'ignore' });
  });

  it('gives up after too many crashes in the window, and forgives old ones', () => {
    const r = new RendererRecovery({ maxCrashes: 3, windowMs: 60_000, hangMs: 10_000 });
    for (const t of [0, 1000, 2000]) expect(r.onGone('crashed', t).kind).toBe('reload');
    const fourth = r.onGone('killed', 3000);
    expect(fourth.kind).toBe('give-up');
    expect(fourth.kind === 'give-up' && fourth.reason).toMatch(/4 times in 60 s \(last: killed\)/);
    // Long after, the window has moved on and a new crash reloads again.
    expect(r.onGone('crashed', 200_000).kind).toBe('reload');
  });

  it('kills a screen that stays unresponsive past the hang limit (then reloads it as a crash), not one that recovers', () => {
    const r = new RendererRecovery({ maxCrashes: 3, windowMs: 60_000, hangMs: 10_000 });
    r.onUnresponsive(0);
    expect(r.checkHang(5_000).kind).toBe('ignore');
    r.onResponsive();
    expect(r.checkHang(20_000).kind).toBe('ignore');
    r.onUnresponsive(30_000);
    r.onUnresponsive(35_000); // repeated events keep the first start
    expect(r.checkHang(39_999).kind).toBe('ignore');
    expect(r.checkHang(40_000).kind).toBe('kill');
    expect(r.checkHang(60_000).kind).toBe('ignore');
  });
});
