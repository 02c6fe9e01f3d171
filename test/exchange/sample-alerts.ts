// Real alerts for the operator-side tests: a spoofing, a layering and a linked wash-trading episode
// through a market shard and the surveillance engine (test/risk/surveillance's setup).

import type { Alert } from '../../risk/surveillance/alert.js';
import { Side } from '../support/surveillance-driver.js';
import { BEST_ASK, market, MID, STEP } from '../risk/surveillance/episode-setup.js';

export function sampleAlerts(): Alert[] {
  const d = market();
  const spoof = d.place(100, Side.SELL, BEST_ASK + STEP, 200);
  d.wait(200_000);
  d.take(100, Side.BUY, BEST_ASK, 10);
  d.wait(400_000);
  d.cancel(100, spoof);
  d.wait(5_000_000);
  const stack = [1, 2, 3].map((k) => d.place(101, Side.SELL, BEST_ASK + k * STEP, 30));
  d.wait(300_000);
  d.take(101, Side.BUY, BEST_ASK + STEP, 10); // the spoofer above took the best ask level
  d.wait(200_000);
  for (const id of stack) d.cancel(101, id);
  d.link(110, 9);
  d.link(111, 9);
  d.place(110, Side.SELL, MID, 5);
  d.take(111, Side.BUY, MID, 5);
  d.idle(31_000_000);
  return d.alerts;
}
