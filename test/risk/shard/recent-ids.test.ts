// RecentIds: the bounded idempotency window of accepted order ids. Removal (an order the market refused)
// keeps the others in their order, in a window still filling and in a full one laid out as a ring.

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
      }
    }),
    { seed },
  );
});
