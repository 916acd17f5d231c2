import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildLazySchemas, lazySchema } from '../../../main/core/lazy-schema';

describe('lazySchema', () => {
  it('builds the schema on first use only, and then behaves as the schema itself', () => {
    let builds = 0;
    const Item = lazySchema(() => {
      builds++;
      return z.object({ id: z.string().min(1), qty: z.number().int().positive() });
    });
    expect(builds).toBe(0);
    expect(Item.parse({ id: 'a', qty: 2 })).toEqual({ id: 'a', qty: 2 });
    expect(Item.safeParse({ id: '', qty: 0 }).success).toBe(false);
    expect(Item).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(Item.shape)).toEqual(['id', 'qty']);
    expect(builds).toBe(1);
  });

  it('composes into other schemas, lazy or not, with their errors and paths', () => {
    const Line = lazySchema(() => z.strictObject({ qty: z.number().int() }));
    const Basket = lazySchema(() => z.object({ lines: z.array(Line), note: Line.optional() }));
    const Outer = z.object({ basket: Basket });
    const result = Outer.safeParse({ basket: { lines: [{ qty: 1 }, { qty: 1.5 }] } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['basket', 'lines', 1, 'qty']);
    expect(Outer.parse({ basket: { lines: [], note: { qty: 3 } } })).toEqual({ basket: { lines: [], note: { qty: 3 } } });
    expect(Basket.extend({ extra: z.boolean() }).parse({ lines: [], extra: true })).toEqual({ lines: [], extra: true });
  });

  it('buildLazySchemas builds every schema not built yet, once', () => {
    let builds = 0;
    lazySchema(() => (builds++, z.string()));
    const Used = lazySchema(() => (builds++, z.number()));
    Used.parse(1);
    expect(builds).toBe(1);
    buildLazySchemas();
    expect(builds).toBe(2);
    buildLazySchemas();
    expect(builds).toBe(2);
  });
});
