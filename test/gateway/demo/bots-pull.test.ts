// The demo's makers pull their quotes before a swing (DemoBots.pull, called when the swing is announced)
// and stay out of that market until the index tick carrying it is sent, then quote around the new index.
// Without that, the gap left their ladder at the old price, the liquidations it caused closed into it
// above bankruptcy, and ADL was rare (the first about 100 s into the demo): this is what makes the
// demo's ADL happen at the first swing. A thin taker whose liquidation took everything is funded again at
// the next swing, once, so the later swings liquidate it again. Real bots and a real exchange behind a
// real gateway.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { nowUs } from '../../../gateway/clock.js';
import { DemoBots } from '../../../gateway/demo/bots.js';
import { SimIndex } from '../../../gateway/demo/sim-index.js';
import { MID, startHarness, until, type Harness } from '../support/harness.js';

const BTC = DEFAULT_MARKETS[0]!;

/** The makers' open orders in BTC-PERP as the gateway's views hold them (the accounts the test made). */
function quotes(h: Harness): { price: number }[] {
  const out: { price: number }[] = [];
  for (let a = 0; a < 32; a++) for (const o of h.gateway.views.get(a)?.open.values() ?? []) if (o.market === BTC.marketId) out.push(o);
  return out;
}

test('makers cancel their quotes in a market when its swing is announced, stay out until it is sent, then quote the new index', async () => {
  const h = await startHarness();
  const sim = new SimIndex([{ market: BTC, startTicks: MID, rungTicks: 5 }], 1, 90);
  const bots = await DemoBots.start({ url: h.url, gateway: h.gateway, index: sim, seed: 3, makers: 2, takers: 0 });
  const settled = () => until(() => bots.tally.answered === bots.tally.sent, 'every request answered');
  try {
    await h.mark(MID);
    bots.act(30);
    await settled();
    await until(() => quotes(h).length > 0, 'quotes rest');
    assert.deepEqual([...bots.tally.refused], [], 'quotes accepted');

    sim.swing();
    bots.pull(BTC.marketId);
    await settled();
    await until(() => quotes(h).length === 0, 'the ladders are cancelled');
    const sent = bots.tally.sent;
    bots.act(30);
    assert.equal(bots.tally.sent, sent, 'no quote in a market whose swing is pending');

    sim.tick(h.exchange, nowUs());
    await h.mark(sim.midOf(BTC.marketId));
    bots.act(30);
    await settled();
    await until(() => quotes(h).length > 0, 'quotes again after the tick');
    const low = Math.floor((MID * 1_080) / 1_000);
    assert.ok(quotes(h).every((q) => q.price > low), `every quote around the swung index (${sim.midOf(BTC.marketId)}), none at the old one`);
    assert.deepEqual([...bots.tally.refused], [], 'nothing refused: the pull cancelled only what the makers had');
  } finally {
    await bots.stop();
    await h.stop();
  }
});

test('a thin taker chases a swing, the return liquidates it into an empty book, and the next swing funds it again, once', async () => {
  const h = await startHarness();
  const sim = new SimIndex([{ market: BTC, startTicks: MID, rungTicks: 5 }], 1, 90);
  const bots = await DemoBots.start({ url: h.url, gateway: h.gateway, index: sim, seed: 5, makers: 2, takers: 1 });
  const thin = bots.guest.accountId - 1; // the one taker, made after the makers and before the guest
  const view = () => h.gateway.views.get(thin);
  const position = () => view()?.positions.get(BTC.marketId);
  const swing = async () => {
    sim.swing();
    bots.pull(BTC.marketId);
    sim.tick(h.exchange, nowUs());
    await h.mark(sim.midOf(BTC.marketId));
  };
  try {
    await h.mark(MID);
    await swing(); // up: the thin taker buys
    for (let i = 0; i < 50 && !(position() && position()!.qty > 0n); i++) {
      bots.act(60);
      await until(() => bots.tally.answered === bots.tally.sent, 'answered');
    }
    assert.ok(position() && position()!.qty > 0n, 'the thin taker went long after the up swing');
    await swing(); // back: liquidated, with no book to close into
    await until(() => !(position() && position()!.qty !== 0n), 'liquidated');
    await new Promise((r) => setTimeout(r, 300)); // its settlement and the user stream's COMPLETED
    const left = view()!.balance!.wallet;
    assert.ok(left < 300n * 1_000_000n, `the liquidation took its margin: ${left} atoms left`);
    for (let i = 0; i < 500 && view()!.balance!.wallet === left; i++) {
      bots.pull(BTC.marketId); // as at each announced swing
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(view()!.balance!.wallet, left + 300n * 1_000_000n, 'funded again with its 300 USDT');
    bots.pull(BTC.marketId);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(view()!.balance!.wallet, left + 300n * 1_000_000n, 'once');
  } finally {
    await bots.stop();
    await h.stop();
  }
});
