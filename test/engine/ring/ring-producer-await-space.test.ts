// Back-pressure across threads: a producer waiting for space sleeps, and the consumer's release wakes it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import { PRODUCER_PARKED_INDEX } from '../../../engine/ring/ring-buffer-descriptor.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../../engine/ring/ring-consumer.js';
import { runWorker } from './run-worker.js';
import type { SpaceWaiterJob, SpaceWaiterResult } from './space-waiter.worker.js';

const script = new URL('./space-waiter.worker.js', import.meta.url);

test('a producer parked on a full ring is woken by the consumer releasing a slot', { timeout: 20_000 }, async (t) => {
  const ring = RingBuffer.create(4);
  const bell = Doorbell.create();
  const result = runWorker<SpaceWaiterResult>(t, script, { ringSab: ring.sab, bellSab: bell.sab } satisfies SpaceWaiterJob);
  while (Atomics.load(ring.header, PRODUCER_PARKED_INDEX) === 0) await sleep(5);

  const consumer = new RingConsumer(ring);
  assert.equal(consumer.available(), 4);
  consumer.release(1);
  const got = await result;

  assert.equal(got.grantedWhenFull, 0);
  assert.equal(got.gotSpace, true);
  assert.equal(Atomics.load(ring.header, PRODUCER_PARKED_INDEX), 0);
  assert.equal(consumer.available(), 4);
  assert.deepEqual([0, 1, 2, 3].map((i) => ring.records.i32At(consumer.at(i), 0)), [2, 3, 4, 5]);
});

test('a producer parked on a full ring whose consumer is gone gives up when told to stop and woken', { timeout: 20_000 }, async (t) => {
  const ring = RingBuffer.create(4);
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const result = runWorker<SpaceWaiterResult>(t, script, { ringSab: ring.sab, bellSab: Doorbell.create().sab, stopSab: stop.buffer as SharedArrayBuffer } satisfies SpaceWaiterJob);
  while (Atomics.load(ring.header, PRODUCER_PARKED_INDEX) === 0) await sleep(5);
  // Nobody will ever release a slot: the stop flag and a wake-up are all the producer gets.
  Atomics.store(stop, 0, 1);
  ring.wakeProducer();
  const got = await result;
  assert.equal(got.gotSpace, false);
  assert.equal(new RingConsumer(ring).available(), 4, 'nothing more was written');
});
