import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COUNTER_INDEX, PARKED_INDEX } from '../../../engine/ring/doorbell.js';
import { RECORD_BYTES } from '../../../engine/ring/record.js';
import { CONSUMER_CURSOR_INDEX, PRODUCER_CURSOR_INDEX } from '../../../engine/ring/ring-buffer-descriptor.js';
import { RingProducer } from '../../../engine/ring/ring-producer.js';
import { SpinThenPark } from '../../../engine/ring/spin-then-park.js';
import { publishValues, ringSetup, takeValues } from './ring-setup.js';

test('claim grants the requested slots while there is room, at consecutive offsets', () => {
  const { producer } = ringSetup(8);
  assert.equal(producer.claim(3), 3);
  assert.deepEqual([0, 1, 2].map((i) => producer.at(i)), [0, RECORD_BYTES, 2 * RECORD_BYTES]);
});

test('claim grants no more than the free slots', () => {
  const s = ringSetup(8);
  publishValues(s, [1, 2, 3, 4, 5]);
  assert.equal(s.producer.claim(10), 3);
});

test('claim never grants more than the capacity', () => {
  const { producer } = ringSetup(4);
  assert.equal(producer.claim(1000), 4);
});

test('claim of zero or a negative count grants nothing', () => {
  const { producer } = ringSetup(4);
  assert.equal(producer.claim(0), 0);
  assert.equal(producer.claim(-3), 0);
});

test('claimed slots are invisible to the consumer until published', () => {
  const { producer, consumer } = ringSetup(8);
  producer.claim(4);
  assert.equal(consumer.available(), 0);
  producer.publish(4);
  assert.equal(consumer.available(), 4);
});

test('a partial publish leaves the rest claimed, starting at at(0)', () => {
  const { producer, consumer } = ringSetup(8);
  producer.claim(5);
  const third = producer.at(2);
  producer.publish(2);
  assert.equal(consumer.available(), 2);
  assert.equal(producer.at(0), third);
  producer.publish(3);
  assert.equal(consumer.available(), 5);
  assert.throws(() => producer.publish(1), RangeError);
});

test('publishing more than was claimed is refused and changes nothing', () => {
  const { ring, producer, consumer } = ringSetup(8);
  producer.claim(2);
  assert.throws(() => producer.publish(3), RangeError);
  assert.throws(() => producer.publish(1.5), RangeError);
  assert.equal(Atomics.load(ring.header, PRODUCER_CURSOR_INDEX), 0);
  assert.equal(consumer.available(), 0);
});

test('a full ring grants 0 and changes neither cursors, records nor what the consumer sees', () => {
  const s = ringSetup(4);
  assert.equal(publishValues(s, [10, 11, 12, 13]), 4);
  const before = Array.from(new Int32Array(s.ring.sab));
  assert.equal(s.producer.claim(1), 0);
  s.producer.publish(0);
  assert.deepEqual(Array.from(new Int32Array(s.ring.sab)), before);
  assert.deepEqual(takeValues(s, 4), [10, 11, 12, 13]);
});

test('slots released by the consumer can be claimed again', () => {
  const s = ringSetup(4);
  publishValues(s, [1, 2, 3, 4]);
  assert.equal(s.producer.claim(2), 0);
  takeValues(s, 3);
  assert.equal(s.producer.claim(2), 2);
  assert.equal(s.producer.claim(8), 3);
});

test('records wrap around the end of the data region in order', () => {
  const s = ringSetup(4);
  const seen: number[] = [];
  for (let v = 0; v < 22; v += 3) {
    publishValues(s, [v, v + 1, v + 2]);
    seen.push(...takeValues(s, 3));
  }
  assert.deepEqual(seen, Array.from({ length: 24 }, (_, i) => i));
});

test('a producer built over a live ring continues from its cursors', () => {
  const s = ringSetup(8);
  publishValues(s, [1, 2, 3]);
  takeValues(s, 1);
  const again = new RingProducer(s.ring, s.bell);
  assert.equal(again.claim(8), 6);
  assert.equal(again.at(0), 3 * RECORD_BYTES);
});

test('publish rings the doorbell only when the consumer is parked', () => {
  const s = ringSetup(8);
  const bell = new Int32Array(s.bell.sab);
  publishValues(s, [1]);
  assert.equal(Atomics.load(bell, COUNTER_INDEX), 0);
  Atomics.store(bell, PARKED_INDEX, 1);
  publishValues(s, [2]);
  assert.equal(Atomics.load(bell, COUNTER_INDEX), 1);
});

test('awaitSpace returns at once when the ring has room', () => {
  const s = ringSetup(4);
  publishValues(s, [1, 2]);
  s.producer.awaitSpace(2, new SpinThenPark(0, 60_000));
  assert.equal(s.producer.claim(4), 2);
});

test('awaitSpace on a full ring returns false at once when it is not to keep waiting (a stopping shard)', () => {
  const s = ringSetup(4);
  assert.equal(s.producer.claim(4), 4);
  s.producer.publish(4);
  assert.equal(s.producer.awaitSpace(1, new SpinThenPark(0, 60_000), () => false), false);
  assert.equal(s.producer.claim(1), 0, 'nothing was freed or claimed');
});

test('awaitSpace refuses a count the ring can never hold', () => {
  const { producer } = ringSetup(4);
  assert.throws(() => producer.awaitSpace(5, new SpinThenPark()), RangeError);
  assert.throws(() => producer.awaitSpace(0, new SpinThenPark()), RangeError);
});

test('the producer reads the consumer cursor only when its cached value says there is not room', () => {
  const s = ringSetup(4);
  publishValues(s, [1, 2, 3, 4]);
  takeValues(s, 4);
  assert.equal(s.producer.claim(1), 1);
  // The cache now holds consumer cursor 4 (4 free). Moving the shared cursor back (2 free) is invisible
  // while the cache says the claim fits, and seen as soon as it does not.
  Atomics.store(s.ring.header, CONSUMER_CURSOR_INDEX, 2);
  assert.equal(s.producer.claim(4), 4);
  assert.equal(s.producer.claim(5), 4);
  s.producer.publish(2);
  assert.equal(s.producer.claim(3), 0);
});
