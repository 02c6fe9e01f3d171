import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import { decodeRecord, type DecodedRecord } from '../../../engine/ring/layouts/index.js';
import { CONSUMER_CURSOR_INDEX, PRODUCER_CURSOR_INDEX } from '../../../engine/ring/ring-buffer-descriptor.js';
import type { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../../engine/ring/ring-consumer.js';
import { RingProducer } from '../../../engine/ring/ring-producer.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { DEFAULT_POOL, riskMarket } from '../../../risk/shard/config.js';
import { LiquidationEngine } from '../../../risk/shard/liquidation-engine.js';
import { RiskShard } from '../../../risk/shard/risk-shard.js';
import { RiskShardHost } from '../../../risk/shard/risk-shard-host.js';
import { decodeAll } from '../../support/commands.js';
import { testSeed } from '../../support/seed.js';
import { recordedInputs } from './random-stream.js';

const MARKETS = DEFAULT_MARKETS.map((m) => riskMarket(m));
const MARKET_RING = 16;

function drainAll(ring: RingBuffer, consumer: RingConsumer, into: DecodedRecord[]): void {
  const n = consumer.available();
  for (let i = 0; i < n; i++) into.push(decodeRecord(ring.records, consumer.at(i)));
  consumer.release(n);
}

const consumed = (ring: RingBuffer): boolean => Atomics.load(ring.header, CONSUMER_CURSOR_INDEX) === Atomics.load(ring.header, PRODUCER_CURSOR_INDEX);

test('a risk shard on a worker thread reaches the same state hash and outputs as the same shard in-process', async () => {
  const seed = testSeed('risk-shard-worker');
  const { inputs, records } = recordedInputs(seed, 600);

  const refGateway = new MemoryOutput();
  const refMarket = new MemoryOutput();
  const reference = new RiskShard(0, 1, MARKETS, DEFAULT_POOL, () => 0, refGateway, [refMarket], (s, e) => new LiquidationEngine(s, e, DEFAULT_POOL));
  for (let i = 0; i < inputs.length; i++) reference.handle(records, records.at(i), inputs[i]!);

  const mainBell = Doorbell.create();
  const marketBell = Doorbell.create();
  const host = await RiskShardHost.start({
    shardId: 0,
    shardCount: 1,
    markets: MARKETS,
    pool: DEFAULT_POOL,
    marketShardOf: new Map(MARKETS.map((m) => [m.market.marketId, 0])),
    gatewayBell: mainBell,
    marketBells: [marketBell],
    ringCapacity: MARKET_RING,
  });
  try {
    const producers = host.inputs.map((r) => new RingProducer(r, host.bell));
    const gatewayConsumer = new RingConsumer(host.gatewayOut);
    const marketConsumer = new RingConsumer(host.marketOut[0]!);
    const gotGateway: DecodedRecord[] = [];
    const gotMarket: DecodedRecord[] = [];
    // Records go in runs of one input; a run starts only once the worker consumed the previous one, so
    // the worker takes them in exactly the recorded order. The market-bound ring is read only when full,
    // which keeps sending the worker's outbox into back-pressure.
    let i = 0;
    while (i < inputs.length) {
      const input = inputs[i]!;
      const ring = host.inputs[input]!;
      let end = i;
      while (end < inputs.length && inputs[end] === input) end++;
      while (i < end) {
        const n = producers[input]!.claim(end - i);
        for (let k = 0; k < n; k++) ring.records.copyFrom(records, records.at(i + k), producers[input]!.at(k));
        producers[input]!.publish(n);
        i += n;
        while (!consumed(ring)) {
          drainAll(host.gatewayOut, gatewayConsumer, gotGateway);
          if (marketConsumer.available() === MARKET_RING) drainAll(host.marketOut[0]!, marketConsumer, gotMarket);
          await mainBell.parkAsync(() => consumed(ring) || gatewayConsumer.available() > 0, 5);
        }
      }
    }
    // Whatever still waits in the outbox leaves as the market-bound ring is read.
    while (gotGateway.length < refGateway.length || gotMarket.length < refMarket.length) {
      drainAll(host.gatewayOut, gatewayConsumer, gotGateway);
      drainAll(host.marketOut[0]!, marketConsumer, gotMarket);
      await mainBell.parkAsync(() => gatewayConsumer.available() > 0, 5);
    }
    const { stateHash, handled } = await host.stop();
    assert.equal(handled, inputs.length);
    assert.equal(stateHash, reference.stateHash());
    assert.deepEqual(gotGateway, decodeAll(refGateway));
    assert.deepEqual(gotMarket, decodeAll(refMarket));
    assert.ok(host.stats().stalls > 0, 'the outbox never had to hold a record');
  } finally {
    await host.stop();
  }
});
