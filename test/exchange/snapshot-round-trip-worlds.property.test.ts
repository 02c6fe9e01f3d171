// Snapshots restore exchanges that cannot be told apart from the original (docs/SNAPSHOTS.md): a seeded
// command stream runs through the in-process exchange; at random points, and where the liquidation
// pipeline or an ADL ranking is mid-way, every shard is encoded and decoded into a fresh exchange with the
// records then in flight; both get the rest of the stream and must publish the same gateway records and
// reach the same state hashes (snapshot-round-trip.ts checks, after every command and at the end).
// This file: the whole-exchange property worlds (test/property/action-driver.ts). Every run prints its seed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ActionDriver } from '../property/action-driver.js';
import { worldArb } from '../property/exchange-actions.js';
import { rng, testSeed } from '../support/seed.js';
import { addCoverage, checkRoundTrip, emptyCoverage, pointsOf } from './snapshot-round-trip.js';

const WORLDS = process.env.CI === 'true' ? 8 : 12;

test('exchanges restored at random points of random worlds publish what the original does, record for record', () => {
  const seed = testSeed('snapshot round trip, random worlds');
  const coverage = emptyCoverage();
  let snapshots = 0;
  let compared = 0;
  // Short monitor and ranking budgets in some worlds: work carried between records is then often in a snapshot.
  const pools = fc.constantFrom({}, { adlRankingKeysPerRecord: 1, maxChecksPerUpdate: 1 }, { adlRankingKeysPerRecord: 2, maxChecksPerUpdate: 3 });
  fc.assert(
    fc.property(worldArb({ shards: true, jumpPercent: 50 }, 60, 160), pools, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (world, pool, pointSeed) => {
      const d = new ActionDriver(world.population, pool);
      d.run(world);
      const r = rng(pointSeed);
      const stats = checkRoundTrip(d.h.options, d.h.sent, pointsOf(r, d.h.sent.length, 2), `world (seed ${seed})`, { max: 3, spacing: r() % 4 });
      snapshots += stats.snapshots;
      compared += stats.recordsCompared;
      addCoverage(coverage, stats.coverage);
    }),
    { seed, numRuns: WORLDS, includeErrorInReport: true },
  );
  console.log(`# ${snapshots} snapshots restored, ${compared} gateway records compared; snapshots that caught in progress: ${JSON.stringify(coverage)}`);
  // The property is only as good as the states it restored: require the pipeline's moving parts among them.
  for (const k of ['inFlightRecords', 'liquidationRuns', 'awaitedOrders', 'rankingJobs', 'queuedScopes', 'restingOrders'] as const) assert.ok(coverage[k] > 0, `no snapshot caught ${k} (seed ${seed})`);
});
