// Surveillance alerts on the operator MQTT topic: stored in the book first, announced once when new (not
// again when a replay raises them again), through the market-data bus's connection; with the broker away
// the announcement is dropped and counted, and the alert is still in the book.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlertBook } from '../../exchange/surveillance/alert-book.js';
import { MemoryAlertStorage } from '../../exchange/surveillance/alert-storage.js';
import { MqttBusPublisher } from '../../gateway/bus/publisher.js';
import { MarketDataHub } from '../../gateway/market-data/hub.js';
import { alertSink } from '../../gateway/surveillance/alert-sink.js';
import { alertTopicRoot } from '../../gateway/surveillance/alert-topic.js';
import { sampleAlerts } from '../exchange/sample-alerts.js';
import { FLOW_MARKETS } from '../support/market-flow.js';
import { subscriber, testBroker, testPrefix, until } from '../support/mqtt-broker.js';

test('each new alert is announced once on its detector topic, after it is stored; a duplicate is not', async () => {
  const broker = await testBroker();
  const prefix = testPrefix();
  const pub = new MqttBusPublisher(new MarketDataHub(FLOW_MARKETS), { url: broker.url, prefix, snapshotEveryMs: 0 });
  const client = await subscriber(broker.url);
  try {
    await pub.waitConnected();
    const got: { topic: string; body: Record<string, unknown> }[] = [];
    client.on('message', (topic, payload) => got.push({ topic, body: JSON.parse(payload.toString()) as Record<string, unknown> }));
    await client.subscribeAsync(`${alertTopicRoot(prefix)}/#`, { qos: 1 });
    const storage = new MemoryAlertStorage();
    const book = new AlertBook(storage);
    const sink = alertSink(book, { bus: pub, prefix });
    const alerts = sampleAlerts();
    assert.ok(alerts.length >= 3);
    assert.equal(await sink(alerts[0]!), true);
    assert.equal(storage.size, 1, 'stored before it is announced');
    // Raised again (a replay): stored once, announced once. The broker keeps one connection's order, so
    // the next alert arriving right after the first shows nothing was sent between them.
    assert.equal(await sink(structuredClone(alerts[0]!)), false);
    for (const a of alerts.slice(1)) assert.equal(await sink(a), true);
    await until(
      () => got.length >= alerts.length,
      () => `${got.length} of ${alerts.length} announced`,
    );
    assert.deepEqual(
      got.map((m) => m.body.id),
      alerts.map((a) => a.id),
    );
    for (const [i, m] of got.entries()) {
      assert.equal(m.topic, `${alertTopicRoot(prefix)}/${alerts[i]!.detector}`);
      assert.equal(m.body.orders, undefined, 'the evidence stays behind the operator API');
    }
    assert.equal(book.size, alerts.length);
    assert.equal(book.duplicates, 1);
  } finally {
    await client.endAsync();
    await pub.stop();
    await broker.close();
  }
});

test('with the broker away an alert is still stored, and its announcement is dropped and counted', async () => {
  // Nothing listens on port 1: the publisher never connects.
  const pub = new MqttBusPublisher(new MarketDataHub(FLOW_MARKETS), { url: 'mqtt://127.0.0.1:1', snapshotEveryMs: 0, reconnectMinMs: 10_000 });
  try {
    const book = new AlertBook(new MemoryAlertStorage());
    const [a] = sampleAlerts();
    assert.equal(await alertSink(book, { bus: pub })(a!), true);
    assert.equal(book.size, 1);
    assert.equal(pub.stats.dropped, 1);
  } finally {
    await pub.stop();
  }
});
