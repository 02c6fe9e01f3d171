import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Side } from '../../../engine/enums.js';
import { F_REMAINING, F_STRIDE_SHIFT, OrderPool } from '../../../engine/book/order-pool.js';
import { PriceLevels } from '../../../engine/book/price-levels.js';
import { testSeed } from '../../support/seed.js';

test('levels stay sorted with the best at the top through random appends and removals', () => {
  const seed = testSeed('price levels');
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.boolean(), fc.constantFrom(Side.BUY, Side.SELL), fc.integer({ min: 1, max: 120 })), { maxLength: 300 }), (ops) => {
      const pool = new OrderPool(1_000);
      const levels = new PriceLevels(pool);
      const open: { slot: number; side: number; price: number }[] = [];
      for (const [add, side, price] of ops) {
        levels.changes.begin();
        if (add || open.length === 0) {
          const slot = pool.alloc();
          pool.f64[(slot << F_STRIDE_SHIFT) + F_REMAINING] = 1;
          levels.append(slot, side, price);
          open.push({ slot, side, price });
        } else {
          const [o] = open.splice(price % open.length, 1);
          levels.remove(o!.slot);
          pool.free(o!.slot);
        }
        for (const s of [Side.BUY, Side.SELL]) {
          const prices = [...new Set(open.filter((o) => o.side === s).map((o) => o.price))].sort((a, b) => (s === Side.BUY ? b - a : a - b));
          assert.equal(levels.bestPrice(s), prices[0] ?? 0);
          for (const p of prices) assert.notEqual(levels.find(s, p), -1);
          assert.equal(levels.find(s, 121), -1);
          assert.equal(levels.find(s, 0), -1);
        }
      }
    }),
    { seed, numRuns: 100 },
  );
});

test('a price removed from a side is not found again', () => {
  const pool = new OrderPool(16);
  const levels = new PriceLevels(pool);
  const slot = pool.alloc();
  pool.f64[(slot << F_STRIDE_SHIFT) + F_REMAINING] = 1;
  levels.append(slot, Side.BUY, 100);
  levels.remove(slot);
  assert.equal(levels.find(Side.BUY, 100), -1);
  assert.equal(levels.best(Side.BUY), -1);
});
