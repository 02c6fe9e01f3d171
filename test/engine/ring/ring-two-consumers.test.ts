// A ring read by two consumers (the disruptor's multi-consumer pattern): each reads every record with its
// own cursor, the producer reuses a slot only once both have released it, publishing rings both
// doorbells, and the first consumer can be left out of the gate and join at the head (a replay only the
// second consumer reads).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COUNTER_INDEX, Doorbell, PARKED_INDEX } from '../../../engine/ring/doorbell.js';
import { CONSUMER_CURSOR_INDEX, PRODUCER_CURSOR_INDEX, SECOND_CONSUMER_CURSOR_INDEX } from '../../../engine/ring/ring-buffer-descriptor.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../../engine/ring/ring-consumer.js';
import { RingProducer } from '../../../engine/ring/ring-producer.js';

function twoConsumers(capacity: number, startCursor = 0) {
  const ring = RingBuffer.create(capacity, 2);
  for (const i of [PRODUCER_CURSOR_INDEX, CONSUMER_CURSOR_INDEX, SECOND_CONSUMER_CURSOR_INDEX]) Atomics.store(ring.header, i, startCursor | 0);
  const bells = [Doorbell.create(), Doorbell.create()];
  const producer = new RingProducer(ring, bells);
  const first = new RingConsumer(ring);
  const secondView = RingBuffer.attach(ring.sab, 1);
  const second = new RingConsumer(secondView);
  return { ring, secondView, bells, producer, first, second };
}

function publish(ring: RingBuffer, producer: RingProducer, values: readonly number[]): number {
  const n = producer.claim(values.length);
  for (let i = 0; i < n; i++) ring.records.setI32(producer.at(i), 0, values[i]!);
  producer.publish(n);
  return n;
}

function take(view: RingBuffer, c: RingConsumer, n: number): number[] {
  const k = Math.min(n, c.available());
  const out = Array.from({ length: k }, (_, i) => view.records.i32At(c.at(i), 0));
  c.release(k);
  return out;
}

test('each of the two consumers reads every record, in order', () => {
  const s = twoConsumers(8);
  publish(s.ring, s.producer, [1, 2, 3]);
  assert.deepEqual(take(s.ring, s.first, 10), [1, 2, 3]);
  assert.deepEqual(take(s.secondView, s.second, 2), [1, 2]);
  publish(s.ring, s.producer, [4]);
  assert.deepEqual(take(s.secondView, s.second, 10), [3, 4]);
  assert.deepEqual(take(s.ring, s.first, 10), [4]);
});

test('a slot is reused only once both consumers released it, whichever is behind, across the cursor wrap', () => {
  for (const start of [0, 2 ** 31 - 2, -3]) {
    const s = twoConsumers(4, start);
    assert.equal(publish(s.ring, s.producer, [1, 2, 3, 4]), 4);
    take(s.ring, s.first, 4);
    assert.equal(s.producer.claim(1), 0, 'the second consumer still holds every slot');
    take(s.secondView, s.second, 1);
    assert.equal(s.producer.claim(4), 1);
    take(s.secondView, s.second, 3);
    assert.equal(s.producer.claim(4), 4);
    assert.equal(publish(s.ring, s.producer, [5, 6, 7, 8]), 4);
    take(s.secondView, s.second, 4);
    assert.equal(s.producer.claim(1), 0, 'now the first consumer holds them');
    take(s.ring, s.first, 2);
    assert.equal(s.producer.claim(4), 2);
  }
});

test('publishing rings the doorbells of both consumers', () => {
  const s = twoConsumers(8);
  for (const b of s.bells) Atomics.store(new Int32Array(b.sab), PARKED_INDEX, 1);
  publish(s.ring, s.producer, [1]);
  for (const b of s.bells) assert.equal(Atomics.load(new Int32Array(b.sab), COUNTER_INDEX), 1);
});

test('left out of the gate, the first consumer does not hold slots; it then joins at the head and gates again', () => {
  const s = twoConsumers(4);
  s.producer.skipFirstConsumer(true);
  for (let v = 0; v < 12; v += 4) {
    assert.equal(publish(s.ring, s.producer, [v, v + 1, v + 2, v + 3]), 4);
    assert.deepEqual(take(s.secondView, s.second, 4), [v, v + 1, v + 2, v + 3]);
  }
  s.producer.skipFirstConsumer(false);
  const joined = new RingConsumer(s.ring);
  assert.equal(joined.available(), 0, 'nothing published before it joined');
  assert.equal(publish(s.ring, s.producer, [20, 21, 22, 23]), 4);
  take(s.secondView, s.second, 4);
  assert.equal(s.producer.claim(1), 0, 'the first consumer gates again');
  assert.deepEqual(take(s.ring, joined, 4), [20, 21, 22, 23]);
  assert.equal(s.producer.claim(4), 4);
});

test('a ring has one or two consumers, a view reads as one it has, and a producer rings one doorbell per consumer', () => {
  assert.throws(() => RingBuffer.create(4, 3), RangeError);
  assert.throws(() => RingBuffer.create(4, 0), RangeError);
  const one = RingBuffer.create(4);
  assert.throws(() => RingBuffer.attach(one.sab, 1), RangeError);
  assert.throws(() => new RingProducer(one, [Doorbell.create(), Doorbell.create()]), RangeError);
  assert.throws(() => new RingProducer(one, Doorbell.create()).skipFirstConsumer(true), RangeError);
  assert.throws(() => new RingProducer(RingBuffer.create(4, 2), Doorbell.create()), RangeError);
  assert.equal(RingBuffer.attach(RingBuffer.create(4, 2).sab, 1).consumer, 1);
});
