// The demo's bots are honest traders, and surveillance must say nothing about them: a newcomer watching
// `npm start -- --demo --surveillance` should see no alert. The bots used to raise layering (a maker
// whose random-sided ladder was swept on one side, then pulled before a swing: a stack cancelled right
// after a trade on the other side), momentum ignition (a taker flipping a coin per order, sweeping a thin
// book one way and trading back within the second) and, after a stall of the process, quote stuffing (the
// pacing caught up by sending a maker's two seconds of cancels and requotes at once). Real bots, a real
// exchange with its surveillance worker, behind a real gateway; the demo's pacing (DemoPacer) and its
// swings (the makers pull before each), compressed to a swing every three seconds. Before the fix this
// raised quote stuffing and fast cancels within seconds, and layering (ten alerts) over the 30 s.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { nowUs } from '../../../gateway/clock.js';
import { DemoBots } from '../../../gateway/demo/bots.js';
import { DemoPacer } from '../../../gateway/demo/pacer.js';
import { demoFunds } from '../../../gateway/demo/demo-setup.js';
import { SimIndex } from '../../../gateway/demo/sim-index.js';
import type { Alert } from '../../../risk/surveillance/alert.js';
import { MID, startHarness, until } from '../support/harness.js';

const BTC = DEFAULT_MARKETS[0]!;
const RATE = 2_000;
const SECONDS = 30;
const SWING_EVERY_S = 3;
/** A stall of the process this far in (ms), this long: what a GC pause or a loaded machine does. */
const STALL_AT_MS = 8_000;
const STALL_MS = 1_500;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the demo bots raise no surveillance alert: makers quote two-sided ladders, takers never turn round at once, stalls are not caught up in bursts', async () => {
  const alerts: Alert[] = [];
  const h = await startHarness({ surveillance: { onAlert: (a) => alerts.push(a) } });
  const seed = 11;
  console.log(`demo bots seed ${seed}`);
  const sim = new SimIndex([{ market: BTC, startTicks: MID, rungTicks: 5 }], seed, 90);
  // ETH's sizes on the harness's one market (BTC-PERP): the larger of the demo's two.
  const sizes = [...demoFunds.maxLots.values()].reduce((a, b) => (b.quote > a.quote ? b : a));
  const bots = await DemoBots.start({ url: h.url, gateway: h.gateway, index: sim, seed, maxLots: new Map([[BTC.marketId, sizes]]) });
  try {
    await h.mark(MID);
    const pacer = new DemoPacer(RATE);
    const started = performance.now();
    let lastTick = started;
    let lastSwing = started;
    let stalled = false;
    for (let now = started; now - started < SECONDS * 1_000; now = performance.now()) {
      bots.act(pacer.due(now - started));
      if (now - lastTick >= 1_000) {
        lastTick = now;
        sim.tick(h.exchange, nowUs());
      }
      if (now - lastSwing >= SWING_EVERY_S * 1_000) {
        lastSwing = now;
        sim.swing();
        bots.pull(BTC.marketId);
      }
      if (!stalled && now - started >= STALL_AT_MS) {
        stalled = true;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, STALL_MS);
      }
      await sleep(2);
    }
    await until(() => bots.tally.answered === bots.tally.sent, 'every request answered');
    await until(() => h.exchange.drained(), 'surveillance has read everything');
    await sleep(200); // its alerts come by postMessage
    assert.ok(bots.tally.makerFills > 1_000, `the bots traded (${bots.tally.makerFills} maker fills)`);
    assert.deepEqual(
      alerts.map((a) => `${a.detector}: account ${a.accounts.join(',')}: ${a.summary}`),
      [],
      'no alert about honest bots',
    );
  } finally {
    await bots.stop();
    await h.stop();
  }
});

test('the demo pacing drops what a stall left unsent instead of sending it in a burst', () => {
  const p = new DemoPacer(2_000);
  assert.equal(p.due(0), 0);
  assert.equal(p.due(10), 20, 'on time: the rate');
  assert.equal(p.due(10), 0, 'nothing twice');
  assert.equal(p.due(1_510), 100, 'after a 1.5 s stall: 50 ms worth, not 3,000 actions');
  assert.equal(p.due(1_520), 20, 'and the rate again, the backlog dropped');
});
