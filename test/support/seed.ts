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

export { below, rng, type Rng } from '../../engine/sim/rng.js';
