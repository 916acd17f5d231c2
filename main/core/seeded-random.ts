/**
 * A small seeded generator (mulberry32): the same sequence on every machine for the same seed, so backoff
 * jitter in tests, fault schedules and generated fixtures replay exactly. Pure; not for secrets (credentials
 * and tokens come from node:crypto).
 */
export type RandomSource = () => number;

export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
