/**
 * A small seeded generator (mulberry32), so a fault schedule or a demo code replays the same way for the same
 * seed. Not for secrets: credentials and tokens come from node:crypto.
 */
export type Rng = { next(): number };

export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    },
  };
}
