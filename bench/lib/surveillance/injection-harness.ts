// The injection harness: a background flow of honest orders through a real market shard, synthetic
// manipulation episodes of every kind and size injected at seeded random times, honest look-alikes beside
// them, all watched by the surveillance engine with its default settings. Afterwards every alert is
// matched against what was injected:
//
//   detected         an alert of the episode's target detector names one of the episode's accounts
//   executed         the episode came to pass in the book as designed (Episode.shortfall: the market
//                    may not let it, e.g. a spoof hit before its cancel); recall is reported over all
//                    injected episodes and over the executed ones, which is what a detector is judged on
//   false positive   an alert that names none of the manipulative accounts (background or look-alike)
//
// Same seed, same run: the background flows, the episode times and sizes and every step's choices come from
// seeded generators; the clock is the driver's.

import { rng } from '../../../engine/sim/rng.js';
import { DETECTOR_IDS, type Alert, type DetectorId } from '../../../risk/surveillance/alert.js';
import { SurveillanceDriver } from '../../../test/support/surveillance-driver.js';
import { BitfinexBackground, SimulatedBackground, type Background } from './background.js';
import { EpisodeContext, SIZES, type Size } from './episode-context.js';
import { EPISODE_BUILDERS, type Episode } from './episodes.js';
import { LOOK_ALIKE_BUILDERS } from './look-alikes.js';
import { Outcomes } from './outcomes.js';
import { Scheduler } from './scheduler.js';

export type FlowName = 'simulated' | 'bitfinex';

export interface HarnessOptions {
  readonly flow: FlowName;
  readonly seed: number;
  /** Episodes of each kind at each size. */
  readonly perSize: number;
  /** Look-alikes of each kind. */
  readonly lookAlikes: number;
  /** Simulated flow: background commands (about 1 ms apart). */
  readonly commands?: number;
  /** Keep every surveillance input record, so the run can be replayed into another engine (default false). */
  readonly record?: boolean;
}

export interface Detection {
  kind: string;
  target: DetectorId;
  size: Size;
  injected: number;
  detected: number;
  /** Episodes that came to pass as designed, and how many of those were detected. */
  executed: number;
  detectedExecuted: number;
  /** Why the others did not come to pass: reason → episodes. */
  shortfalls: Record<string, number>;
  /** Median time from the episode's start to the first alert that caught it (µs). */
  medianDelayUs: number;
}

export interface FalsePositives {
  detector: DetectorId;
  /** Alerts on the background flow's accounts and on the look-alikes' accounts. */
  background: number;
  lookAlike: number;
}

export interface HarnessResult {
  flow: FlowName;
  seed: number;
  durationUs: number;
  honestOrders: number;
  manipulativeOrders: number;
  alerts: number;
  detections: Detection[];
  falsePositives: FalsePositives[];
  /** Look-alike alerts by look-alike kind and detector, for the write-up. */
  lookAlikeAlerts: Record<string, number>;
  /** What was injected, what became of its orders, and every alert (for inspection; large). */
  episodes: Episode[];
  outcomes: Outcomes;
  /** The driver (its records, when the run recorded them). */
  driver: SurveillanceDriver;
  alertList: Alert[];
}

const START_US = 1_700_000_000_000_000;
const TICK_EVERY_US = 1_000_000;

export function runInjection(o: HarnessOptions): HarnessResult {
  const bg: Background = o.flow === 'simulated' ? new SimulatedBackground(o.seed, o.commands ?? 1_000_000) : new BitfinexBackground(o.seed);
  const expectedUs = o.flow === 'simulated' ? (o.commands ?? 1_000_000) * 1_000 : 100_048 * 10_000;
  const alerts: Alert[] = [];
  const outcomes = new Outcomes();
  const d = new SurveillanceDriver([bg.market], { firstOrderId: 1_000_000_000_000, collect: false, record: o.record ?? false, onAlert: (a) => alerts.push(a), onRecord: (buf, at) => outcomes.onRecord(buf, at) });
  d.at(START_US);
  const s = new Scheduler();
  const r = rng(o.seed);
  const c = new EpisodeContext(d, s, r, bg.market.marketId, bg.accountCeiling, outcomes);

  // Episodes start after a warm-up (a tenth of the run: the book fills, the average order settles) and
  // end before the flow does.
  const warmUs = Math.floor(expectedUs / 10);
  const planned: Episode[] = [];
  const startIn = (spanUs: number) => START_US + warmUs + c.between(0, Math.max(1, expectedUs - warmUs - spanUs - 5_000_000));
  for (const b of EPISODE_BUILDERS) for (const size of SIZES) for (let i = 0; i < o.perSize; i++) planned.push(b.build(c, size, startIn(b.spanUs)));
  for (const b of LOOK_ALIKE_BUILDERS) for (let i = 0; i < o.lookAlikes; i++) planned.push(b.build(c, SIZES[i % SIZES.length]!, startIn(b.spanUs)));

  let nextTickUs = START_US + TICK_EVERY_US;
  for (;;) {
    const nextUs = d.timeUs + bg.gapUs();
    while (s.nextTime() <= nextUs) {
      d.at(s.nextTime());
      s.pop()();
    }
    d.at(nextUs);
    if (d.timeUs >= nextTickUs) {
      d.tick();
      nextTickUs = d.timeUs + TICK_EVERY_US;
    }
    if (!bg.next(d)) break;
  }
  const endUs = d.timeUs;
  // Let every window close: the longest (circular wash trading) is ten minutes.
  for (let k = 0; k < 15 * 60; k++) d.idle(1_000_000);

  return { ...evaluate(o, planned, alerts, endUs - START_US, d.sent.places - c.manipulativeOrders, c.manipulativeOrders), outcomes, driver: d };
}

function evaluate(o: HarnessOptions, planned: Episode[], alerts: Alert[], durationUs: number, honestOrders: number, manipulativeOrders: number): Omit<HarnessResult, 'outcomes' | 'driver'> {
  const manipulators = new Set<number>();
  const lookAlikeKind = new Map<number, string>();
  for (const e of planned) for (const a of e.accounts) e.target ? manipulators.add(a) : lookAlikeKind.set(a, e.kind);

  const detections: Detection[] = [];
  for (const b of EPISODE_BUILDERS) {
    for (const size of SIZES) {
      const episodes = planned.filter((e) => e.kind === b.kind && e.size === size);
      const delays: number[] = [];
      let executed = 0;
      let detectedExecuted = 0;
      const shortfalls: Record<string, number> = {};
      for (const e of episodes) {
        const hit = alerts.find((a) => a.detector === e.target && a.accounts.some((x) => e.accounts.includes(x)));
        if (hit) delays.push(hit.toUs - e.startUs);
        const why = e.shortfall?.();
        if (why === undefined) {
          executed++;
          if (hit) detectedExecuted++;
        } else shortfalls[why] = (shortfalls[why] ?? 0) + 1;
      }
      delays.sort((x, y) => x - y);
      detections.push({ kind: b.kind, target: episodes[0]!.target!, size, injected: episodes.length, detected: delays.length, executed, detectedExecuted, shortfalls, medianDelayUs: delays[Math.floor(delays.length / 2)] ?? 0 });
    }
  }

  const falsePositives: FalsePositives[] = DETECTOR_IDS.map((detector) => ({ detector, background: 0, lookAlike: 0 }));
  const lookAlikeAlerts: Record<string, number> = {};
  for (const a of alerts) {
    if (a.accounts.some((x) => manipulators.has(x))) continue;
    const fp = falsePositives.find((f) => f.detector === a.detector)!;
    const kind = a.accounts.map((x) => lookAlikeKind.get(x)).find((k) => k !== undefined);
    if (kind === undefined) fp.background++;
    else {
      fp.lookAlike++;
      lookAlikeAlerts[`${kind} → ${a.detector}`] = (lookAlikeAlerts[`${kind} → ${a.detector}`] ?? 0) + 1;
    }
  }
  return { flow: o.flow, seed: o.seed, durationUs, honestOrders, manipulativeOrders, alerts: alerts.length, detections, falsePositives, lookAlikeAlerts, episodes: planned, alertList: alerts };
}
