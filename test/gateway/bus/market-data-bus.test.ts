// Which broker the bus uses: the embedded one unless --mqtt or MQTT_URL names another (the option wins);
// credentials and TLS material from the environment pass to mqtt.js unchanged.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { clientOptionsFromEnv, startMarketDataBus } from '../../../gateway/bus/market-data-bus.js';
import { startEmbeddedBroker } from '../../../gateway/bus/embedded-broker.js';
import { MarketDataHub } from '../../../gateway/market-data/hub.js';

const hub = () => new MarketDataHub([{ marketId: 1, symbol: 'BTC-PERP' }]);

test('without a URL the bus starts its own broker and publishes to it', async () => {
  const bus = await startMarketDataBus(hub(), { env: {}, embeddedPort: 0, prefix: 'perpx-test-bus' });
  try {
    assert.ok(bus.broker);
    assert.equal(bus.url, bus.broker.url);
    await bus.publisher.waitConnected();
    assert.equal(bus.publisher.stats.connected, true);
  } finally {
    await bus.stop();
  }
});

test('--mqtt wins over MQTT_URL, and either one means no embedded broker', async () => {
  const other = await startEmbeddedBroker(0);
  try {
    const bus = await startMarketDataBus(hub(), { url: other.url, env: { MQTT_URL: 'mqtt://127.0.0.1:1' }, prefix: 'perpx-test-bus' });
    assert.equal(bus.broker, undefined);
    assert.equal(bus.url, other.url);
    await bus.publisher.waitConnected();
    await bus.stop();
    const byEnv = await startMarketDataBus(hub(), { env: { MQTT_URL: other.url }, prefix: 'perpx-test-bus' });
    assert.equal(byEnv.broker, undefined);
    await byEnv.publisher.waitConnected();
    await byEnv.stop();
  } finally {
    await other.close();
  }
});

test('credentials and TLS files from the environment pass through', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpx-mqtt-'));
  for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, f), `-----${f}-----`);
  const o = clientOptionsFromEnv({ MQTT_USERNAME: 'feed', MQTT_PASSWORD: 's3cret', MQTT_CA: join(dir, 'ca.pem'), MQTT_CERT: join(dir, 'cert.pem'), MQTT_KEY: join(dir, 'key.pem'), MQTT_REJECT_UNAUTHORIZED: '0' });
  assert.deepEqual([o.username, o.password, String(o.ca), String(o.cert), String(o.key), o.rejectUnauthorized], ['feed', 's3cret', '-----ca.pem-----', '-----cert.pem-----', '-----key.pem-----', false]);
  assert.deepEqual(clientOptionsFromEnv({}), {});
});
