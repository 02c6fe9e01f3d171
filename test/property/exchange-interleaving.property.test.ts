// Whole-exchange property (issue 7, part 4): with one risk shard and two market shards, the outcome of a
// command does not depend on which thread ran first. The same world runs twice: streams delivered in the
// in-process exchange's fixed order, and one record at a time from streams picked at random (as worker
// threads interleave them). Every shard must end with the same state hash. What races within one
// command here: a timer tick's funding records from both market shards (and the tick itself on the risk
// shard's gateway input), and the answers of both markets to a cross liquidation's cancels. Before the
// funding round (risk/shard/funding-settlement.ts), about one world in seven diverged.
//
// Two risk shards are left out on purpose: their liquidation orders can meet in one book within one
// command, and which takes the liquidity first is the order the market shard received them in, as on any
// venue; the journal records that order (docs/RISK.md, "Order independence").

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { below, rng, testSeed } from '../support/seed.js';
import { ActionDriver } from './action-driver.js';
import { worldArb } from './exchange-actions.js';

const RUNS = 150;
const worlds = worldArb({ shards: false, jumpPercent: 45 }, 80, 200).map((w) => ({ ...w, population: { ...w.population, markets: 2 as const, marketShards: 2 as const, riskShards: 1 as const } }));

test('with one risk shard and two market shards, records interleaved at random end every shard in the same state', () => {
  const seed = testSeed('interleaving');
  fc.assert(
    fc.property(worlds, fc.nat(), (world, pickSeed) => {
      const fixed = new ActionDriver(world.population);
      fixed.run(world);
      const r = rng(pickSeed);
      const shuffled = new ActionDriver(world.population, {}, (ready) => below(r, ready));
      shuffled.run(world);
      assert.deepEqual(shuffled.h.stateHash(), fixed.h.stateHash(), `interleaving ${pickSeed} (seed ${seed})`);
    }),
    { seed, numRuns: RUNS, includeErrorInReport: true },
  );
});
