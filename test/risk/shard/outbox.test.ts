import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Doorbell } from '../../../engine/ring/doorbell.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import { RingConsumer } from '../../../engine/ring/ring-consumer.js';
import { Outbox } from '../../../risk/shard/outbox.js';

/** A ring of `capacity` slots with an outbox writing into it and a consumer reading it, on this thread. */
function setup(capacity: number): { outbox: Outbox; consumer: RingConsumer; ring: RingBuffer; src: RecordBuffer } {
  const ring = RingBuffer.create(capacity);
  return { outbox: new Outbox(ring, Doorbell.create()), consumer: new RingConsumer(ring), ring, src: RecordBuffer.allocate(1) };
}

/** Appends records marked 1..n in their account field. */
function appendMarked(outbox: Outbox, src: RecordBuffer, from: number, to: number): void {
  for (let i = from; i <= to; i++) {
    src.clear(0);
    src.setAccountId(0, i);
    outbox.append(src, 0);
  }
}

/** Reads up to n published records as [account mark, seq] and releases them. */
function read(consumer: RingConsumer, ring: RingBuffer, n = Infinity): [number, number][] {
  const available = Math.min(consumer.available(), n);
  const out: [number, number][] = [];
  for (let i = 0; i < available; i++) out.push([ring.records.accountId(consumer.at(i)), ring.records.seq(consumer.at(i))]);
  consumer.release(available);
  return out;
}

test('records that find the ring full wait in memory and leave in order, each once, as slots free up', () => {
  const { outbox, consumer, ring, src } = setup(8);
  appendMarked(outbox, src, 1, 20);
  outbox.flush();
  assert.equal(outbox.pending(), 12);
  const got = read(consumer, ring, 5);
  outbox.flush();
  assert.equal(outbox.pending(), 7);
  while (outbox.pending() > 0 || consumer.available() > 0) {
    got.push(...read(consumer, ring, 3));
    outbox.flush();
  }
  assert.deepEqual(got, Array.from({ length: 20 }, (_, i) => [i + 1, i + 1]));
  assert.equal(outbox.queuedTotal, 12);
});

test('a record appended behind queued ones queues too, even when the ring has room again', () => {
  const { outbox, consumer, ring, src } = setup(4);
  appendMarked(outbox, src, 1, 6);
  outbox.flush();
  assert.deepEqual(read(consumer, ring), [[1, 1], [2, 2], [3, 3], [4, 4]]);
  appendMarked(outbox, src, 7, 7);
  assert.equal(outbox.pending(), 3);
  assert.equal(outbox.drain(), true);
  assert.deepEqual(read(consumer, ring), [[5, 5], [6, 6], [7, 7]]);
});

test('the stream numbering is the same whether records waited or not', () => {
  const small = setup(2);
  const large = setup(64);
  appendMarked(small.outbox, small.src, 1, 10);
  appendMarked(large.outbox, large.src, 1, 10);
  large.outbox.flush();
  const waited: [number, number][] = [];
  while (waited.length < 10) {
    small.outbox.flush();
    waited.push(...read(small.consumer, small.ring));
  }
  assert.deepEqual(waited, read(large.consumer, large.ring));
  assert.equal(small.outbox.nextSeq, 11);
});

test('drain reports whether anything is still pending', () => {
  const { outbox, consumer, ring, src } = setup(2);
  assert.equal(outbox.drain(), true);
  appendMarked(outbox, src, 1, 3);
  outbox.flush();
  assert.equal(outbox.drain(), false);
  read(consumer, ring);
  assert.equal(outbox.drain(), true);
});
