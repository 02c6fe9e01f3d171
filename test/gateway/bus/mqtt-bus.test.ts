// The MQTT bus end to end: the hub's messages published to a broker (embedded aedes, or Mosquitto with
// MQTT_URL), the example subscriber (gateway/client/mqtt-book.ts) rebuilding the book from the retained
// snapshot and the diffs, checked against the market shard's own book; retained topics give a late
// subscriber state at once; msgpack and JSON both carry 64-bit fields exactly.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePayload, encodePayload } from '../../../gateway/bus/payload.js';
import { MqttBusPublisher } from '../../../gateway/bus/publisher.js';
import { parseTopic } from '../../../gateway/bus/topics.js';
import { MqttBookFollower } from '../../../gateway/client/mqtt-book.js';
import { MarketDataHub } from '../../../gateway/market-data/hub.js';
import type { Funding, MarketDataMessage } from '../../../gateway/market-data/messages.js';
import { engineLevels, FLOW_MARKETS, flowExchange, marketFlow } from '../../support/market-flow.js';
import { subscriber, testBroker, testPrefix, until } from '../../support/mqtt-broker.js';
import { testSeed } from '../../support/seed.js';

const MARKETS = FLOW_MARKETS;
const exchange = flowExchange;

const tick = () => new Promise((r) => setImmediate(r));

for (const format of ['msgpack', 'json'] as const) {
  test(`a subscriber rebuilds every book from the bus (${format}) and equals the market shard's`, async () => {
    const seed = testSeed(`mqtt bus ${format}`);
    const broker = await testBroker();
    console.log(`# broker: ${broker.external ? broker.url : 'embedded aedes'}`);
    const prefix = testPrefix();
    const ex = exchange();
    const hub = new MarketDataHub(MARKETS);
    ex.onGateway(hub.onRecord);
    const pub = new MqttBusPublisher(hub, { url: broker.url, prefix, format, snapshotEveryMs: 20 });
    const client = await subscriber(broker.url);
    try {
      await pub.waitConnected();
      const followers = MARKETS.map((m) => new MqttBookFollower(client, m.symbol, format, prefix));
      for (const f of followers) await f.start();
      const cmds = marketFlow(seed, 600);
      for (const [i, c] of cmds.entries()) {
        ex.send(c.layout, c.header, c.body);
        hub.flush();
        if (i % 25 === 0) await tick();
      }
      for (const [i, m] of MARKETS.entries()) {
        const f = followers[i]!;
        const seq = hub.snapshot(m.symbol)!.seq;
        await until(() => f.sync.position === seq, () => `${m.symbol} follower at ${f.sync.position}, hub at ${seq}`);
        assert.deepEqual({ bids: f.bids, asks: f.asks }, engineLevels(ex, m.marketId), m.symbol);
      }
      assert.equal(pub.stats.dropped, 0);
      assert.ok(pub.stats.published > 100);

      // A late subscriber gets the retained state of every market at once.
      const late = await subscriber(broker.url);
      const retained = new Map<string, MarketDataMessage>();
      late.on('message', (topic, payload, packet) => {
        if (packet.retain && payload.length > 0) retained.set(topic, decodePayload(payload, format));
      });
      await late.subscribeAsync(`${prefix}/v1/+/+`);
      const want = MARKETS.flatMap((m) => ['book-snapshot', 'ticker', 'mark', 'index', 'funding'].map((f) => `${prefix}/v1/${m.symbol}/${f}`));
      await until(() => want.every((t) => retained.has(t)), () => `retained: ${[...retained.keys()].join(', ')}`);
      for (const t of want) assert.equal(retained.get(t)!.market, parseTopic(t, prefix)!.market);
      const funding = retained.get(`${prefix}/v1/BTC-PERP/funding`) as Funding;
      assert.equal(typeof funding.rate, 'bigint', 'a 64-bit field decodes as bigint');
      await late.endAsync();
      await pub.clearRetained();
    } finally {
      await client.endAsync();
      await pub.stop();
      await broker.close();
    }
  });
}

test('payloads carry 64-bit fields exactly in both formats', () => {
  const big = 2n ** 62n + 3n;
  const m: MarketDataMessage = { channel: 'insurance', market: 'all', timeUs: 1, partition: 0, deltaAtoms: -big, balanceAtoms: big, totalAtoms: big, reason: 4 };
  for (const format of ['msgpack', 'json'] as const) assert.deepEqual(decodePayload(encodePayload(m, format), format), m, format);
  assert.match(Buffer.from(encodePayload(m, 'json')).toString(), /"balanceAtoms":"4611686018427387907"/);
});
