// The bus while the broker is away (the embedded broker, stopped and started again on the same port):
// matching goes on, what cannot be published is dropped and counted, the publisher reconnects with
// backoff and resnapshots every market, and a subscriber that reconnected too ends with the engine's book.
// Also the threaded exchange: its released records, polled by the test as the gateway's loop would, make
// the same books on the bus as the in-process exchange makes from the same commands.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeRecord } from '../../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { RecordType } from '../../../engine/ring/types.js';
import { InProcessExchange } from '../../../exchange/in-process-exchange.js';
import { ThreadedExchange } from '../../../exchange/threaded-exchange.js';
import { startEmbeddedBroker } from '../../../gateway/bus/embedded-broker.js';
import { MqttBusPublisher } from '../../../gateway/bus/publisher.js';
import { MqttBookFollower } from '../../../gateway/client/mqtt-book.js';
import { MarketDataHub } from '../../../gateway/market-data/hub.js';
import { engineLevels, FLOW_MARKETS, flowRiskMarkets, flowTopology, marketFlow } from '../../support/market-flow.js';
import { subscriber, testBroker, testPrefix, until } from '../../support/mqtt-broker.js';
import { testSeed } from '../../support/seed.js';

const MARKETS = FLOW_MARKETS;
const topology = flowTopology;
const riskMarkets = flowRiskMarkets;
const levels = engineLevels;
const tick = () => new Promise((r) => setImmediate(r));

test('with the broker away the exchange goes on, drops are counted, and after it returns the subscriber is in sync again', async () => {
  const seed = testSeed('mqtt outage');
  let broker = await startEmbeddedBroker(0);
  const port = broker.port;
  const prefix = testPrefix();
  const ex = new InProcessExchange({ topology: topology(), riskMarkets });
  const hub = new MarketDataHub(MARKETS);
  ex.onGateway(hub.onRecord);
  // Periodic snapshots too: a subscriber back after the resnapshot and the diffs that followed it needs a
  // newer snapshot than the retained one.
  const pub = new MqttBusPublisher(hub, { url: broker.url, prefix, snapshotEveryMs: 50, reconnectMinMs: 20, reconnectMaxMs: 160 });
  const client = await subscriber(broker.url, 30);
  const follower = new MqttBookFollower(client, 'BTC-PERP', 'msgpack', prefix);
  try {
    await pub.waitConnected();
    await follower.start();
    const cmds = marketFlow(seed, 900);
    const run = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        ex.send(cmds[i]!.layout, cmds[i]!.header, cmds[i]!.body);
        hub.flush();
        if (i % 20 === 0) await tick();
      }
    };
    await run(0, 300);
    await until(() => follower.sync.position === hub.snapshot('BTC-PERP')!.seq, () => 'in sync before the outage');

    await broker.close();
    await until(() => !pub.stats.connected, () => 'publisher sees the broker gone');
    await run(300, 600);
    assert.ok(pub.stats.dropped > 0, 'messages published while away are dropped, not queued without bound');
    assert.equal(pub.stats.buffered, 0);
    const droppedWhileAway = pub.stats.dropped;
    const resentBefore = pub.stats.resent;

    broker = await startEmbeddedBroker(port);
    await until(() => pub.stats.connected && client.connected, () => `reconnect: publisher ${pub.stats.connected}, subscriber ${client.connected}`);
    assert.ok(pub.stats.reconnects >= 1);
    await until(() => pub.stats.resent > resentBefore, () => 'the reconnect resnapshots every market');
    await run(600, cmds.length);
    const seq = hub.snapshot('BTC-PERP')!.seq;
    await until(() => follower.sync.position === seq, () => `follower at ${follower.sync.position}, hub at ${seq}`);
    assert.deepEqual({ bids: follower.bids, asks: follower.asks }, levels(ex, 1));
    assert.ok(follower.sync.stats.resyncs >= 1, 'the subscriber saw the gap and resynced');
    assert.equal(pub.stats.dropped, droppedWhileAway, 'nothing dropped once the broker is back');
  } finally {
    await client.endAsync();
    await pub.stop();
    await broker.close();
  }
});

test('the threaded exchange, polled into the hub, puts on the bus the books the in-process exchange makes', async () => {
  const seed = testSeed('mqtt threaded');
  const broker = await testBroker();
  const prefix = testPrefix();
  const cmds = marketFlow(seed, 200);
  const local = new InProcessExchange({ topology: topology(), riskMarkets });
  for (const c of cmds) local.send(c.layout, c.header, c.body);

  const threaded = await ThreadedExchange.start({ topology: topology(), riskMarkets, ringCapacity: 256 });
  const hub = new MarketDataHub(MARKETS);
  const pub = new MqttBusPublisher(hub, { url: broker.url, prefix, snapshotEveryMs: 20 });
  const client = await subscriber(broker.url);
  const followers = MARKETS.map((m) => new MqttBookFollower(client, m.symbol, 'msgpack', prefix));
  try {
    await pub.waitConnected();
    for (const f of followers) await f.start();
    const buf = RecordBuffer.allocate(1);
    const poll = () => {
      threaded.poll(hub.onRecord);
      hub.flush();
    };
    // Quiet: every shard has handled all it was sent and published what it produced (exchange/drained.ts),
    // and all of it was read. It used to be guessed from three polls 10 ms apart with no output, which a
    // loaded machine broke (a starved shard looked quiet, and a tick sent then overtook its orders).
    const quiet = async () => {
      await until(() => (poll(), threaded.drained()), () => 'the exchange drained');
      poll();
    };
    for (const c of cmds) {
      encodeRecord(buf, 0, c.layout, c.header, c.body);
      // Orders, cancels and deposits all pass the one risk shard in order; index and timer ticks go to
      // the market shard directly, so they are sent alone, between quiet points, as the in-process
      // exchange takes them (the same input order, hence the same books).
      const direct = c.layout.type === RecordType.UpdateIndexPrice || c.layout.type === RecordType.AdvanceTime;
      if (direct) await quiet();
      while (!threaded.offer(buf, 0)) {
        threaded.flush();
        await threaded.waitForOutput(1);
        poll();
      }
      threaded.flush();
      if (direct) await quiet();
      else poll();
    }
    await quiet();
    for (const [i, m] of MARKETS.entries()) {
      const seq = hub.snapshot(m.symbol)!.seq;
      const f = followers[i]!;
      await until(() => f.sync.position === seq, () => `${m.symbol} follower at ${f.sync.position}, hub at ${seq}`);
      assert.deepEqual({ bids: f.bids, asks: f.asks }, levels(local, m.marketId), m.symbol);
    }
    await pub.clearRetained();
  } finally {
    await threaded.stop(hub.onRecord);
    await client.endAsync();
    await pub.stop();
    await broker.close();
  }
});
