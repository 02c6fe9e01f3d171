// The demo's simulated index: a swing is seen by the bots (midOf, lastSwingOf) only once the tick that
// carries it to the exchange goes out. Seen a second early, the thin takers bought before the index rose
// and sold before it fell, and the swings meant to liquidate them paid them instead (no liquidation in
// the demo at all). Between its announcement and that tick the swing is pending on its market, and the
// makers, who pulled their quotes there, stay out (so the gap leaves no book at the old price).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { decodeRecord } from '../../../engine/ring/layouts/index.js';
import type { RecordBuffer } from '../../../engine/ring/record.js';
import { SimIndex } from '../../../gateway/demo/sim-index.js';

/** Collects the index ticks offered, as the exchange would take them. */
function exchange(): { sent: { marketId: number; indexPriceTicks: number }[]; offer(b: RecordBuffer, at: number): boolean; flush(): void } {
  const sent: { marketId: number; indexPriceTicks: number }[] = [];
  return {
    sent,
    offer(b, at) {
      const r = decodeRecord(b, at) as unknown as { marketId: number; indexPriceTicks: number };
      sent.push({ marketId: r.marketId, indexPriceTicks: Number(r.indexPriceTicks) });
      return true;
    },
    flush() {},
  };
}

test('a swing moves the mid and the trend the bots read only when its tick is sent, and that tick carries it', () => {
  const markets = DEFAULT_MARKETS.map((market) => ({ market, startTicks: market.marketId === 1 ? 600_000 : 300_000, rungTicks: 10 }));
  const sim = new SimIndex(markets, 7, 80);
  const x = exchange();
  sim.tick(x, 1_000_000);
  const before = sim.midOf(1);
  const w = sim.swing();
  assert.equal(w.market.marketId, 1);
  assert.equal(w.permille, 80);
  assert.equal(sim.midOf(1), before, 'not moved before its tick');
  assert.equal(sim.lastSwingOf(1), 0, 'no trend before its tick');
  assert.ok(sim.swingPending(1) && !sim.swingPending(2), 'announced on its market only: the makers stay out of it');

  x.sent.length = 0;
  sim.tick(x, 2_000_000);
  const sent = x.sent.find((s) => s.marketId === 1)!;
  const swung = Math.floor((before * 1080) / 1000);
  assert.ok(Math.abs(sent.indexPriceTicks - swung) <= 3 * 10, `the tick carries the swing: ${sent.indexPriceTicks} near ${swung}`);
  assert.equal(sim.midOf(1), sent.indexPriceTicks, 'the bots see what was sent');
  assert.equal(sim.swingPending(1), false, 'sent: the makers quote around the new index');
  assert.equal(sim.lastSwingOf(1), 1);
  assert.equal(sim.lastSwingOf(2), 0, 'the other market has not swung');

  // The return: down, again seen only with its tick.
  const back = sim.swing();
  assert.equal(back.permille, -80);
  assert.equal(sim.lastSwingOf(1), 1);
  sim.tick(x, 3_000_000);
  assert.equal(sim.lastSwingOf(1), -1);
  assert.ok(sim.midOf(1) < sent.indexPriceTicks);
});

test('after a restart the walk goes on from the index the shard recovered, not from the configured start', () => {
  const markets = DEFAULT_MARKETS.map((market) => ({ market, startTicks: market.marketId === 1 ? 600_000 : 300_000, rungTicks: 10 }));
  const sim = new SimIndex(markets, 7, 80);
  sim.resume(2, 327_040);
  sim.resume(1, 0); // no index yet (a market that never had one): the configured start
  sim.resume(9, 500_000); // a market the walk does not know: nothing
  const x = exchange();
  sim.tick(x, 1_000_000);
  const eth = x.sent.find((s) => s.marketId === 2)!.indexPriceTicks;
  const btc = x.sent.find((s) => s.marketId === 1)!.indexPriceTicks;
  // one step of the walk is at most 3 rungs either way
  assert.ok(Math.abs(eth - 327_040) <= 30, `ETH ${eth}`);
  assert.ok(Math.abs(btc - 600_000) <= 30, `BTC ${btc}`);
  assert.equal(sim.midOf(9), 0);
});
