// Snapshots restore exchanges that cannot be told apart from the original (docs/SNAPSHOTS.md): a seeded
// command stream runs through the in-process exchange; at random points, and where the liquidation
// pipeline or an ADL ranking is mid-way, every shard is encoded and decoded into a fresh exchange with the
// records then in flight; both get the rest of the stream and must publish the same gateway records and
// reach the same state hashes (snapshot-round-trip.ts checks, after every command and at the end).
// This file: both flash crashes of test/scenarios (liquidations, a fund that runs dry, ADL). Every run
// prints its seed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCrash } from '../scenarios/crash-run.js';
import { MARCH_2020, MAY_2021 } from '../scenarios/crash-scenarios.js';
import { rng, testSeed } from '../support/seed.js';
import { checkRoundTrip, pointsOf } from './snapshot-round-trip.js';


// Every tenth minute of 2020's first 320; every fifth of 2021's: with the budgeted liquidation sweep the
// book and the fund absorb 2021's early liquidations at a tenth-minute stride, and the stretch has no ADL.
for (const [scenario, strideMinutes] of [[MARCH_2020, 10], [MAY_2021, 5]] as const) {
  test(`exchanges restored in the ${scenario.name} flash crash, mid-liquidation and mid-ADL, publish what the original does`, () => {
    const seed = testSeed(`snapshot round trip, flash crash ${scenario.name}`);
    // The first 320 minutes of the scaled day: liquidations, a fund that runs dry (2021) and ADL.
    const crash = runCrash({ ...scenario, minutes: 320, strideMinutes }, { checkEveryMinutes: 1_000 });
    const sent = crash.harness.sent;
    const r = rng(seed);
    const stats = checkRoundTrip(crash.harness.options, sent, pointsOf(r, sent.length, 1), `flash crash ${scenario.name} (seed ${seed})`, { max: 2, spacing: r() % 4 }, 25);
    console.log(`# ${stats.snapshots} snapshots restored, ${stats.recordsCompared} gateway records compared; in progress: ${JSON.stringify(stats.coverage)}`);
    assert.ok(crash.report.adlFills > 0, 'the stretch had no ADL');
    for (const k of ['liquidationRuns', 'awaitedOrders', 'pendingDeleverages', 'fundReservations'] as const) assert.ok(stats.coverage[k] > 0, `no snapshot caught ${k} (seed ${seed})`);
  });
}
