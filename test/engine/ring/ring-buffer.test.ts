import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RECORD_BYTES } from '../../../engine/ring/record.js';
import { RingBuffer } from '../../../engine/ring/ring-buffer.js';
import {
  CONSUMER_CURSOR_INDEX,
  DATA_OFFSET,
  MAGIC_INDEX,
  PRODUCER_CURSOR_INDEX,
  PRODUCER_PARKED_INDEX,
  ringBytes,
} from '../../../engine/ring/ring-buffer-descriptor.js';

test('a new ring has the requested capacity and both cursors and the parked flag at zero', () => {
  const ring = RingBuffer.create(16);
  assert.equal(ring.capacity, 16);
  assert.equal(ring.mask, 15);
  assert.equal(ring.sab.byteLength, ringBytes(16));
  assert.equal(Atomics.load(ring.header, PRODUCER_CURSOR_INDEX), 0);
  assert.equal(Atomics.load(ring.header, CONSUMER_CURSOR_INDEX), 0);
  assert.equal(Atomics.load(ring.header, PRODUCER_PARKED_INDEX), 0);
});

test('the records view covers the data region only', () => {
  const ring = RingBuffer.create(8);
  assert.equal(ring.records.byteOffset, DATA_OFFSET);
  assert.equal(ring.records.byteLength, 8 * RECORD_BYTES);
  assert.equal(ring.records.capacity, 8);
});

test('a ring attached from its buffer sees the same memory', () => {
  const ring = RingBuffer.create(4);
  const other = RingBuffer.attach(ring.sab);
  assert.equal(other.capacity, 4);
  ring.records.setU32(ring.records.at(3), 40, 0xdeadbeef);
  assert.equal(other.records.u32At(other.records.at(3), 40), 0xdeadbeef);
});

test('a ring cannot be created with a capacity that is not a power of two', () => {
  assert.throws(() => RingBuffer.create(0), RangeError);
  assert.throws(() => RingBuffer.create(12), RangeError);
});

test('attaching a buffer that was not made by create is refused', () => {
  assert.throws(() => RingBuffer.attach(new SharedArrayBuffer(ringBytes(4))), RangeError);
  const ring = RingBuffer.create(4);
  const copy = new SharedArrayBuffer(ringBytes(8));
  new Int32Array(copy).set(new Int32Array(ring.sab).subarray(0, 32));
  assert.equal(new Int32Array(copy)[MAGIC_INDEX], new Int32Array(ring.sab)[MAGIC_INDEX]);
  assert.throws(() => RingBuffer.attach(copy), RangeError);
  assert.throws(() => RingBuffer.attach(new SharedArrayBuffer(ringBytes(4) + 128)), RangeError);
});
