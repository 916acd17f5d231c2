/**
 * Fault injection for both simulators: per route, seeded, so a failing schedule replays the same way. A request
 * gets at most one fault kind (one roll against the cumulative shares) plus optional latency.
 *
 * Route patterns: an exact route name (`dintero.claims.create`), a prefix with `*` (`dintero.*`), or `*`. The
 * most specific pattern that still has uses left wins (exact, then the longest prefix, then `*`).
 */
import { z } from 'zod';
import { seededRng, type Rng } from './rng';

const Share = z.number().min(0).max(1);

/** The kinds in the order the roll walks them; `none` is what is left over. */
export const FAULT_KINDS = [
  'reset-before',
  'hang',
  'status-429',
  'status-500',
  'status-502',
  'status-503',
  'reset-after',
  'hang-after',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const SHARE_FIELDS = {
  'reset-before': 'resetBefore',
  hang: 'hang',
  'status-429': 'status429',
  'status-500': 'status500',
  'status-502': 'status502',
  'status-503': 'status503',
  'reset-after': 'resetAfter',
  'hang-after': 'hangAfter',
} as const satisfies Record<FaultKind, string>;

export const FaultSpecSchema = z
  .strictObject({
    /** Added before the request is handled (and before any other fault). */
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    /** Extra latency drawn uniformly from 0..latencyJitterMs. */
    latencyJitterMs: z.number().int().min(0).max(600_000).optional(),
    /** Connection reset before the server applied anything. */
    resetBefore: Share.optional(),
    /** No answer, nothing applied, until the client gives up. */
    hang: Share.optional(),
    status429: Share.optional(),
    /** Seconds in the Retry-After header of a 429 (default 1). */
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
    status500: Share.optional(),
    status502: Share.optional(),
    status503: Share.optional(),
    /** The request is applied, then the connection is reset without an answer. */
    resetAfter: Share.optional(),
    /** The request is applied, then no answer until the client gives up. */
    hangAfter: Share.optional(),
    /** The spec applies to the next `times` matching requests only, then falls away. */
    times: z.number().int().min(1).optional(),
  })
  .refine((s) => FAULT_KINDS.reduce((total, kind) => total + (s[SHARE_FIELDS[kind]] ?? 0), 0) <= 1 + 1e-9, {
    message: 'the fault shares of one route add up to more than 1',
  });

export const FaultConfigSchema = z.strictObject({
  /** Seeds the fault roll; defaults to the sandbox seed. */
  seed: z.number().int().optional(),
  routes: z
    .record(z.string().regex(/^(\*|[a-z][a-z0-9_.-]*(\.\*)?)$/, 'a route name, a prefix ending in .*, or *'), FaultSpecSchema)
    .default({}),
});

export type FaultSpec = z.infer<typeof FaultSpecSchema>;
export type FaultConfig = z.input<typeof FaultConfigSchema>;
export type ParsedFaultConfig = z.output<typeof FaultConfigSchema>;

export type FaultDecision = { readonly kind: FaultKind | 'none'; readonly latencyMs: number; readonly retryAfterSeconds: number };

export class FaultConfigError extends Error {
  override readonly name = 'FaultConfigError';
}

/** Parses a `--faults FILE` document (already JSON-decoded); the message names every bad path. */
export function parseFaultConfig(input: unknown): ParsedFaultConfig {
  const result = FaultConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new FaultConfigError(`Invalid fault configuration: ${detail}`);
}

function specificity(pattern: string): number {
  if (pattern === '*') return 0;
  if (pattern.endsWith('.*')) return pattern.length;
  return Number.MAX_SAFE_INTEGER;
}

function patternMatches(pattern: string, route: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return route.startsWith(pattern.slice(0, -1));
  return pattern === route;
}

export class FaultPlan {
  private readonly rng: Rng;
  private readonly specs: readonly { pattern: string; spec: FaultSpec }[];
  private readonly usesLeft = new Map<string, number>();

  constructor(config: ParsedFaultConfig, defaultSeed: number) {
    this.rng = seededRng(config.seed ?? defaultSeed);
    this.specs = Object.entries(config.routes)
      .map(([pattern, spec]) => ({ pattern, spec }))
      .sort((a, b) => specificity(b.pattern) - specificity(a.pattern) || (a.pattern < b.pattern ? -1 : 1));
    for (const { pattern, spec } of this.specs) if (spec.times !== undefined) this.usesLeft.set(pattern, spec.times);
  }

  /** Picks the fault for one request to `route`, using up one of the spec's `times`. */
  decide(route: string): FaultDecision {
    const entry = this.specs.find(({ pattern }) => patternMatches(pattern, route) && (this.usesLeft.get(pattern) ?? 1) > 0);
    if (!entry) return { kind: 'none', latencyMs: 0, retryAfterSeconds: 1 };
    const { pattern, spec } = entry;
    const left = this.usesLeft.get(pattern);
    if (left !== undefined) this.usesLeft.set(pattern, left - 1);
    const jitter = spec.latencyJitterMs ? Math.floor(this.rng.next() * (spec.latencyJitterMs + 1)) : 0;
    const roll = this.rng.next();
    let edge = 0;
    let kind: FaultKind | 'none' = 'none';
    for (const k of FAULT_KINDS) {
      const share = spec[SHARE_FIELDS[k]] ?? 0;
      if (share <= 0) continue;
      edge += share;
      // A share of 1 must always fire, whatever the float sum of the shares before it.
      if (roll < edge || share >= 1) {
        kind = k;
        break;
      }
    }
    return { kind, latencyMs: (spec.latencyMs ?? 0) + jitter, retryAfterSeconds: spec.retryAfterSeconds ?? 1 };
  }
}
