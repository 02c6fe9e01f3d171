// Several market shards on one worker thread (MarketShardHost.startGroup, processor-group.ts): each shard
// is still its own state machine on its own rings, so each reaches the state hash it reaches alone, and a
// request or a counter names the shard it is asked of, not the thread.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import { RingConsumer } from '../../../engine/ring/ring-consumer.js';
import { RingProducer } from '../../../engine/ring/ring-producer.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { MarketShard } from '../../../engine/shard/market-shard.js';
import { MarketShardHost } from '../../../engine/shard/market-shard-host.js';
import { encodeStream, place, type Cmd } from '../../support/commands.js';
import { rng, testSeed } from '../../support/seed.js';

function stream(seed: number, marketId: number, mid: number, n: number): Cmd[] {
  const next = rng(seed);
  return Array.from({ length: n }, (_, i) =>
    place({ orderId: i + 1, accountId: (next() % 8) + 1, marketId, side: next() % 2 === 0 ? Side.BUY : Side.SELL, priceTicks: mid + (next() % 41) - 20, qtyLots: (next() % 20) + 1 }),
  );
}

test('two market shards on one worker each reach the hash they reach alone, and answer their own state requests and counters', async () => {
  const seed = testSeed('market worker group');
  const specs = [
    { market: DEFAULT_MARKETS[0]!, cmds: stream(seed, DEFAULT_MARKETS[0]!.marketId, 600_000, 3_000) },
    { market: DEFAULT_MARKETS[1]!, cmds: stream(seed + 1, DEFAULT_MARKETS[1]!.marketId, 30_000, 2_000) },
  ];
  const alone = specs.map((s) => {
    const m = new MarketShard([s.market], new MemoryOutput(), []);
    const input = encodeStream(s.cmds);
    for (let i = 0; i < s.cmds.length; i++) m.handle(input, input.at(i), 0);
    return m.stateHash();
  });
  const mainBell = Doorbell.create();
  const hosts = await MarketShardHost.startGroup(specs.map((s, i) => ({ shardId: i, markets: [s.market], inputs: 1, gatewayBell: mainBell, riskBells: [], ringCapacity: 64 })));
  try {
    assert.equal(hosts[0]!.bell, hosts[1]!.bell, 'one doorbell for the thread');
    assert.equal(hosts[0]!.worker, hosts[1]!.worker, 'one worker thread');
    const feeds = specs.map((s, i) => ({ input: encodeStream(s.cmds), n: s.cmds.length, sent: 0, producer: new RingProducer(hosts[i]!.inputs[0]!, hosts[i]!.bell), consumer: new RingConsumer(hosts[i]!.gatewayOut) }));
    while (feeds.some((f) => f.sent < f.n) || hosts.some((h, i) => h.stats().handled < feeds[i]!.n)) {
      let moved = 0;
      feeds.forEach((f, i) => {
        const k = f.producer.claim(f.n - f.sent);
        for (let j = 0; j < k; j++) hosts[i]!.inputs[0]!.records.copyFrom(f.input, f.input.at(f.sent + j), f.producer.at(j));
        f.producer.publish(k);
        f.sent += k;
        const m = f.consumer.available();
        f.consumer.release(m);
        moved += k + m;
      });
      if (moved === 0) await mainBell.parkAsync(() => feeds.some((f) => f.consumer.available() > 0), 5);
    }
    const states = await Promise.all(hosts.map((h) => h.state()));
    assert.deepEqual(states.map((s) => [s.shard, s.markets.map((m) => m.marketId)]), [[0, [DEFAULT_MARKETS[0]!.marketId]], [1, [DEFAULT_MARKETS[1]!.marketId]]]);
    const done = await Promise.all(hosts.map((h) => h.stop()));
    assert.deepEqual(done.map((d) => d.stateHash), alone);
    assert.deepEqual(done.map((d) => d.handled), [3_000, 2_000]);
  } finally {
    await Promise.all(hosts.map((h) => h.stop()));
  }
});
