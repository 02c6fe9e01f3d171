// Child process of the surveillance-throughput suite's memory case:
//   node --expose-gc memory-child.js <hours> <commandsPerSecond>
// Runs the simulated background flow for <hours> of simulated time at <commandsPerSecond>, with a
// manipulation episode (fresh accounts, every kind in turn) every 30 simulated seconds, through a market
// shard and the surveillance engine; after a full GC every simulated hour it notes heapUsed + external
// and what the engine holds. Prints one JSON line. Memory that stays flat while the accounts, orders and
// episodes keep coming is what "bounded" means here.

import { rng } from '../../../engine/sim/rng.js';
import { SurveillanceDriver } from '../../../test/support/surveillance-driver.js';
import { SimulatedBackground } from './background.js';
import { EpisodeContext, SIZES } from './episode-context.js';
import { EPISODE_BUILDERS } from './episodes.js';
import { Scheduler } from './scheduler.js';

const hours = Number(process.argv[2] ?? 24);
const rate = Number(process.argv[3] ?? 100);
const gcNow = (globalThis as { gc?: () => void }).gc;
if (!gcNow) throw new Error('run with --expose-gc');

const gapUs = Math.floor(1_000_000 / rate);
const bg = new SimulatedBackground(1, Number.MAX_SAFE_INTEGER);
let alerts = 0;
const d = new SurveillanceDriver([bg.market], { collect: false, onAlert: () => alerts++, firstOrderId: 1_000_000_000_000 });
const s = new Scheduler();
const c = new EpisodeContext(d, s, rng(1), bg.market.marketId, bg.accountCeiling);
const start = d.timeUs;
const samples: { hour: number; bytes: number; orders: number; detectorState: number; alerts: number }[] = [];
let nextEpisode = start + 60_000_000;
let nextTick = start;
let nextSample = start;
let kind = 0;
let commands = 0;
const t0 = process.hrtime.bigint();
while (d.timeUs < start + hours * 3_600_000_000) {
  if (d.timeUs >= nextEpisode) {
    const b = EPISODE_BUILDERS[kind++ % EPISODE_BUILDERS.length]!;
    b.build(c, SIZES[kind % SIZES.length]!, d.timeUs + 1);
    nextEpisode += 30_000_000;
  }
  const next = d.timeUs + gapUs;
  while (s.nextTime() <= next) {
    d.at(s.nextTime());
    s.pop()();
  }
  d.at(next);
  if (d.timeUs >= nextTick) {
    d.tick();
    nextTick = d.timeUs + 1_000_000;
  }
  if (d.timeUs >= nextSample) {
    gcNow();
    const m = process.memoryUsage();
    const fp = d.engine.footprint()[0];
    samples.push({ hour: Math.round((d.timeUs - start) / 3_600_000_000), bytes: m.heapUsed + m.external, orders: fp?.orders ?? 0, detectorState: Object.values(fp?.detectors ?? {}).reduce((a, b) => a + b, 0), alerts });
    nextSample += 3_600_000_000;
  }
  bg.next(d);
  commands++;
}
console.log(JSON.stringify({ hours, rate, commands, episodes: kind, alerts, wallMs: Number(process.hrtime.bigint() - t0) / 1e6, samples }));
