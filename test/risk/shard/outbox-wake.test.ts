// A risk shard's outbox waits for space in a full market-bound ring without blocking (the shard keeps
// consuming market events meanwhile), sleeping on its own doorbell. The producer-parked flag in the ring
// header is how the market shard knows to ring that doorbell when it frees slots: up while records are
// queued, down once the outbox is empty.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { COUNTER_INDEX, Doorbell, PARKED_INDEX } from '../../../engine/ring/doorbell.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { CONSUMER_CURSOR_INDEX, PRODUCER_CURSOR_INDEX, PRODUCER_PARKED_INDEX } from '../../../engine/ring/ring-buffer-descriptor.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../../engine/ring/ring-consumer.js';
import { MarketShardHost } from '../../../engine/shard/market-shard-host.js';
import { Outbox } from '../../../risk/shard/outbox.js';
import { runWorker } from '../../engine/ring/run-worker.js';
import type { OutboxFeederJob, OutboxFeederResult } from './outbox-feeder.worker.js';

const script = new URL('./outbox-feeder.worker.js', import.meta.url);

function append(outbox: Outbox, n: number): void {
  const src = RecordBuffer.allocate(1);
  for (let i = 0; i < n; i++) outbox.append(src, 0);
}

test('the flag is up exactly while records wait in the outbox, and a release then rings the producer\'s doorbell', () => {
  const ring = RingBuffer.create(4);
  const producerBell = Doorbell.create();
  const outbox = new Outbox(ring, Doorbell.create());
  const consumer = new RingConsumer(ring, producerBell);
  const flag = () => Atomics.load(ring.header, PRODUCER_PARKED_INDEX);
  const rung = () => Atomics.load(new Int32Array(producerBell.sab), COUNTER_INDEX);

  append(outbox, 4);
  outbox.flush();
  assert.equal(flag(), 0, 'everything fitted: nothing waits');
  append(outbox, 3);
  assert.equal(outbox.pending(), 3);
  assert.equal(flag(), 1, 'records wait for space');

  // The producer's thread is asleep on its doorbell (as the risk worker parks): a release must ring it.
  Atomics.store(new Int32Array(producerBell.sab), PARKED_INDEX, 1);
  consumer.available();
  consumer.release(2);
  assert.equal(rung(), 1, 'the release rang the producer\'s doorbell');
  assert.equal(outbox.drain(), false, 'two of three fit');
  assert.equal(flag(), 1);
  consumer.available();
  consumer.release(4);
  assert.equal(rung(), 2);
  assert.equal(outbox.drain(), true);
  assert.equal(flag(), 0, 'nothing waits any more');
  consumer.available();
  consumer.release(1);
  assert.equal(rung(), 2, 'no ring while nothing waits');
});

test('a market shard freeing slots wakes the risk thread whose outbox waits for them', { timeout: 60_000 }, async (t) => {
  const capacity = 8;
  const records = 20 * capacity;
  const riskToMarket = RingBuffer.create(capacity);
  const feederBell = Doorbell.create();
  const marketBell = Doorbell.create();
  const result = runWorker<OutboxFeederResult>(t, script, {
    ring: riskToMarket.sab,
    bell: feederBell.sab,
    marketBell: marketBell.sab,
    records,
    firstTimeUs: 1_700_000_000_000_000,
  } satisfies OutboxFeederJob);
  // The feeder is asleep with records queued before any market shard exists: from here only the market
  // shard's releases can wake it (its sleep's timeout is far beyond this test's).
  while (!feederBell.isParked()) await sleep(5);
  assert.equal(Atomics.load(riskToMarket.header, PRODUCER_PARKED_INDEX), 1);
  const host = await MarketShardHost.start({
    shardId: 0,
    markets: [DEFAULT_MARKETS[0]!],
    inputs: 2,
    gatewayBell: Doorbell.create(),
    riskBells: [feederBell],
    prebuilt: { bell: marketBell, inputs: [RingBuffer.create(capacity), riskToMarket], gatewayOut: RingBuffer.create(64), outputs: [RingBuffer.create(64)] },
  });
  try {
    const r = await result;
    assert.equal(r.queued, records - capacity);
    assert.ok(r.sleeps >= 1);
    const h = riskToMarket.header;
    while (Atomics.load(h, CONSUMER_CURSOR_INDEX) !== Atomics.load(h, PRODUCER_CURSOR_INDEX)) await sleep(5);
    assert.equal((await host.stop()).handled, records, 'every record reached the market shard, in one stream');
  } finally {
    await host.stop();
  }
});
