// The surveillance engine is a deterministic state machine: replaying the records it consumed, in the
// same order, through a fresh engine raises the same alerts (ids, evidence, seq ranges) and ends with the
// same state hash. The input is a seeded run of the injection harness's background flow with episodes.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rng } from '../../../engine/sim/rng.js';
import { SimulatedBackground } from '../../../bench/lib/surveillance/background.js';
import { EpisodeContext, SIZES } from '../../../bench/lib/surveillance/episode-context.js';
import { EPISODE_BUILDERS } from '../../../bench/lib/surveillance/episodes.js';
import { Scheduler } from '../../../bench/lib/surveillance/scheduler.js';
import type { Alert } from '../../../risk/surveillance/alert.js';
import { SurveillanceEngine } from '../../../risk/surveillance/surveillance-engine.js';
import { testSeed } from '../../support/seed.js';
import { SurveillanceDriver } from '../../support/surveillance-driver.js';

function run(seed: number): SurveillanceDriver {
  const bg = new SimulatedBackground(seed, 60_000);
  const d = new SurveillanceDriver([bg.market], { record: true, firstOrderId: 1_000_000_000 });
  const s = new Scheduler();
  const c = new EpisodeContext(d, s, rng(seed), bg.market.marketId, bg.accountCeiling);
  for (const b of EPISODE_BUILDERS) c.later(d.timeUs, 0, () => b.build(c, c.pick(SIZES), d.timeUs + c.between(5_000_000, 40_000_000)));
  let nextTick = d.timeUs;
  for (;;) {
    const next = d.timeUs + bg.gapUs();
    while (s.nextTime() <= next) {
      d.at(s.nextTime());
      s.pop()();
    }
    d.at(next);
    if (d.timeUs >= nextTick) {
      d.tick();
      nextTick = d.timeUs + 1_000_000;
    }
    if (!bg.next(d)) break;
  }
  for (let k = 0; k < 700; k++) d.idle(1_000_000);
  return d;
}

test('replaying the recorded input through a fresh engine raises the same alerts and reaches the same state hash', () => {
  const seed = testSeed('surveillance replay');
  const d = run(seed);
  assert.ok(d.alerts.length >= 5, `the run raises alerts (${d.alerts.length})`);
  const replayed: Alert[] = [];
  const fresh = new SurveillanceEngine((a) => replayed.push(a));
  d.replayInto(fresh);
  assert.deepEqual(replayed, d.alerts);
  assert.equal(fresh.stateHash(), d.engine.stateHash());
});

test('an alert\'s seq range lies inside the stream the engine consumed', () => {
  const seed = testSeed('surveillance seq ranges');
  const d = run(seed);
  for (const a of d.alerts) {
    assert.ok(a.fromSeq >= 1 && a.fromSeq <= a.toSeq, `${a.id}: ${a.fromSeq}..${a.toSeq}`);
    assert.ok(a.toSeq <= d.engine.lastSeq(1), a.id);
    for (const t of a.trades) assert.ok(t.seq >= a.fromSeq && t.seq <= a.toSeq, `${a.id}: trade ${t.seq}`);
  }
});

test('a record delivered twice is skipped, so a replay over a live engine changes nothing', () => {
  const seed = testSeed('surveillance duplicates');
  const d = run(seed);
  const before = d.engine.stateHash();
  const alerts = d.alerts.length;
  d.replayInto(d.engine);
  assert.equal(d.engine.stateHash(), before);
  assert.equal(d.alerts.length, alerts);
  assert.ok(d.engine.duplicates > 0);
});
