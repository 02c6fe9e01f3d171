// Index feeds pushed over MQTT, through a real broker (embedded aedes, or Mosquitto with MQTT_URL):
// subscribePushedSources subscribes each pushed source's topic and hands it what other processes
// publish there, JSON or msgpack; junk is refused and leaves the last price; other topics never reach
// a source; a retained quote reaches an oracle that subscribes later; after the broker restarts the
// client subscribes again and quotes flow again.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encode } from '@msgpack/msgpack';
import { IndexSourceStatus, IndexSourceVerdict } from '../../../engine/enums.js';
import { startEmbeddedBroker } from '../../../gateway/bus/embedded-broker.js';
import { subscribePushedSources } from '../../../gateway/oracle/mqtt-feeds.js';
import { subscriber, testBroker, testPrefix, until } from '../../support/mqtt-broker.js';
import { OracleHarness } from './oracle-harness.js';

test('quotes published to a broker feed the pushed sources: JSON and msgpack, junk refused, other topics ignored', async () => {
  const broker = await testBroker();
  const prefix = testPrefix();
  const deskTopic = `${prefix}/v1/feeds/BTC-PERP/desk`;
  const packedTopic = `${prefix}/v1/feeds/BTC-PERP/packed`;
  const h = await OracleHarness.start({ extra: [{ mqtt: deskTopic, weight: 3 }, { mqtt: packedTopic, weight: 1 }] });
  const oracleClient = await subscriber(broker.url);
  const feeder = await subscriber(broker.url);
  try {
    h.quoteAll();
    assert.equal(await subscribePushedSources(h.oracle, oracleClient), 2);
    const [desk, packed] = h.oracle.pushedSources();
    await feeder.publishAsync(deskTopic, JSON.stringify({ price: '60003.0', timeMs: h.nowMs() }), { qos: 1 });
    await feeder.publishAsync(packedTopic, Buffer.from(encode({ price: '59990.0', timeMs: h.nowMs() })), { qos: 1 });
    await feeder.publishAsync(`${prefix}/v1/feeds/BTC-PERP/other`, JSON.stringify({ price: '1.0' }), { qos: 1 });
    await until(() => desk!.last !== undefined && packed!.last !== undefined, () => 'both pushed quotes arrive');
    const [tick] = await h.oracle.runCycle();
    assert.deepEqual(tick!.samples.slice(4).map((s) => [s.status, s.verdict, s.priceTicks]), [
      [IndexSourceStatus.OK, IndexSourceVerdict.USED, 600_030n],
      [IndexSourceStatus.OK, IndexSourceVerdict.USED, 599_900n],
    ]);
    // Mids 59,990.0 (packed, weight 1), 59,999.1, 60,000.1, 60,001.1, 60,002.1 (venues, 1 each), 60,003.0
    // (desk, 3): half the weight (4 of 8) ends exactly at 60,001.1, so the median is its mean with 60,002.1.
    assert.equal(tick!.indexTicks, 600_016n);
    for (const junk of ['{"price": 6e4}', 'not json']) await feeder.publishAsync(deskTopic, junk, { qos: 1 });
    await until(() => desk!.refused === 2, () => `refused ${desk!.refused}`);
    assert.equal(desk!.last!.priceTicks, 600_030n, 'the last good price stands');
  } finally {
    await feeder.endAsync();
    await oracleClient.endAsync();
    await h.close();
    await broker.close();
  }
});

test('a retained quote reaches an oracle that subscribes later; after a broker restart quotes flow again', async () => {
  let broker = await startEmbeddedBroker(0);
  const port = broker.port;
  const topic = `${testPrefix()}/v1/feeds/BTC-PERP/desk`;
  const h = await OracleHarness.start({ extra: [{ mqtt: topic, weight: 1 }] });
  const feeder = await subscriber(broker.url, 20);
  const oracleClient = await subscriber(broker.url, 20);
  try {
    await feeder.publishAsync(topic, JSON.stringify({ price: '60100.0', timeMs: h.nowMs() }), { qos: 1, retain: true });
    await subscribePushedSources(h.oracle, oracleClient);
    const [desk] = h.oracle.pushedSources();
    await until(() => desk!.last?.priceTicks === 601_000n, () => 'the retained quote arrives on subscribe');

    await broker.close();
    broker = await startEmbeddedBroker(port);
    await until(() => feeder.connected && oracleClient.connected, () => 'both clients reconnect');
    // The new broker starts empty: the oracle's client subscribed again on its own (mqtt.js resubscribe).
    await until(
      () => {
        void feeder.publishAsync(topic, JSON.stringify({ price: '60200.0', timeMs: h.nowMs() }), { qos: 1 }).catch(() => {});
        return desk!.last?.priceTicks === 602_000n;
      },
      () => `after the restart: ${desk!.last?.priceTicks}`,
    );
  } finally {
    await feeder.endAsync();
    await oracleClient.endAsync();
    await h.close();
    await broker.close();
  }
});
