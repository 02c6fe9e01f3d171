// OrderMap (risk/shard/order-map.ts): after any sequence of listings, removals, fills, amendments and
// price resolutions, with orders mostly priced better than the mark and some worse, the order costs read
// from its columns (running sums, best-first lists) equal the same costs read from the order objects (an
// array of them, which has no columns: one pass over them and a heap, the full recomputation), the
// columns hold exactly the map's orders, and the best-first lists pass their self-check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { OrderOrigin, Side } from '../../../engine/enums.js';
import { numberTiers } from '../../../risk/margin-number.js';
import { incrementalOrderCostNumber, NumberCostContext, openLotsOnSide, openOrdersCostNumber, type NumberOrders } from '../../../risk/order-cost-number.js';
import { OrderMap, SMALL_ORDERS } from '../../../risk/shard/order-map.js';
import { OpenOrderState } from '../../../risk/shard/state.js';
import { DEFAULT_TIERS } from '../../../risk/tiers.js';
import { testSeed } from '../../support/seed.js';

const MARK = 600_000;
const HUGE = 1n << 60n;

const op = fc.oneof(
  fc.record({ kind: fc.constant('list' as const), id: fc.integer({ min: 1, max: 12 }), side: fc.constantFrom(Side.BUY, Side.SELL), offset: fc.integer({ min: -300, max: 3_000 }), qty: fc.integer({ min: 0, max: 40 }), reduceOnly: fc.boolean(), huge: fc.integer({ min: 0, max: 19 }) }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('fill' as const), id: fc.integer({ min: 1, max: 12 }), lots: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ kind: fc.constant('amend' as const), id: fc.integer({ min: 1, max: 12 }), qty: fc.integer({ min: 0, max: 60 }), huge: fc.integer({ min: 0, max: 19 }) }),
  fc.record({ kind: fc.constant('price' as const), id: fc.integer({ min: 1, max: 12 }), offset: fc.integer({ min: -300, max: 3_000 }), huge: fc.integer({ min: 0, max: 19 }) }),
  fc.record({ kind: fc.constant('clear' as const), rare: fc.integer({ min: 0, max: 9 }) }),
);

/** A quote `offset` ticks away from the mark on its own side (a negative offset: priced worse than the mark). */
function quote(side: Side, offset: number): bigint {
  return BigInt(side === Side.BUY ? MARK - offset : MARK + offset);
}

function context(q: number, mark: number): NumberCostContext {
  const c = new NumberCostContext();
  c.positionQtyLots = q;
  c.markTicks = mark;
  c.atomsPerTickLot = 100;
  c.tiers = numberTiers(DEFAULT_TIERS);
  c.leverage = 20;
  c.takerFeeRate = 50_000;
  return c;
}

function same(a: number, b: number, what: string): void {
  assert.ok(Object.is(a, b), `${what}: columns ${a}, objects ${b}`);
}

test('order costs read from an OrderMap\'s columns equal the costs read from its orders', () => {
  const seed = testSeed('order-map');
  fc.assert(
    fc.property(fc.array(op, { maxLength: 60 }), fc.integer({ min: -80, max: 80 }), fc.integer({ min: -200, max: 200 }), (ops, q, markMove) => {
      const map = new OrderMap();
      const objects: NumberOrders = { values: () => [...map.values()].values() };
      for (const o of ops) {
        const order = 'id' in o ? map.get(o.id) : undefined;
        if (o.kind === 'list') {
          const price = o.huge === 0 ? HUGE : quote(o.side, o.offset);
          map.set(o.id, new OpenOrderState(o.id, 0, 1, o.side, price, BigInt(o.qty), o.reduceOnly, OrderOrigin.USER));
        } else if (o.kind === 'delete') map.delete(o.id);
        else if (o.kind === 'clear') {
          if (o.rare === 0) map.clear();
        } else if (order !== undefined) {
          if (o.kind === 'fill') order.filled(o.lots, Math.max(0, order.remainingN - o.lots));
          else if (o.kind === 'amend') order.remainingLots = o.huge === 0 ? HUGE : BigInt(o.qty);
          else order.priceTicks = o.huge === 0 ? HUGE : quote(order.side, o.offset);
        }
        const c = map.columns;
        assert.equal(c.count, map.size);
        assert.equal(c.checkRanks(), undefined, 'best-first lists');
        for (const v of map.values()) {
          assert.equal(c.held[v.slot], v);
          same(c.prices[v.slot]!, v.priceN, 'price column');
          same(c.remaining[v.slot]!, v.remainingN, 'remaining column');
        }
        const ctx = context(q, MARK + markMove);
        same(openOrdersCostNumber(map, ctx), openOrdersCostNumber(objects, ctx), 'open-order cost');
        for (const side of [Side.BUY, Side.SELL]) {
          same(openLotsOnSide(map, side), openLotsOnSide(objects, side), 'open lots');
          const extra = { side, priceN: MARK + markMove, remainingN: 7, reduceOnly: false };
          same(incrementalOrderCostNumber(map, extra, ctx), incrementalOrderCostNumber(objects, extra, ctx), 'increment');
        }
      }
    }),
    { seed, numRuns: 300 },
  );
});

test('an order listed in one OrderMap cannot be listed again', () => {
  const a = new OrderMap();
  const o = new OpenOrderState(1, 0, 1, Side.BUY, 100n, 5n, false, OrderOrigin.USER);
  a.set(1, o);
  assert.throws(() => new OrderMap().set(1, o), RangeError);
  assert.throws(() => a.set(2, o), RangeError);
  a.set(1, o);
  assert.equal(a.columns.count, 1);
  a.delete(1);
  new OrderMap().set(1, o);
});

// The small form (an array up to SMALL_ORDERS orders, a Map past it, an array again at half of it):
// against a Map of the same orders, across the threshold both ways, every read (size, get, has, the
// iteration orders of keys, values, entries, forEach) and the columns' running sums.
const growOp = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('list' as const), id: fc.integer({ min: 1, max: 24 }), side: fc.constantFrom(Side.BUY, Side.SELL), qty: fc.integer({ min: 0, max: 40 }), reduceOnly: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 1, max: 24 }) }) },
);
const shrinkOp = fc.oneof(
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('list' as const), id: fc.integer({ min: 1, max: 24 }), side: fc.constantFrom(Side.BUY, Side.SELL), qty: fc.integer({ min: 0, max: 40 }), reduceOnly: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.integer({ min: 1, max: 24 }), listed: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('fill' as const), id: fc.integer({ min: 1, max: 24 }), lots: fc.integer({ min: 0, max: 40 }) }) },
);

test('an OrderMap reads like a Map of the same orders, small or large', () => {
  const seed = testSeed('order-map-model');
  let promoted = 0;
  let demoted = 0;
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.array(growOp, { maxLength: 40 }), fc.array(shrinkOp, { maxLength: 40 })), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 9 }), (phases, clearAt) => {
      const map = new OrderMap();
      const model = new Map<number, OpenOrderState>();
      let big = false;
      const ops = phases.flat(2);
      ops.forEach((o, step) => {
        if (o.kind === 'list') {
          const order = new OpenOrderState(o.id, 0, 1, o.side, quote(o.side, o.id * 10), BigInt(o.qty), o.reduceOnly, OrderOrigin.USER);
          map.set(o.id, order);
          model.set(o.id, order);
        } else if (o.kind === 'delete') {
          // Most deletions in the shrinking phase take a listed order (the id picks one), so sizes fall.
          const keys = [...model.keys()];
          const id = 'listed' in o && keys.length > 0 ? keys[o.id % keys.length]! : o.id;
          assert.equal(map.delete(id), model.delete(id));
        }
        else {
          const order = model.get(o.id);
          if (order !== undefined) order.filled(o.lots, Math.max(0, order.remainingN - o.lots));
        }
        if (clearAt === 0 && step === ops.length >> 1) {
          map.clear();
          model.clear();
          big = false;
        }
        if (map.size > SMALL_ORDERS && !big) {
          big = true;
          promoted++;
        } else if (map.size <= SMALL_ORDERS >> 1 && big) {
          big = false;
          demoted++;
        }
        assert.equal(map.size, model.size);
        assert.deepEqual([...map.keys()], [...model.keys()]);
        assert.deepEqual([...map.values()], [...model.values()]);
        assert.deepEqual([...map], [...model]);
        assert.deepEqual([...map.entries()], [...model.entries()]);
        const seen: [number, OpenOrderState][] = [];
        map.forEach((v, k, m) => {
          assert.equal(m, map);
          seen.push([k, v]);
        });
        assert.deepEqual(seen, [...model]);
        for (let id = 0; id <= 25; id++) {
          assert.equal(map.get(id), model.get(id));
          assert.equal(map.has(id), model.has(id));
        }
        const c = map.columns;
        assert.equal(c.count, model.size);
        assert.ok(c.exact);
        for (const side of [Side.BUY, Side.SELL]) {
          const costing = [...model.values()].filter((v) => v.side === side && !v.reduceOnly && v.remainingN > 0);
          const sums = side === Side.BUY ? c.buys : c.sells;
          assert.equal(sums.count, costing.length);
          assert.equal(sums.lots, costing.reduce((s, v) => s + v.remainingN, 0));
          assert.equal(sums.notionalTicks, costing.reduce((s, v) => s + v.remainingN * v.priceN, 0));
        }
        for (const v of model.values()) assert.equal(c.held[v.slot], v);
      });
    }),
    { seed, numRuns: 300 },
  );
  assert.ok(promoted > 0 && demoted > 0, `the runs crossed the threshold (${promoted} promotions, ${demoted} demotions)`);
});

test('an OrderMap lists an order under its own id only', () => {
  const o = new OpenOrderState(3, 0, 1, Side.SELL, 100n, 5n, false, OrderOrigin.USER);
  const m = new OrderMap();
  assert.throws(() => m.set(4, o), RangeError);
  assert.equal(m.size, 0);
  assert.equal(o.slots, undefined);
});

test('the loss of orders priced worse than the mark is summed from the front of the best-first list, and a removed one costs nothing after', () => {
  const map = new OrderMap();
  const bid = (id: number, price: number) => map.set(id, new OpenOrderState(id, 0, 1, Side.BUY, BigInt(price), 5n, false, OrderOrigin.USER));
  bid(1, MARK + 50); // above the mark: priced worse than it
  bid(2, MARK - 10);
  bid(3, MARK - 20);
  bid(4, MARK + 30);
  const ctx = context(0, MARK);
  const objects: NumberOrders = { values: () => [...map.values()].values() };
  assert.deepEqual([...map.columns.bestBuys].map((i) => map.columns.prices[i]), [MARK + 50, MARK + 30, MARK - 10, MARK - 20]);
  same(openOrdersCostNumber(map, ctx), openOrdersCostNumber(objects, ctx), 'open-order cost with two bids above the mark');
  map.delete(1);
  map.get(4)!.priceTicks = BigInt(MARK - 15);
  assert.equal(map.columns.checkRanks(), undefined);
  assert.deepEqual([...map.columns.bestBuys].map((i) => map.columns.prices[i]), [MARK - 10, MARK - 15, MARK - 20]);
  same(openOrdersCostNumber(map, ctx), openOrdersCostNumber(objects, ctx), 'open-order cost with none above the mark');
  // a long of 12 lots nets against the best 12 lots of the sells only; the bids cost in full
  const ask = (id: number, price: number, qty: bigint) => map.set(id, new OpenOrderState(id, 0, 1, Side.SELL, BigInt(price), qty, false, OrderOrigin.USER));
  ask(5, MARK + 40, 4n);
  ask(6, MARK + 10, 4n);
  ask(7, MARK - 5, 4n); // below the mark: priced worse than it
  ask(8, MARK + 10, 4n);
  const long = context(12, MARK);
  same(openOrdersCostNumber(map, long), openOrdersCostNumber(objects, long), 'netted open-order cost');
  const extra = { side: Side.SELL, priceN: MARK + 5, remainingN: 3, reduceOnly: false };
  same(incrementalOrderCostNumber(map, extra, long), incrementalOrderCostNumber(objects, extra, long), 'netted increment of an order inside the netting');
});
