import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F_PRICE, F_STRIDE_SHIFT, OrderPool } from '../../../engine/book/order-pool.js';

test('the pool starts small and doubles up to its limit, keeping what it holds', () => {
  const pool = new OrderPool(3_000);
  assert.equal(pool.capacity, 1_024);
  const slots: number[] = [];
  for (let i = 0; i < 3_000; i++) {
    const s = pool.alloc();
    pool.f64[(s << F_STRIDE_SHIFT) + F_PRICE] = i;
    slots.push(s);
  }
  assert.equal(pool.capacity, 3_000);
  assert.equal(pool.alloc(), -1);
  slots.forEach((s, i) => assert.equal(pool.priceTicks(s), i));
});

test('freed slots are reused before the pool grows', () => {
  const pool = new OrderPool(2);
  const a = pool.alloc();
  pool.alloc();
  pool.free(a);
  assert.equal(pool.alloc(), a);
  assert.equal(pool.used, 2);
});

test('a slot costs 64 bytes until orders need client ids, triggers or reduce-only links', () => {
  const pool = new OrderPool(1_000);
  assert.equal(pool.byteLength(), 1_000 * 64);
  pool.useClientIds();
  pool.useTriggers();
  pool.useReduceOnlyLinks();
  assert.equal(pool.byteLength(), 1_000 * 88);
});

test('cold arrays, once used, grow with the pool and keep their values', () => {
  const pool = new OrderPool(4_096);
  const a = pool.alloc();
  pool.useClientIds();
  pool.clientOrderId[a] = 42;
  for (let i = 0; i < 2_000; i++) pool.alloc();
  assert.equal(pool.clientOrderId.length, pool.capacity);
  assert.equal(pool.clientOrderId[a], 42);
});
