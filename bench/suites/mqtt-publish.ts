// mqtt-publish: market-data messages per second through the MQTT bus, against a bare mqtt.js client in
// the same run (the peer). Every case publishes the same message, a book diff of three levels encoded in
// msgpack (the bus's default), at QoS 0, then one QoS 1 "fence" message: the broker acknowledges it after
// it has taken every message before it on that connection, so the time to the fence's PUBACK is the time
// the broker needed for them all. Socket back-pressure is respected in every case (the bare client waits
// for 'drain'; the bus buffers and drains on its own, and the case waits for its buffer to empty).
//
//   bare → mosquitto      peer: one mqtt.js client, payload encoded once, publish() in a loop
//   bus → mosquitto       MqttBusPublisher: hub message → topic, msgpack encode, publish (ratio to peer)
//   bus → embedded        the same to the embedded aedes broker in this process (ratio to peer)
//   hub+bus → mosquitto   BookLevelChanged records into the hub: diff, CRC32 checksum, then the bus
//
// Mosquitto: MQTT_URL, else mqtt://127.0.0.1:1883 when it answers; without one the mosquitto cases are
// skipped and the embedded case has no peer. Runs alternate the cases round by round; a case's ratio to
// the peer is the median of its per-round ratios. Options after `--`: messages=<n> (per round) runs=<n>.

import { connect as netConnect } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { Side } from '../../engine/enums.js';
import { encodeRecord } from '../../engine/ring/layouts/index.js';
import { BookLevelChangedLayout } from '../../engine/ring/layouts/book-level-changed.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { startEmbeddedBroker } from '../../gateway/bus/embedded-broker.js';
import { encodePayload } from '../../gateway/bus/payload.js';
import { MqttBusPublisher } from '../../gateway/bus/publisher.js';
import { topicOf } from '../../gateway/bus/topics.js';
import { MarketDataHub } from '../../gateway/market-data/hub.js';
import type { BookDiff, MarketDataMessage } from '../../gateway/market-data/messages.js';
import { median, type CaseResult, type Suite } from '../harness.js';

const SUITE = 'mqtt-publish';
const PREFIX = `perpx-bench-${process.pid}`;
const MESSAGE: BookDiff = {
  channel: 'book',
  type: 'diff',
  market: 'BTC-PERP',
  seq: 123_456,
  prevSeq: 123_455,
  timeUs: 1_700_000_000_000_000,
  bids: [[599_990, 12, 3], [599_980, 0, 0]],
  asks: [[600_010, 7, 2]],
  checksum: 3_141_592_653,
};

/** A `name=<n>` option after `--`: a positive number. */
export function option(suite: string, args: string[], name: string, fallback: number): number {
  const arg = args.find((a) => a.startsWith(`${name}=`));
  const v = arg === undefined ? fallback : Number(arg.slice(name.length + 1));
  if (!(v > 0) || !Number.isFinite(v)) throw new Error(`${suite}: ${name} must be a positive number`);
  return v;
}

export function mosquittoUrl(): Promise<string | undefined> {
  if (process.env.MQTT_URL) return Promise.resolve(process.env.MQTT_URL);
  return new Promise((resolve) => {
    const s = netConnect({ host: '127.0.0.1', port: 1883, timeout: 300 });
    s.once('connect', () => (s.destroy(), resolve('mqtt://127.0.0.1:1883')));
    s.once('error', () => resolve(undefined));
    s.once('timeout', () => (s.destroy(), resolve(undefined)));
  });
}

const fence = (client: MqttClient) => client.publishAsync(`${PREFIX}/fence`, 'x', { qos: 1 });
const turn = () => new Promise((r) => setImmediate(r));

/** The peer: a bare client publishing pre-encoded bytes, waiting for 'drain' when the socket asks. */
async function bare(url: string, n: number): Promise<number> {
  const client = await connectAsync(url, { clientId: `${PREFIX}-bare` });
  const topic = topicOf('BTC-PERP', 'book', PREFIX);
  const payload = Buffer.from(encodePayload(MESSAGE, 'msgpack'));
  const stream = client.stream as unknown as { writableNeedDrain: boolean; once(e: 'drain', f: () => void): void };
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    client.publish(topic, payload, { qos: 0 });
    if (stream.writableNeedDrain) await new Promise<void>((r) => stream.once('drain', r));
  }
  await fence(client);
  const s = (performance.now() - t0) / 1000;
  await client.endAsync();
  return n / s;
}

/** The bus: a hub's message handed to the publisher's tap n times (a fake hub that only taps). */
async function bus(url: string, n: number): Promise<number> {
  let tap: (m: MarketDataMessage) => void = () => {};
  const hub = { tap: (f: typeof tap) => (tap = f), markets: () => [], snapshot: () => undefined, latest: () => undefined } as unknown as MarketDataHub;
  const pub = new MqttBusPublisher(hub, { url, prefix: PREFIX, snapshotEveryMs: 0, clientOptions: { clientId: `${PREFIX}-bus` } });
  await pub.waitConnected();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    tap(MESSAGE);
    while (pub.stats.buffered > 1_000) await turn();
  }
  while (pub.stats.buffered > 0) await turn();
  await fence(pub.client);
  const s = (performance.now() - t0) / 1000;
  if (pub.stats.dropped > 0) throw new Error(`${SUITE}: the bus dropped ${pub.stats.dropped} messages`);
  await pub.stop();
  return n / s;
}

/** Records into a real hub (one level change, one flush, one diff each) and on through the bus. */
async function hubBus(url: string, n: number): Promise<number> {
  const hub = new MarketDataHub([{ marketId: 1, symbol: 'BTC-PERP' }], false);
  const buf = RecordBuffer.allocate(1);
  // A book of 50 levels a side first: the checksum reads the top 25 of each.
  const level = (side: number, price: number, qty: number) => {
    encodeRecord(buf, 0, BookLevelChangedLayout, { marketId: 1, timeUs: 1 }, { side, priceTicks: price, levelQtyLots: qty, orderCount: 1 });
    hub.onRecord(buf, 0, { kind: 'market', shard: 0 });
  };
  for (let i = 1; i <= 50; i++) {
    level(Side.BUY, 600_000 - i, i);
    level(Side.SELL, 600_000 + i, i);
  }
  hub.flush();
  const pub = new MqttBusPublisher(hub, { url, prefix: PREFIX, snapshotEveryMs: 0, clientOptions: { clientId: `${PREFIX}-hub` } });
  await pub.waitConnected();
  while (pub.stats.buffered > 0) await turn();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    level(i & 1 ? Side.SELL : Side.BUY, i & 1 ? 600_001 + (i % 20) : 599_999 - (i % 20), 1 + (i % 97));
    hub.flush();
    while (pub.stats.buffered > 1_000) await turn();
  }
  while (pub.stats.buffered > 0) await turn();
  await fence(pub.client);
  const s = (performance.now() - t0) / 1000;
  await pub.clearRetained();
  await pub.stop();
  return n / s;
}

const suite: Suite = {
  description: 'MQTT bus publish throughput (embedded aedes, Mosquitto) against a bare mqtt.js client',
  async run(ctx) {
    const n = Math.floor(option(SUITE, ctx.args, 'messages', ctx.quick ? 20_000 : 50_000));
    const runs = Math.floor(option(SUITE, ctx.args, 'runs', ctx.quick ? 1 : 9));
    const mosquitto = await mosquittoUrl();
    const embedded = await startEmbeddedBroker(0);
    const figures = new Map<string, number[]>();
    const add = (k: string, v: number) => figures.set(k, [...(figures.get(k) ?? []), v]);
    try {
      // Interleaved, so load on the shared machine falls on every case alike.
      for (let r = 0; r < runs; r++) {
        if (mosquitto) {
          add('bare → mosquitto', await bare(mosquitto, n));
          add('bus → mosquitto', await bus(mosquitto, n));
          add('hub+bus → mosquitto', await hubBus(mosquitto, n));
        }
        add('bare → embedded', await bare(embedded.url, n));
        add('bus → embedded', await bus(embedded.url, n));
      }
    } finally {
      await embedded.close();
    }
    // The ratio to the peer is the median of each round's ratio to that round's bare run: on a shared
    // machine load comes in bursts, and a pair measured back to back sees the same one.
    const peerRuns = figures.get('bare → mosquitto');
    return [...figures].map(([name, xs]): CaseResult => {
      const ops = median(xs);
      return {
        suite: SUITE,
        case: name,
        opsPerSec: Math.round(ops),
        p50Ns: Math.round(1e9 / ops),
        p99Ns: Math.round(1e9 / Math.min(...xs)),
        samples: xs.length,
        messages: n,
        vsBareMosquitto: peerRuns === undefined ? 'n/a' : Number(median(xs.map((x, i) => x / peerRuns[i]!)).toFixed(3)),
        runs: xs.map((x) => Math.round(x)).join('/'),
      };
    });
  },
};

export default suite;
