// Test helper: a ring whose cursors start at a chosen value (to cross the Int32 wrap points), with its
// producer, consumer and doorbell, all on the calling thread.

import { Doorbell } from '../../../engine/ring/doorbell.js';
import { CONSUMER_CURSOR_INDEX, PRODUCER_CURSOR_INDEX } from '../../../engine/ring/ring-buffer-descriptor.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../../engine/ring/ring-consumer.js';
import { RingProducer } from '../../../engine/ring/ring-producer.js';

export interface RingSetup {
  ring: RingBuffer;
  bell: Doorbell;
  producer: RingProducer;
  consumer: RingConsumer;
}

export function ringSetup(capacity: number, startCursor = 0): RingSetup {
  const ring = RingBuffer.create(capacity);
  Atomics.store(ring.header, PRODUCER_CURSOR_INDEX, startCursor | 0);
  Atomics.store(ring.header, CONSUMER_CURSOR_INDEX, startCursor | 0);
  const bell = Doorbell.create();
  return { ring, bell, producer: new RingProducer(ring, bell), consumer: new RingConsumer(ring) };
}

/** Claims, stamps `values` into word 0 of each slot, publishes them all; returns how many went in. */
export function publishValues({ ring, producer }: RingSetup, values: readonly number[]): number {
  const n = producer.claim(values.length);
  for (let i = 0; i < n; i++) ring.records.setI32(producer.at(i), 0, values[i]!);
  producer.publish(n);
  return n;
}

/** Reads word 0 of the first n available records and releases them. */
export function takeValues({ ring, consumer }: RingSetup, n: number): number[] {
  const out: number[] = [];
  const available = consumer.available();
  const take = Math.min(n, available);
  for (let i = 0; i < take; i++) out.push(ring.records.i32At(consumer.at(i), 0));
  consumer.release(take);
  return out;
}
