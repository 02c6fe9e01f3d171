// What `npm start` runs, end to end on worker threads: the demo driver funds the simulated accounts and
// the insurance fund, drives the seeded flow through risk and market shards, reads every event back,
// and the what-if scan runs on the piscina pool over snapshots the risk workers copy.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { ThreadedExchange } from '../../exchange/threaded-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { OrderFlow } from '../../engine/sim/order-flow.js';
import { DemoDriver } from '../../gateway/demo-driver.js';
import { riskMarket } from '../../risk/shard/config.js';
import { uniformShocks } from '../../risk/stress/shock-scan.js';
import { ShockScanner } from '../../risk/stress/shock-scanner.js';
import { ATOMS_PER_USDT } from '../../risk/units.js';

test('the demo trades through every shard, keeps its fund, and the what-if scan sees its positions', async () => {
  const topology = Topology.spread(DEFAULT_MARKETS, 2, 2);
  const exchange = await ThreadedExchange.start({ topology, riskMarkets: DEFAULT_MARKETS.map((m) => riskMarket(m)) });
  const scanner = new ShockScanner({ threads: 2 });
  try {
    const flow = new OrderFlow({
      markets: [
        { market: DEFAULT_MARKETS[0]!, startMidTicks: 600_000, rungTicks: 5, maxTakerLots: 50, maxQuoteLots: 200 },
        { market: DEFAULT_MARKETS[1]!, startMidTicks: 300_000, rungTicks: 5, maxTakerLots: 500, maxQuoteLots: 2_000 },
      ],
      seed: 7,
      firstAccountId: 1,
      makers: 4,
      takers: 16,
      quotesPerMaker: 20,
      mix: { quote: 62, cancel: 30, taker: 8 },
      firstOrderId: 1,
    });
    const driver = new DemoDriver(exchange, flow);
    driver.fund(10_000_000n, 100_000n, 250_000n);
    await driver.untilMarked();
    let sent = 0;
    while (sent < 20_000) {
      sent += driver.drive(500);
      driver.drain();
      await exchange.waitForOutput(1);
    }
    // Quiet: nothing more arrives for a few waits.
    for (let quiet = 0; quiet < 5; ) {
      await exchange.waitForOutput(5);
      quiet = driver.drain() === 0 ? quiet + 1 : 0;
    }
    const t = driver.tally;
    assert.equal(exchange.failure, undefined);
    // A full ring refuses a command (counted as back-pressure, never dropped): the driver offers it again.
    assert.ok(t.offered >= 20_000);
    assert.ok(t.trades > 100, `${t.trades} trades`);
    assert.equal(t.markTicks.size, 2, 'both markets have a mark');
    // Rejections are what a live flow meets (a cancel racing a fill, a post-only that would take), never bad input.
    for (const code of t.rejected.keys()) assert.ok(code === Code.ORDER_NOT_FOUND || code === Code.POST_ONLY_WOULD_TAKE, `rejected with ${code}`);

    const snapshots = await exchange.scanSnapshots();
    assert.equal(snapshots.length, 2);
    const report = await scanner.scan(snapshots, uniformShocks([-5_000], 2));
    assert.ok(report.scopes > 0, 'traders hold positions');
    assert.equal(report.outcomes[0]!.insuranceFundAtoms, 250_000n * ATOMS_PER_USDT, 'the fund split over both shards, whole');
  } finally {
    await scanner.close();
    await exchange.stop();
  }
});
