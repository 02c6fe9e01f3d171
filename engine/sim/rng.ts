// A small seeded generator (mulberry32) for load generators and simulations: integers only, reproducible
// from the seed. Never used by a state machine.

export type Rng = () => number;

/** Uniform uint32 stream from a seed. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Uniform integer in [0, n), n ≤ 2^32. */
export function below(r: Rng, n: number): number {
  return r() % n;
}
