// Whole-exchange property: random populations and command streams (exchange-actions.ts) through an
// InProcessExchange with one or two risk shards and market shards; after every command, open interest
// balances per market (I1), collateral is conserved to the atom (I2, including each shard's own checks:
// fund ≥ 0, flat positions without entry cost) and the command's funding payments are zero-sum (I3).
// Funding runs every simulated minute, so each stream crosses several funding times.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testSeed } from '../support/seed.js';
import { ActionDriver } from './action-driver.js';
import { worldArb } from './exchange-actions.js';
import { StateInvariants } from './invariant-observers.js';

const RUNS = 150;

test('after every command of a random stream open interest balances, collateral is conserved to the atom and funding is zero-sum', () => {
  const seed = testSeed('exchange money');
  let fundingTimes = 0;
  let fills = 0;
  fc.assert(
    fc.property(worldArb({ shards: true, jumpPercent: 20 }, 80, 200), (world) => {
      const d = new ActionDriver(world.population);
      d.observe(new StateInvariants({ money: true, funding: true, events: ['I3'] }));
      let paid = 0;
      d.observe({ before() {}, after: (x) => void (paid += x.h.log.fundingThisCommand.length) });
      d.run(world);
      fundingTimes += paid;
      fills += d.h.log.fills;
    }),
    { seed, numRuns: RUNS, includeErrorInReport: true },
  );
  // The streams did what the property is about: trades settled and funding times passed with positions open.
  assert.ok(fills > 0, `no fill in ${RUNS} streams (seed ${seed})`);
  assert.ok(fundingTimes > 0, `no funding paid in ${RUNS} streams (seed ${seed})`);
});
