import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import { decodeRecord } from '../../../engine/ring/layouts/index.js';
import { RingConsumer } from '../../../engine/ring/ring-consumer.js';
import { RingProducer } from '../../../engine/ring/ring-producer.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { MarketShard } from '../../../engine/shard/market-shard.js';
import { MarketShardHost } from '../../../engine/shard/market-shard-host.js';
import { cancel, decodeAll, encodeStream, place, type Cmd } from '../../support/commands.js';
import { rng, testSeed } from '../../support/seed.js';

function randomStream(seed: number, n: number): Cmd[] {
  const next = rng(seed);
  const cmds: Cmd[] = [];
  for (let i = 1; i <= n; i++) {
    const r = next() % 100;
    if (r < 20 && i > 10) cmds.push(cancel((next() % 8) + 1, (next() % (i - 1)) + 1));
    else cmds.push(place({ orderId: i, accountId: (next() % 8) + 1, side: next() % 2 === 0 ? Side.BUY : Side.SELL, priceTicks: 600_000 + (next() % 41) - 20, qtyLots: (next() % 20) + 1 }));
  }
  return cmds;
}

test('a market shard on a worker thread reaches the same state hash and events as the same shard in-process', async () => {
  const seed = testSeed('market-shard-worker');
  const cmds = randomStream(seed, 20_000);
  const input = encodeStream(cmds);

  const reference = new MemoryOutput();
  const local = new MarketShard([DEFAULT_MARKETS[0]!], reference, []);
  for (let i = 0; i < cmds.length; i++) local.handle(input, input.at(i), 0);

  const mainBell = Doorbell.create();
  // A small ring so the stream wraps and both directions meet back-pressure.
  const host = await MarketShardHost.start({ shardId: 0, markets: [DEFAULT_MARKETS[0]!], inputs: 1, gatewayBell: mainBell, riskBells: [], ringCapacity: 64 });
  try {
    const producer = new RingProducer(host.inputs[0]!, host.bell);
    const consumer = new RingConsumer(host.gatewayOut);
    const got: ReturnType<typeof decodeRecord>[] = [];
    let sent = 0;
    while (sent < cmds.length || got.length < reference.length) {
      const n = producer.claim(cmds.length - sent);
      for (let i = 0; i < n; i++) host.inputs[0]!.records.copyFrom(input, input.at(sent + i), producer.at(i));
      producer.publish(n);
      sent += n;
      const m = consumer.available();
      for (let i = 0; i < m; i++) got.push(decodeRecord(host.gatewayOut.records, consumer.at(i)));
      consumer.release(m);
      if (n === 0 && m === 0) await mainBell.parkAsync(() => consumer.available() > 0 || producer.claim(1) > 0, 50);
    }
    const { stateHash, handled } = await host.stop();
    assert.equal(handled, cmds.length);
    assert.equal(stateHash, local.stateHash());
    assert.deepEqual(got, decodeAll(reference));
  } finally {
    await host.stop();
  }
});

test('a stopped host reports its counters and stops only once', async () => {
  const host = await MarketShardHost.start({ shardId: 1, markets: [DEFAULT_MARKETS[0]!], inputs: 1, gatewayBell: Doorbell.create(), riskBells: [] });
  const first = host.stop();
  const second = host.stop();
  assert.equal(first, second);
  const r = await first;
  assert.equal(r.handled, 0);
  assert.equal(host.stats().handled, 0);
});
