// Shared setup of the detector tests: a BTC-PERP market (tick 0.1, lot 0.001) around 60,000.0 with a
// two-sided book of ten 10-lot levels a side, 50 ticks (about 0.8 bps) apart, quoted by two background
// makers, so the market's average order is 10 lots and the touch is 599,950 / 600,050.

import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import type { DetectorId } from '../../../risk/surveillance/alert.js';
import { Side, SurveillanceDriver, type DriverOptions } from '../../support/surveillance-driver.js';

export const MID = 600_000;
export const STEP = 50;
export const BEST_BID = MID - STEP;
export const BEST_ASK = MID + STEP;
const MAKER_A = 1;
const MAKER_B = 2;

export function market(o: DriverOptions = {}): SurveillanceDriver {
  const d = new SurveillanceDriver([DEFAULT_MARKETS[0]!], o);
  for (let k = 1; k <= 10; k++) {
    d.place(k % 2 === 0 ? MAKER_A : MAKER_B, Side.BUY, MID - k * STEP, 10);
    d.place(k % 2 === 0 ? MAKER_B : MAKER_A, Side.SELL, MID + k * STEP, 10);
    d.wait(1_000);
  }
  d.wait(1_000_000);
  return d;
}

export function alertsOf(d: SurveillanceDriver, detector: DetectorId) {
  return d.alerts.filter((a) => a.detector === detector);
}
