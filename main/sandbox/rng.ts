import { seededRandom } from '../core/seeded-random';

/**
 * The sandbox's seeded generator, so a fault schedule or a demo code replays the same way for the same seed.
 * Not for secrets: credentials and tokens come from node:crypto.
 */
export type Rng = { next(): number };

export function seededRng(seed: number): Rng {
  return { next: seededRandom(seed) };
}
