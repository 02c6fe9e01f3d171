import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RECORD_BYTES } from '../../../engine/ring/record.js';
import {
  CACHE_LINE_BYTES,
  CAPACITY_OFFSET,
  CONSUMER_CURSOR_OFFSET,
  DATA_OFFSET,
  HEADER_BYTES,
  MAGIC_OFFSET,
  MAX_CAPACITY,
  PRODUCER_CURSOR_OFFSET,
  PRODUCER_PARKED_OFFSET,
  RECORD_BYTES_OFFSET,
  CONSUMERS_OFFSET,
  SECOND_CONSUMER_CURSOR_OFFSET,
  capacityOf,
  checkCapacity,
  isValidCapacity,
  ringBytes,
} from '../../../engine/ring/ring-buffer-descriptor.js';

const line = (offset: number): number => Math.floor(offset / CACHE_LINE_BYTES);

test('the producer cursor, both consumer cursors and the producer-parked flag each sit alone on a 128-byte line', () => {
  const hot = [PRODUCER_CURSOR_OFFSET, CONSUMER_CURSOR_OFFSET, PRODUCER_PARKED_OFFSET, SECOND_CONSUMER_CURSOR_OFFSET];
  const descriptorLines = [MAGIC_OFFSET, CAPACITY_OFFSET, RECORD_BYTES_OFFSET, CONSUMERS_OFFSET].map(line);
  assert.equal(CACHE_LINE_BYTES, 128);
  assert.equal(new Set(hot.map(line)).size, hot.length);
  for (const offset of hot) {
    assert.equal(offset % CACHE_LINE_BYTES, 0);
    assert.ok(!descriptorLines.includes(line(offset)));
  }
});

test('the data region starts on a line boundary right after the header', () => {
  assert.equal(DATA_OFFSET, HEADER_BYTES);
  assert.equal(DATA_OFFSET % CACHE_LINE_BYTES, 0);
  assert.equal(line(DATA_OFFSET), line(SECOND_CONSUMER_CURSOR_OFFSET) + 1);
});

test('a ring is its header plus capacity records, and the size gives the capacity back', () => {
  assert.equal(HEADER_BYTES, 5 * CACHE_LINE_BYTES);
  for (const capacity of [1, 2, 64, 4096]) {
    assert.equal(ringBytes(capacity), HEADER_BYTES + capacity * RECORD_BYTES);
    assert.equal(capacityOf(ringBytes(capacity)), capacity);
  }
});

test('capacity must be a power of two between 1 and 2^30', () => {
  for (const ok of [1, 2, 4, 1024, MAX_CAPACITY]) assert.equal(isValidCapacity(ok), true, String(ok));
  for (const bad of [0, -2, 3, 100, 2 ** 31, 2 ** 32, MAX_CAPACITY * 2, 0.5, Number.NaN]) {
    assert.equal(isValidCapacity(bad), false, String(bad));
    assert.throws(() => checkCapacity(bad), RangeError);
  }
});

test('a buffer size that is not a header plus a power-of-two count of records has no capacity', () => {
  assert.throws(() => capacityOf(HEADER_BYTES), RangeError);
  assert.throws(() => capacityOf(HEADER_BYTES + 3 * RECORD_BYTES), RangeError);
  assert.throws(() => capacityOf(HEADER_BYTES + 4 * RECORD_BYTES + 8), RangeError);
});
