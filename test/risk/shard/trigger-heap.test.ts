import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TriggerHeap } from '../../../risk/shard/trigger-heap.js';
import { testSeed } from '../../support/seed.js';

function drain(h: TriggerHeap): [number, number][] {
  const out: [number, number][] = [];
  while (h.size > 0) {
    const id = h.topId();
    out.push([h.topKey(), id]);
    h.pop();
    assert.equal(h.has(id), false);
  }
  return out;
}

// Entries: [order key, account id]; the entry id is the index in the list, the account id is unique.
const entriesArb = fc.uniqueArray(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 400 })), { maxLength: 300, selector: ([, a]) => a });

test('entries pop by key, ties by lower account, whatever order they were inserted in', () => {
  const seed = testSeed('trigger-heap order');
  fc.assert(
    fc.property(entriesArb, (entries) => {
      const h = new TriggerHeap(2);
      entries.forEach(([k, a], id) => h.insert(id, k, a));
      const expected = entries.map(([k, a], id) => [k, a, id] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      assert.deepEqual(drain(h), expected.map(([k, , id]) => [k, id]));
    }),
    { seed, numRuns: 200 },
  );
});

test('removing any entries leaves exactly the others in pop order, and every index stays right', () => {
  const seed = testSeed('trigger-heap remove');
  fc.assert(
    fc.property(entriesArb, fc.array(fc.nat(), { maxLength: 150 }), (entries, picks) => {
      const h = new TriggerHeap(2);
      entries.forEach(([k, a], id) => h.insert(id, k, a));
      const gone = new Set<number>();
      for (const p of picks) {
        if (entries.length === 0) break;
        const id = p % entries.length;
        h.remove(id);
        gone.add(id);
        assert.equal(h.has(id), false);
        h.forEach((_k, _a, x) => assert.equal(h.has(x), true));
      }
      assert.equal(h.size, entries.length - gone.size);
      const expected = entries
        .map(([k, a], id) => [k, a, id] as const)
        .filter(([, , id]) => !gone.has(id))
        .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      assert.deepEqual(drain(h), expected.map(([k, , id]) => [k, id]));
    }),
    { seed, numRuns: 200 },
  );
});

test('an id is in a heap at most once, can come back after it left, and popping an empty heap throws', () => {
  const h = new TriggerHeap(1);
  h.insert(5, 10, 7);
  assert.throws(() => h.insert(5, 11, 7), RangeError);
  h.remove(5);
  h.remove(5);
  h.remove(1_000);
  assert.equal(h.size, 0);
  h.insert(5, 3, 7);
  assert.deepEqual([h.topKey(), h.topId()], [3, 5]);
  h.pop();
  assert.throws(() => h.pop(), RangeError);
});
