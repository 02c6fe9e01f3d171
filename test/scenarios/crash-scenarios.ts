// The two flash-crash scenarios, shared by the tests (flash-crash-*.test.ts) and the benchmark
// (bench/suites/flash-crash.ts). Both run the same real minute path (the steepest day of the BTC-PERP
// file, −14.2% open to low) scaled to a real crash day's open and low (price-path.ts), the same population
// (crash-population.ts) and the same market-maker ladder; they differ in the day and the insurance fund:
//
//   2020-03-12  7,938.05 → 4,644 (−41.5%). A deep fund (1,000,000 USDT, at most 100,000 per event): the
//               fund pays what fills past bankruptcy cost; ADL only where the book's band runs dry.
//   2021-05-19  42,865.05 → 30,000 (−30.0%). A shallow fund (2,000 USDT, at most 500 per event): full
//               closes soon find their budget spent, and the remainders go to ADL.
//
// The ladder is thin at the touch (5,000 USDT on the first level, 10 levels 0.6% apart, level k quoting
// k times the first): about 275,000 USDT a side per maker, less than the larger positions, so cascades
// walk through bankruptcy prices and sometimes past the band.

import type { CrashScenario } from './crash-run.js';
import type { Ladder } from './market-maker.js';
import { DAY_MINUTES } from './price-path.js';

const CRASH_LADDER: Ladder = { levels: 10, firstBps: 5n, stepBps: 60n, baseNotionalUsdt: 5_000n };

export const MARCH_2020: CrashScenario = {
  name: '2020-03-12',
  date: '2020-03-12',
  insuranceTopUpUsdt: 1_000_000n,
  perEventCapUsdt: 1_000_000n,
  ladder: CRASH_LADDER,
  minutes: DAY_MINUTES,
  strideMinutes: 1,
};

export const MAY_2021: CrashScenario = {
  name: '2021-05-19',
  date: '2021-05-19',
  insuranceTopUpUsdt: 2_000n,
  perEventCapUsdt: 500n,
  ladder: CRASH_LADDER,
  minutes: DAY_MINUTES,
  strideMinutes: 1,
};

export const CRASH_SCENARIOS: readonly CrashScenario[] = [MARCH_2020, MAY_2021];
