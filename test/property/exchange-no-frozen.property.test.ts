// Whole-exchange property (issue 7, part 3): the liquidation pipeline always finishes. After any random
// stream (index jumps, so scopes enter the pipeline and wait on one another), a quiet period follows: the
// index stays where it is, liquidity comes back (the market makers first take whatever rests on the wrong
// side of the mark, a stale ask below it or bid above it, which would refuse their post-only quotes, then
// quote both sides), and time passes (marks and funding keep coming). At its end no scope of any risk
// shard is still liquidating.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testSeed } from '../support/seed.js';
import { liquidatingAfterQuiet } from './quiet-period.js';
import { worldArb } from './exchange-actions.js';

const RUNS = 120;
const liquidating = worldArb({ shards: true, jumpPercent: 45 }, 80, 200);

test('after any stream and a quiet period with marks and quotes, no scope is still liquidating', () => {
  const seed = testSeed('no frozen accounts');
  fc.assert(
    fc.property(liquidating, (world) => {
      const left = liquidatingAfterQuiet(world);
      assert.deepEqual(left, [], `still liquidating after the quiet period (seed ${seed})`);
    }),
    { seed, numRuns: RUNS, includeErrorInReport: true, endOnFailure: true },
  );
});
