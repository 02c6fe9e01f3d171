import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TriggerHeap } from '../../../risk/shard/trigger-heap.js';
import { testSeed } from '../../support/seed.js';

function drain(h: TriggerHeap): [number, number, number][] {
  const out: [number, number, number][] = [];
  while (h.size > 0) {
    out.push([h.topKey(), h.topAccount(), h.topVersion()]);
    h.pop();
  }
  return out;
}

test('entries pop by key, ties by lower account, whatever order they were pushed in', () => {
  const seed = testSeed('trigger-heap order');
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 20 })), { maxLength: 300 }), (entries) => {
      const h = new TriggerHeap(2);
      entries.forEach(([k, a], i) => h.push(k, a, i));
      const popped = drain(h).map(([k, a]) => [k, a]);
      const expected = entries.map(([k, a]) => [k, a]).sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]!);
      assert.deepEqual(popped, expected);
    }),
    { seed, numRuns: 200 },
  );
});

test('compaction keeps exactly the live entries, still in heap order', () => {
  const h = new TriggerHeap(4);
  for (let i = 0; i < 100; i++) h.push(100 - i, i, i);
  h.compact((_account, version) => version % 3 === 0);
  const popped = drain(h);
  assert.equal(popped.length, 34);
  assert.deepEqual(
    popped.map((e) => e[2]),
    Array.from({ length: 34 }, (_, i) => 99 - (99 % 3) - 3 * i),
  );
});

test('popping an empty heap throws', () => {
  assert.throws(() => new TriggerHeap().pop(), RangeError);
});
