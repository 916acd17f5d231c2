/** Time and ids come into the pure core through these ports, so the core never reads the clock itself. */
export type Clock = { now(): Date };
export type IdSource = { next(): string };

export function fixedClock(iso: string): Clock {
  const at = new Date(iso);
  return { now: () => new Date(at) };
}
