import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FaultPlan, parseFaultConfig } from '../../../main/sandbox/faults';

describe('parseFaultConfig', () => {
  it('accepts routes, prefixes and * with shares, latency and times', () => {
    const config = parseFaultConfig({
      seed: 7,
      routes: { '*': { latencyMs: 5 }, 'dintero.*': { status503: 0.2 }, 'loyalty.payment': { resetAfter: 0.5, hang: 0.5, times: 2 } },
    });
    expect(Object.keys(config.routes)).toHaveLength(3);
  });

  it('names the bad path: unknown fields, shares over 1, a bad route pattern', () => {
    expect(() => parseFaultConfig({ routes: { x: { status500: 2 } } })).toThrow(/routes\.x\.status500/);
    expect(() => parseFaultConfig({ routes: { x: { status500: 0.6, resetBefore: 0.6 } } })).toThrow(/more than 1/);
    expect(() => parseFaultConfig({ routes: { x: { explode: 1 } } })).toThrow(/explode/);
    expect(() => parseFaultConfig({ routes: { 'Bad Route': {} } })).toThrow(/Bad Route/);
    expect(() => parseFaultConfig({ rutes: {} })).toThrow();
  });
});

describe('FaultPlan', () => {
  it('picks the most specific pattern: exact, then the longest prefix, then *', () => {
    const plan = new FaultPlan(
      parseFaultConfig({ routes: { '*': { status500: 1 }, 'dintero.*': { status502: 1 }, 'dintero.claims.*': { status503: 1 }, 'dintero.claims.create': { resetAfter: 1 } } }),
      1,
    );
    expect(plan.decide('dintero.claims.create').kind).toBe('reset-after');
    expect(plan.decide('dintero.claims.delete').kind).toBe('status-503');
    expect(plan.decide('dintero.receipts.create').kind).toBe('status-502');
    expect(plan.decide('loyalty.payment').kind).toBe('status-500');
  });

  it('uses a spec only `times` times, then falls through to the next pattern', () => {
    const plan = new FaultPlan(parseFaultConfig({ routes: { 'loyalty.payment': { hang: 1, times: 2 }, '*': { latencyMs: 3 } } }), 1);
    expect([plan.decide('loyalty.payment'), plan.decide('loyalty.payment'), plan.decide('loyalty.payment')].map((d) => d.kind)).toEqual(['hang', 'hang', 'none']);
    expect(plan.decide('loyalty.payment').latencyMs).toBe(3);
  });

  it('is reproducible for a seed and honours the shares over many requests', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const config = parseFaultConfig({ routes: { '*': { status500: 0.25, resetAfter: 0.25 } } });
        const a = new FaultPlan(config, seed);
        const b = new FaultPlan(config, seed);
        const kinds = Array.from({ length: 400 }, () => a.decide('r').kind);
        expect(Array.from({ length: 400 }, () => b.decide('r').kind)).toEqual(kinds);
        const share = (k: string): number => kinds.filter((x) => x === k).length / kinds.length;
        // Loose bounds: 400 draws at p = 0.25 stay well inside 0.15..0.35.
        expect(share('status-500')).toBeGreaterThan(0.15);
        expect(share('status-500')).toBeLessThan(0.35);
        expect(share('reset-after')).toBeGreaterThan(0.15);
        expect(share('none')).toBeGreaterThan(0.38);
      }),
      { seed: 20261123, numRuns: 25 },
    );
  });

  it('adds jitter within 0..latencyJitterMs on top of latencyMs', () => {
    const plan = new FaultPlan(parseFaultConfig({ routes: { '*': { latencyMs: 100, latencyJitterMs: 50 } } }), 3);
    const latencies = Array.from({ length: 200 }, () => plan.decide('x').latencyMs);
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(150);
    expect(new Set(latencies).size).toBeGreaterThan(10);
  });

  it('fires a share of 1 every time and never fires without a matching pattern', () => {
    const plan = new FaultPlan(parseFaultConfig({ routes: { 'a.b': { status429: 1, retryAfterSeconds: 9 } } }), 5);
    for (let i = 0; i < 50; i++) expect(plan.decide('a.b')).toEqual({ kind: 'status-429', latencyMs: 0, retryAfterSeconds: 9 });
    expect(plan.decide('a.c').kind).toBe('none');
  });
});
