// Whole-exchange property (issue 7, part 3): the liquidation pipeline always finishes. After any random
// stream (index jumps, so scopes enter the pipeline and wait on one another), a quiet period follows: the
// index stays where it is, both market makers quote every market again, and time passes (marks and
// funding keep coming). At its end no scope of any risk shard is still liquidating.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { LiquidationEngine } from '../../risk/shard/liquidation-engine.js';
import { testSeed } from '../support/seed.js';
import { ActionDriver } from './action-driver.js';
import { worldArb, type World } from './exchange-actions.js';

const RUNS = 120;
/** Quiet rounds: each re-quotes every market, ticks the index where it is and lets 5 s pass. */
const QUIET_ROUNDS = 12;
const liquidating = worldArb({ shards: true, jumpPercent: 45 }, 80, 200);

/** Runs the world, then the quiet period; returns the scopes still liquidating, as "shard r: scope key". */
function liquidatingAfterQuiet(world: World): string[] {
  const d = new ActionDriver(world.population);
  d.run(world);
  const markets = d.marketIds.length;
  for (let round = 0; round < QUIET_ROUNDS; round++) {
    for (let m = 0; m < markets; m++) {
      d.apply({ kind: 'quote', mm: 0, market: m, levels: 5, stepBps: 20, lots: 3_000 });
      d.apply({ kind: 'quote', mm: 1, market: m, levels: 5, stepBps: 20, lots: 3_000 });
      d.apply({ kind: 'index', market: m, moveBps: 0 });
    }
    d.apply({ kind: 'tick', seconds: 5 });
  }
  const left: string[] = [];
  d.h.exchange.riskShards.forEach((shard, r) => {
    for (const run of (shard.liquidation as LiquidationEngine).runs.values()) {
      left.push(`risk shard ${r}: account ${run.accountId} scope ${run.scopeMarketId} phase ${run.phase} liquidation ${run.liquidationId}`);
    }
  });
  return left;
}

test('after any stream and a quiet period with marks and quotes, no scope is still liquidating', () => {
  const seed = testSeed('no frozen accounts');
  fc.assert(
    fc.property(liquidating, (world) => {
      const left = liquidatingAfterQuiet(world);
      assert.deepEqual(left, [], `still liquidating after the quiet period (seed ${seed})`);
    }),
    { seed, numRuns: RUNS, includeErrorInReport: true },
  );
});
