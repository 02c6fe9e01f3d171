import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ClientIdIndex, OrderIdIndex } from '../../../engine/book/id-index.js';
import { F_STRIDE_SHIFT, I_ACCOUNT, I_STRIDE_SHIFT, OrderPool } from '../../../engine/book/order-pool.js';
import { testSeed } from '../../support/seed.js';

/**
 * Random inserts and removals against a Map: every lookup must agree. Ids are near-sequential, strided by
 * the ring size (all colliding in the ring) or large, so the ring, the overflow hash and resizing all run.
 */
test('orderId index lookups agree with a Map through random inserts, removals and resizes', () => {
  const seed = testSeed('order id index');
  const id = fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 40 }).map((k) => k * 64), fc.integer({ min: 1, max: 40 }).map((k) => k * 2 ** 40 + 7));
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), id), { maxLength: 400 }), (ops) => {
      const pool = new OrderPool(512);
      let ring = 16;
      const index = new OrderIdIndex(pool, ring);
      const model = new Map<number, number>();
      for (const [add, orderId] of ops) {
        if (add && !model.has(orderId)) {
          const slot = pool.alloc();
          pool.f64[slot << F_STRIDE_SHIFT] = orderId;
          if (model.size + 1 > ring / 2) index.resize((ring *= 2));
          index.insert(orderId, slot);
          model.set(orderId, slot);
        } else if (!add && model.has(orderId)) {
          const slot = model.get(orderId)!;
          index.remove(orderId);
          pool.f64[slot << F_STRIDE_SHIFT] = 0;
          pool.free(slot);
          model.delete(orderId);
        }
        for (const [k, slot] of model) assert.equal(index.find(k), slot);
        assert.equal(index.find(orderId), model.get(orderId) ?? -1);
      }
    }),
    { seed, numRuns: 100 },
  );
});

test('the client-id index keys on account and clientOrderId together', () => {
  const pool = new OrderPool(16);
  pool.useClientIds();
  const index = new ClientIdIndex(pool);
  const a = pool.alloc();
  const b = pool.alloc();
  pool.i32[(a << I_STRIDE_SHIFT) + I_ACCOUNT] = 1;
  pool.i32[(b << I_STRIDE_SHIFT) + I_ACCOUNT] = 2;
  pool.clientOrderId[a] = 7;
  pool.clientOrderId[b] = 7;
  index.insert(a);
  index.insert(b);
  assert.deepEqual([index.find(1, 7), index.find(2, 7), index.find(3, 7), index.find(1, 8)], [a, b, -1, -1]);
  index.remove(a);
  assert.deepEqual([index.find(1, 7), index.find(2, 7)], [-1, b]);
});

test('the client-id index grows by its own count and keeps every entry', () => {
  const pool = new OrderPool(4_096);
  pool.useClientIds();
  const index = new ClientIdIndex(pool);
  const slots: number[] = [];
  for (let i = 0; i < 1_000; i++) {
    const s = pool.alloc();
    pool.i32[(s << I_STRIDE_SHIFT) + I_ACCOUNT] = i % 7;
    pool.clientOrderId[s] = 1 + Math.floor(i / 7);
    index.insert(s);
    slots.push(s);
  }
  slots.forEach((s, i) => assert.equal(index.find(i % 7, 1 + Math.floor(i / 7)), s));
  for (const s of slots.slice(0, 500)) index.remove(s);
  slots.forEach((s, i) => assert.equal(index.find(i % 7, 1 + Math.floor(i / 7)), i < 500 ? -1 : s));
});
