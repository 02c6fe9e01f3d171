// Snapshots restore exchanges that cannot be told apart from the original (docs/SNAPSHOTS.md): a seeded
// command stream runs through the in-process exchange; at random points, and where the liquidation
// pipeline or an ADL ranking is mid-way, every shard is encoded and decoded into a fresh exchange with the
// records then in flight; both get the rest of the stream and must publish the same gateway records and
// reach the same state hashes (snapshot-round-trip.ts checks, after every command and at the end).
// This file: the whole-exchange property worlds (test/property/action-driver.ts). Every run prints its seed.
//
// The property is only as good as the states it restored, so it requires the pipeline's moving parts
// among them. Random worlds trade little, and some kinds (an ADL ranking job spanning records needs two
// positions in one market of one risk shard, a short ranking budget and a mark after the trade) are rare
// in them: a seed whose worlds never hold one would fail for want of a state, not of a round trip. So
// when the random worlds leave a kind uncovered, further worlds drawn from the same seed are run once
// each, the commands after which an uncovered kind is in progress are noted, and those worlds are
// round-tripped with snapshots exactly there.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { RiskPoolConfig } from '../../risk/shard/config.js';
import { ActionDriver } from '../property/action-driver.js';
import { worldArb, type World } from '../property/exchange-actions.js';
import { rng, testSeed } from '../support/seed.js';
import { addCoverage, checkRoundTrip, emptyCoverage, inProgress, pointsOf, type Coverage, type SnapPoint } from './snapshot-round-trip.js';

const WORLDS = process.env.CI === 'true' ? 8 : 12;
/** At most this many further worlds are searched for kinds the random ones did not catch. */
const SEARCH_WORLDS = 60;
/** The kinds of work in progress some restored snapshot must have caught. */
const REQUIRED = ['inFlightRecords', 'liquidationRuns', 'awaitedOrders', 'rankingJobs', 'queuedScopes', 'restingOrders'] as const;
/** Short monitor and ranking budgets: work carried between records is then often in a snapshot. */
const SHORT_BUDGETS: readonly Partial<RiskPoolConfig>[] = [{ adlRankingKeysPerRecord: 1, maxChecksPerUpdate: 1 }, { adlRankingKeysPerRecord: 2, maxChecksPerUpdate: 3 }];
const WORLD_ARB = worldArb({ shards: true, jumpPercent: 50 }, 60, 160);

function uncovered(coverage: Coverage): (typeof REQUIRED)[number][] {
  return REQUIRED.filter((k) => coverage[k] === 0);
}

/**
 * Runs the world once and returns the snapshot points (at most `max`, spread over the run) where one of
 * `kinds` is in progress: just after a command was carried, which is the next command just submitted.
 */
function pointsWhere(world: World, pool: Partial<RiskPoolConfig>, kinds: readonly (keyof Coverage)[], max: number): { d: ActionDriver; points: SnapPoint[] } {
  const d = new ActionDriver(world.population, pool);
  const found: SnapPoint[] = [];
  d.observe({
    before: () => {},
    after: (driver) => {
      const now = inProgress(driver.h.exchange, 0, false);
      if (kinds.some((k) => now[k] > 0)) found.push({ command: driver.h.sent.length, deliveredBefore: 0 });
    },
  });
  d.run(world);
  const inRange = found.filter((p) => p.command < d.h.sent.length);
  const step = Math.max(1, Math.ceil(inRange.length / max));
  return { d, points: inRange.filter((_, i) => i % step === 0) };
}

/** The random worlds' property: each world with its pool, round-tripped at random points and where work is mid-way. */
function worldProperty(seed: number, add: (stats: ReturnType<typeof checkRoundTrip>) => void) {
  return fc.property(WORLD_ARB, fc.constantFrom({}, ...SHORT_BUDGETS), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (world, pool, pointSeed) => {
    const d = new ActionDriver(world.population, pool);
    d.run(world);
    const r = rng(pointSeed);
    add(checkRoundTrip(d.h.options, d.h.sent, pointsOf(r, d.h.sent.length, 2), `world (seed ${seed})`, { max: 3, spacing: r() % 4 }));
  });
}

// Found by the seed batch: SEED=883403162, world 9 (one risk shard, ranking budget 1 key per record),
// restored at command 48: after command 152 the restored risk shard still had a ranking job under way that
// the original finished (its rankings rebuilt 5 times, the original's 6), so the state hashes differed.
// Not the codec: the original was pumped record by record through command 152 (snapshots where the job
// was mid-way) and each short pump began its round again at the first link, so its risk shard consumed
// that command's market records in another order than the restored one (one pump()), started the job two
// records earlier and ended it inside the command. pump() now resumes where a short pump stopped, and a
// restore takes that place (pumpAt); test/exchange/pump-order.property.test.ts pins the delivery order.
test('a world restored before a ranking job starts finishes that job when the original does (SEED=883403162, world 9)', () => {
  fc.assert(worldProperty(883403162, () => {}), { seed: 883403162, path: '9', endOnFailure: true, includeErrorInReport: true });
});

test('exchanges restored at random points of random worlds publish what the original does, record for record', () => {
  const seed = testSeed('snapshot round trip, random worlds');
  const coverage = emptyCoverage();
  let snapshots = 0;
  let compared = 0;
  const add = (stats: ReturnType<typeof checkRoundTrip>) => {
    snapshots += stats.snapshots;
    compared += stats.recordsCompared;
    addCoverage(coverage, stats.coverage);
  };
  fc.assert(worldProperty(seed, add), { seed, numRuns: WORLDS, includeErrorInReport: true });
  const random = uncovered(coverage);

  // Kinds the random worlds missed: further worlds of the same seed (a stream of its own), each run once
  // to find where a missing kind is in progress, then round-tripped with snapshots there.
  let searched = 0;
  if (random.length > 0) {
    const more = fc.sample(fc.tuple(WORLD_ARB, fc.integer({ min: 0, max: 2 ** 31 - 1 })), { seed: seed ^ 0x5eed, numRuns: SEARCH_WORLDS });
    for (const [world, pointSeed] of more) {
      const missing = uncovered(coverage);
      if (missing.length === 0) break;
      const pool = SHORT_BUDGETS[searched++ % SHORT_BUDGETS.length]!;
      const { d, points } = pointsWhere(world, pool, missing, 3);
      if (points.length === 0) continue;
      add(checkRoundTrip(d.h.options, d.h.sent, points, `searched world ${searched} (seed ${seed})`, { max: 1, spacing: rng(pointSeed)() % 4 }));
    }
  }
  console.log(
    `# ${snapshots} snapshots restored, ${compared} gateway records compared; snapshots that caught in progress: ${JSON.stringify(coverage)}` +
      (random.length > 0 ? `; the random worlds missed ${random.join(', ')}: ${searched} further worlds searched` : ''),
  );
  for (const k of REQUIRED) assert.ok(coverage[k] > 0, `no snapshot caught ${k} (seed ${seed}, ${searched} further worlds searched)`);
});
