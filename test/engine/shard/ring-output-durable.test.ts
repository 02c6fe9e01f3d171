// A gateway-bound output of a journaling shard (ring-output.ts, `durable`) wakes the gateway only when
// what it publishes is releasable at once (its first stamp below the shard's durable cut); otherwise the
// journal writer's wake-up after the batch that makes it durable is the one the gateway needs. The
// doorbell's counter moves only when a ring reaches a parked consumer, so it tells whether one was sent.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COUNTER_INDEX, Doorbell } from '../../../engine/ring/doorbell.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../../engine/ring/ring-consumer.js';
import { SpinThenPark } from '../../../engine/ring/spin-then-park.js';
import { DurableCut, InputStamp } from '../../../engine/shard/input-stamp.js';
import { RingOutput } from '../../../engine/shard/ring-output.js';

/** Publishes one record stamped `position` while the consumer is parked; true when that rang its doorbell. */
async function rangWhileParked(position: number, cutLow: number | undefined): Promise<{ rang: boolean; published: number }> {
  const ring = RingBuffer.create(16);
  const bell = Doorbell.create();
  const stamp = new InputStamp();
  const cuts = new SharedArrayBuffer(8);
  Atomics.store(new Int32Array(cuts), 1, cutLow ?? 0);
  const out = new RingOutput(ring, bell, new SpinThenPark(), 1, () => true, stamp, cutLow === undefined ? undefined : new DurableCut(cuts, 1));
  const counter = () => Atomics.load(new Int32Array(bell.sab), COUNTER_INDEX);
  // parkAsync raises the parked flag before its first await: the consumer is parked from here on.
  const parked = bell.parkAsync(() => false, 500);
  const before = counter();
  stamp.position = position;
  out.append(RecordBuffer.allocate(1), 0);
  out.flush();
  const rang = counter() !== before;
  // Release the park ourselves (a pending waitAsync keeps no event loop alive), holding the loop open.
  const keepAlive = setTimeout(() => {}, 1_000);
  bell.ring();
  await parked;
  clearTimeout(keepAlive);
  return { rang, published: new RingConsumer(ring).available() };
}

test('a batch whose input is not durable yet is published without waking the gateway', async () => {
  assert.deepEqual(await rangWhileParked(7, 5), { rang: false, published: 1 });
});

test('a batch whose input is durable already wakes the gateway', async () => {
  assert.deepEqual(await rangWhileParked(4, 5), { rang: true, published: 1 });
});

test('an output without a durable cut wakes its consumer on every publish', async () => {
  assert.deepEqual(await rangWhileParked(7, undefined), { rang: true, published: 1 });
});

test('a second consumer of the ring (surveillance following the gateway) is woken even when the batch is not releasable', async () => {
  const ring = RingBuffer.create(16, 2);
  const gateway = Doorbell.create();
  const follower = Doorbell.create();
  const stamp = new InputStamp();
  const cuts = new SharedArrayBuffer(4);
  const out = new RingOutput(ring, [gateway, follower], new SpinThenPark(), 1, () => true, stamp, new DurableCut(cuts, 0));
  const counter = (b: Doorbell) => Atomics.load(new Int32Array(b.sab), COUNTER_INDEX);
  const parks = [gateway.parkAsync(() => false, 500), follower.parkAsync(() => false, 500)];
  const before = [counter(gateway), counter(follower)];
  stamp.position = 3;
  out.append(RecordBuffer.allocate(1), 0);
  out.flush();
  const rang = [counter(gateway) !== before[0], counter(follower) !== before[1]];
  const keepAlive = setTimeout(() => {}, 1_000);
  gateway.ring();
  follower.ring();
  await Promise.all(parks);
  clearTimeout(keepAlive);
  assert.deepEqual(rang, [false, true]);
});
