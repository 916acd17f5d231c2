import type { z } from 'zod';

/**
 * A schema built the first time anything touches it. zod builds every schema when its module loads, and the
 * contract's few hundred cost a tenth of the agent's start-up (docs/performance.md, "Start-up") although none is
 * needed before the first call arrives. The stand-in forwards every operation to the real schema, so it can be
 * parsed, composed into other schemas and inferred from like the schema itself.
 */
export function lazySchema<T extends z.ZodType>(build: () => T): T {
  let built: T | undefined;
  const real = (): T => {
    if (built === undefined) {
      built = build();
      pending.delete(real);
    }
    return built;
  };
  pending.add(real);
  return new Proxy({} as T, {
    get: (_target, key) => Reflect.get(real(), key, real()),
    set: (_target, key, value) => Reflect.set(real(), key, value),
    has: (_target, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    // Reported configurable: the stand-in's own (empty) target must not be made to look as if it held them.
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}

const pending = new Set<() => unknown>();

/** Builds every schema not built yet: called once the agent is ready, so the first calls do not pay for them. */
export function buildLazySchemas(): void {
  for (const build of [...pending]) build();
}
