// RollingTicker keeps the fold of its older minutes between tickers; whatever it keeps, every ticker
// must equal a plain fold of the trades whose minute is inside the 24 h window at that moment.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RollingTicker, type TickerStats } from '../../../gateway/market-data/ticker.js';
import { below, rng, testSeed } from '../../support/seed.js';

const MINUTE_US = 60_000_000;

interface Trade {
  timeUs: number;
  priceTicks: number;
  qtyLots: number;
}

/** The ticker by definition: every trade whose minute is among the 1,440 ending at nowUs's, folded in time order. */
function reference(trades: readonly Trade[], nowUs: number, lastTicks: number): TickerStats {
  const firstMinute = Math.floor(nowUs / MINUTE_US) - 1_440 + 1;
  const s: TickerStats = { windowStartUs: Math.max(0, firstMinute * MINUTE_US), openTicks: 0, highTicks: 0, lowTicks: 0, lastTicks, volumeLots: 0n, quoteVolume: 0n, tradeCount: 0 };
  for (const t of trades) {
    if (Math.floor(t.timeUs / MINUTE_US) < firstMinute) continue;
    if (s.tradeCount === 0) s.openTicks = s.highTicks = s.lowTicks = t.priceTicks;
    s.highTicks = Math.max(s.highTicks, t.priceTicks);
    s.lowTicks = Math.min(s.lowTicks, t.priceTicks);
    s.volumeLots += BigInt(t.qtyLots);
    s.quoteVolume += BigInt(t.qtyLots) * BigInt(t.priceTicks);
    s.tradeCount++;
  }
  return s;
}

test('every ticker equals a plain fold of the trades in its window, asked after any trade or time step', () => {
  const seed = testSeed('rolling-ticker');
  const r = rng(seed);
  const ticker = new RollingTicker();
  const trades: Trade[] = [];
  let nowUs = 0;
  for (let i = 0; i < 4_000; i++) {
    // Mostly trades within a minute, sometimes a jump of minutes or of most of a day (buckets leave the window).
    const step = below(r, 10) < 8 ? below(r, 5_000_000) : below(r, 10) < 8 ? below(r, 30) * MINUTE_US : below(r, 1_400) * MINUTE_US;
    nowUs += step;
    if (below(r, 5) === 0) ticker.advance(nowUs);
    else {
      const t = { timeUs: nowUs, priceTicks: 1_000 + below(r, 200), qtyLots: 1 + below(r, 50) };
      ticker.trade(t.timeUs, t.priceTicks, t.qtyLots);
      trades.push(t);
    }
    if (below(r, 3) === 0) assert.deepEqual(ticker.stats(), reference(trades, nowUs, trades.at(-1)?.priceTicks ?? 0), `seed ${seed}, step ${i}`);
  }
});
