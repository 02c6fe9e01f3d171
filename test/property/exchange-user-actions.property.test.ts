// Whole-exchange property: what users may and may not do, around every command of a random stream.
//   I7  a scope below initial margin ends no order or amendment of its owner with more maintenance margin
//   I9  a reduce-only order never grows or flips its position (fills checked one by one, and each shard's
//       own breach count)
//   I11 no withdrawal is applied while a scope of the risk shard below zero holds it back: any such scope
//       outside the liquidation pipeline, one inside it only for its possible ADL counterparties (the
//       shard owns its pool; with one risk shard, the default, that is every account)

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testSeed } from '../support/seed.js';
import { ActionDriver } from './action-driver.js';
import { worldArb } from './exchange-actions.js';
import { BelowInitial, NegativeEquity, StateInvariants } from './invariant-observers.js';

const RUNS = 150;
const worlds = worldArb({ shards: true, jumpPercent: 30 }, 80, 200);

test('below initial margin no accepted order or amendment raises the maintenance margin of its scope', () => {
  const seed = testSeed('exchange below initial margin');
  let checked = 0;
  fc.assert(
    fc.property(worlds, (world) => {
      const d = new ActionDriver(world.population);
      const below = new BelowInitial();
      d.observe(below);
      d.run(world);
      checked += below.checked;
    }),
    { seed, numRuns: RUNS, includeErrorInReport: true },
  );
  assert.ok(checked > 0, `no order came from a scope below initial margin (seed ${seed})`);
});

test('reduce-only orders never grow or flip a position', () => {
  const seed = testSeed('exchange reduce-only');
  fc.assert(
    fc.property(worlds, (world) => {
      const d = new ActionDriver(world.population);
      d.observe(new StateInvariants({ events: ['I9'] }));
      d.run(world);
      for (const shard of d.h.exchange.riskShards) assert.equal(shard.parts.reduceOnlyBreaches, 0);
    }),
    { seed, numRuns: RUNS, includeErrorInReport: true },
  );
});

test('no withdrawal is applied while a scope of the pool below zero holds it back', () => {
  const seed = testSeed('exchange withdrawals');
  let blocked = 0;
  // A withdrawal that meets a scope below zero is rare since the full close spends the fund's budget on the
  // book (budgeted sweeps): about one seed in 40 gave none in 2 × RUNS worlds, which made the check below
  // fail a run now and then. So the worlds come in rounds (seed, seed + 1, ...), every one checked, until
  // one has met such a scope; a round is 2 × RUNS worlds and a stream with none in eight rounds is a finding.
  for (let round = 0; round < 8 && blocked === 0; round++) {
    fc.assert(
      fc.property(worlds, (world) => {
        const d = new ActionDriver(world.population);
        const negative = new NegativeEquity();
        d.observe(negative);
        d.run(world);
        blocked += negative.blocked;
      }),
      { seed: seed + round, numRuns: 2 * RUNS, includeErrorInReport: true },
    );
  }
  assert.ok(blocked > 0, `no withdrawal was tried while a scope had negative equity in eight rounds (seed ${seed})`);
});
