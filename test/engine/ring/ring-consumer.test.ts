import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RECORD_BYTES } from '../../../engine/ring/record.js';
import { CONSUMER_CURSOR_INDEX } from '../../../engine/ring/ring-buffer-descriptor.js';
import { RingConsumer } from '../../../engine/ring/ring-consumer.js';
import { publishValues, ringSetup, takeValues } from './ring-setup.js';

test('available counts records published and not yet released', () => {
  const s = ringSetup(8);
  assert.equal(s.consumer.available(), 0);
  publishValues(s, [1, 2, 3]);
  assert.equal(s.consumer.available(), 3);
  s.consumer.release(2);
  assert.equal(s.consumer.available(), 1);
});

test('available records are read in publication order from at(0)', () => {
  const s = ringSetup(8);
  publishValues(s, [7, 8, 9]);
  s.consumer.available();
  assert.deepEqual([0, 1, 2].map((i) => s.ring.records.i32At(s.consumer.at(i), 0)), [7, 8, 9]);
});

test('release stores the consumer cursor so the producer can reuse the slots', () => {
  const s = ringSetup(4);
  publishValues(s, [1, 2, 3, 4]);
  s.consumer.available();
  s.consumer.release(3);
  assert.equal(Atomics.load(s.ring.header, CONSUMER_CURSOR_INDEX), 3);
  assert.equal(s.producer.claim(4), 3);
});

test('releasing more than available() reported is refused and changes nothing', () => {
  const s = ringSetup(8);
  publishValues(s, [1, 2]);
  assert.throws(() => s.consumer.release(1), RangeError);
  s.consumer.available();
  assert.throws(() => s.consumer.release(3), RangeError);
  assert.throws(() => s.consumer.release(-1), RangeError);
  assert.equal(Atomics.load(s.ring.header, CONSUMER_CURSOR_INDEX), 0);
  assert.deepEqual(takeValues(s, 2), [1, 2]);
});

test('a consumer built over a live ring continues from its cursor', () => {
  const s = ringSetup(8);
  publishValues(s, [1, 2, 3]);
  takeValues(s, 1);
  const again = new RingConsumer(s.ring);
  assert.equal(again.available(), 2);
  assert.equal(again.at(0), RECORD_BYTES);
});

for (const start of [0x7fff_fff0, -16, -1]) {
  test(`cursors wrap past the Int32 limits without losing count (start ${start})`, () => {
    const s = ringSetup(8, start);
    const seen: number[] = [];
    let next = 0;
    while (next < 40) {
      const n = publishValues(s, [next, next + 1, next + 2, next + 3, next + 4]);
      next += n;
      assert.equal(s.consumer.available(), n);
      seen.push(...takeValues(s, 5));
    }
    assert.deepEqual(seen, Array.from({ length: 40 }, (_, i) => i));
    assert.equal(Atomics.load(s.ring.header, CONSUMER_CURSOR_INDEX), (start + 40) | 0);
  });
}
