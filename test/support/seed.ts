// Seeds for random tests. Every random test takes its seed from here and prints it, so any failure
// replays exactly:   SEED=<n> npm test -- <file filter>
// Without SEED each run draws a fresh seed, so CI explores new cases over time.

import { randomInt } from 'node:crypto';

export function testSeed(name: string): number {
  const fromEnv = process.env.SEED;
  const seed = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : randomInt(0, 2 ** 31 - 1);
  if (!Number.isSafeInteger(seed)) throw new Error(`SEED must be an integer, got ${fromEnv}`);
  console.log(`# seed ${name}: ${seed}   (replay: SEED=${seed} npm test)`);
  return seed;
}

/** A small deterministic generator (mulberry32) for tests and load generators that need plain numbers. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
