// OrderMap (risk/shard/order-map.ts): after any sequence of listings, removals, fills, amendments and
// price resolutions, with orders mostly priced better than the mark (the running sums answer) and some
// worse (the columns are walked), the order costs read from its columns equal the same costs read from the order
// objects (an array of them, which has no columns), and the columns hold exactly the map's orders.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { OrderOrigin, Side } from '../../../engine/enums.js';
import { numberTiers } from '../../../risk/margin-number.js';
import { incrementalOrderCostNumber, NumberCostContext, openLotsOnSide, openOrdersCostNumber, type NumberOrders } from '../../../risk/order-cost-number.js';
import { OrderMap } from '../../../risk/shard/order-map.js';
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
