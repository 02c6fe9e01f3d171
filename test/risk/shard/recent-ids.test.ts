// RecentIds: the bounded idempotency window of accepted order ids. Removal (an order the market refused)
// keeps the others in their order, in a window still filling and in a full one laid out as a ring. While
// the ids came in ascending order the ring alone answers has(); the first id out of that order builds a
// Set: both must answer as the reference list, whichever mode the window is in.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RecentIds } from '../../../risk/shard/recent-ids.js';
import { testSeed } from '../../support/seed.js';

test('removing an id keeps the others oldest first, and the window fills and evicts as before', () => {
  const w = new RecentIds(4);
  for (const id of [1, 2, 3, 4, 5, 6]) w.add(id); // full ring: 3 4 5 6
  w.remove(5);
  assert.deepEqual([...w.inOrder()], [3, 4, 6]);
  assert.equal(w.has(5), false);
  w.add(7);
  w.add(8); // evicts 3
  assert.deepEqual([...w.inOrder()], [4, 6, 7, 8]);
  w.remove(99);
  assert.deepEqual([...w.inOrder()], [4, 6, 7, 8]);
});

test('a window with removals behaves as a reference list (property)', () => {
  const seed = testSeed('recent-ids removal');
  const op = fc.oneof(fc.record({ add: fc.integer({ min: 1, max: 12 }) }), fc.record({ remove: fc.integer({ min: 1, max: 12 }) }));
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 60 }), (capacity, ops) => {
      const w = new RecentIds(capacity);
      const ref: number[] = [];
      for (const o of ops) {
        if ('add' in o) {
          w.add(o.add);
          if (!ref.includes(o.add)) {
            ref.push(o.add);
            if (ref.length > capacity) ref.shift();
          }
        } else {
          w.remove(o.remove);
          const i = ref.indexOf(o.remove);
          if (i >= 0) ref.splice(i, 1);
        }
        assert.deepEqual([...w.inOrder()], ref);
        assert.equal(w.size, ref.length);
        for (let id = 0; id <= 13; id++) assert.equal(w.has(id), ref.includes(id), `has(${id})`);
      }
    }),
    { seed },
  );
});

test('a window of mostly rising ids (a gateway counter, some retries and refusals) answers as a reference list (property)', () => {
  const seed = testSeed('recent-ids rising');
  const op = fc.oneof(
    { weight: 6, arbitrary: fc.record({ next: fc.integer({ min: 1, max: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ add: fc.integer({ min: 1, max: 60 }) }) },
    { weight: 2, arbitrary: fc.record({ remove: fc.integer({ min: 1, max: 60 }) }) },
    { weight: 1, arbitrary: fc.record({ removeNewest: fc.constant(true) }) },
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 9 }), fc.array(op, { maxLength: 80 }), (capacity, ops) => {
      const w = new RecentIds(capacity);
      const ref: number[] = [];
      let counter = 0;
      const add = (id: number): void => {
        w.add(id);
        if (!ref.includes(id)) {
          ref.push(id);
          if (ref.length > capacity) ref.shift();
        }
      };
      const remove = (id: number): void => {
        w.remove(id);
        const i = ref.indexOf(id);
        if (i >= 0) ref.splice(i, 1);
      };
      for (const o of ops) {
        if ('next' in o) add((counter += o.next));
        else if ('add' in o) add(o.add);
        else if ('remove' in o) remove(o.remove);
        else if (ref.length > 0) remove(ref[ref.length - 1]!);
        assert.deepEqual([...w.inOrder()], ref);
        assert.equal(w.size, ref.length);
        for (let id = 0; id <= counter + 2; id++) assert.equal(w.has(id), ref.includes(id), `has(${id})`);
      }
    }),
    { seed },
  );
});
