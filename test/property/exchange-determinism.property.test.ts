// Whole-exchange property (I8, I10): the exchange is a deterministic function of its command stream.
// The commands one random world produced are replayed on a fresh exchange; after every command both
// have the same state hash in every shard and have published the same records (a running hash of every
// record's bytes), and liquidations, ADL ranking and funding come out the same.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { testSeed } from '../support/seed.js';
import { ActionDriver } from './action-driver.js';
import { worldArb } from './exchange-actions.js';
import { ExchangeHarness } from './exchange-harness.js';

const RUNS = 80;

test('the same command stream on a fresh exchange gives the same state hashes and events after every command', () => {
  const seed = testSeed('exchange determinism');
  let liquidations = 0;
  fc.assert(
    fc.property(worldArb({ shards: true, jumpPercent: 40 }, 80, 200), (world) => {
      const d = new ActionDriver(world.population);
      const hashes: bigint[][] = [];
      const events: number[][] = [];
      d.observe({ before() {}, after: (x) => void (hashes.push(x.h.stateHash()), events.push([x.h.log.eventCount, x.h.log.hashLow, x.h.log.hashHigh])) });
      d.run(world);
      liquidations += d.h.log.traceOrder.length;
      const replay = new ExchangeHarness(d.h.config);
      d.h.sent.forEach((cmd, i) => {
        replay.replay(cmd);
        assert.deepEqual(replay.stateHash(), hashes[i], `state hashes differ after command ${i}`);
        assert.deepEqual([replay.log.eventCount, replay.log.hashLow, replay.log.hashHigh], events[i], `events differ after command ${i}`);
      });
    }),
    { seed, numRuns: RUNS, includeErrorInReport: true },
  );
  assert.ok(liquidations > 0, `no liquidation to reproduce (seed ${seed})`);
});
