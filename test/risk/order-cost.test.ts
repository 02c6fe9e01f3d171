import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Code } from '../../engine/codes.js';
import { Side } from '../../engine/enums.js';
import { testSeed } from '../support/seed.js';
import {
  incrementalOrderCostAtoms,
  openOrdersCostAtoms,
  orderPositionLimitCode,
  type OpenOrder,
  type OrderCostContext,
} from '../../risk/order-cost.js';
import { DEFAULT_TIERS } from '../../risk/tiers.js';
import { BTC, btc, btcTicks, usdt } from './markets.js';

// BTC-PERP, mark 60,000, leverage 10x, taker fee 0.05%.
function ctx(positionQtyLots: bigint, markTicks = btcTicks(60_000n)): OrderCostContext {
  return { positionQtyLots, markTicks, atomsPerTickLot: BTC.atomsPerTickLot, tiers: DEFAULT_TIERS, leverage: 10n, takerFeeRate: 50_000n };
}

function order(side: Side, priceUsdt: bigint, qtyLots: bigint, reduceOnly = false): OpenOrder {
  return { side, priceTicks: btcTicks(priceUsdt), qtyLots, reduceOnly };
}

/** Milli-USDT in atoms, for the fee halves: 1 milli-USDT = 1,000 atoms. */
const milli = (n: bigint): bigint => n * 1_000n;

test('a buy below the mark costs its IM and fee reserve', () => {
  // 1 BTC at 59,000: IM 5,900 + open loss 0 + fee 29.5 = 5,929.5
  assert.equal(incrementalOrderCostAtoms([], order(Side.BUY, 59_000n, btc(1n)), ctx(0n)), milli(5_929_500n));
});

test('a buy above the mark also reserves its open loss', () => {
  // 1 BTC at 61,000: IM 6,100 + open loss 1·(61,000 − 60,000) + fee 30.5 = 7,130.5
  assert.equal(incrementalOrderCostAtoms([], order(Side.BUY, 61_000n, btc(1n)), ctx(0n)), milli(7_130_500n));
});

test('a sell below the mark reserves its open loss', () => {
  // 1 BTC at 59,000: IM 5,900 + open loss 1,000 + fee 29.5 = 6,929.5
  assert.equal(incrementalOrderCostAtoms([], order(Side.SELL, 59_000n, btc(1n)), ctx(0n)), milli(6_929_500n));
});

// Short 1 BTC. Buys: 1.5 BTC at 59,000 — the first 1 BTC closes the short and is free; 0.5 BTC costs
// IM 2,950 + fee 14.75 = 2,964.75. Sells: 0.4 BTC at 61,000 cost IM 2,440 + fee 12.2 = 2,452.2.
// Open-order margin = max(2,964.75, 2,452.2) = 2,964.75.
const shortOne = ctx(-btc(1n));
const resting = [order(Side.BUY, 59_000n, 1_500n), order(Side.SELL, 61_000n, 400n)];

test('the side that reduces the position is free up to the position and the larger side sets the margin', () => {
  assert.equal(openOrdersCostAtoms(resting, shortOne), milli(2_964_750n));
});

test('an order that makes the other side the larger one costs the difference', () => {
  // sell 0.3 BTC at 59,500 (below mark: open loss 150): sells become 0.4@61,000 + 0.3@59,500 =
  // IM (24,400 + 17,850)/10 = 4,225 + open loss 150 + fee 42,250·0.05% = 21.125 → 4,396.125;
  // increment 4,396.125 − 2,964.75 = 1,431.375
  assert.equal(incrementalOrderCostAtoms(resting, order(Side.SELL, 59_500n, 300n), shortOne), milli(1_431_375n));
});

test('the reducing side\'s best-priced lots are the free ones', () => {
  // short 1 BTC, buys 1 BTC at 59,000 and 1 BTC at 58,000: the 59,000 buy fills first and closes the short;
  // the 58,000 one costs 5,800 + 29 = 5,829 (not the 5,929.5 of the 59,000 one)
  const buys = [order(Side.BUY, 58_000n, btc(1n)), order(Side.BUY, 59_000n, btc(1n))];
  assert.equal(openOrdersCostAtoms(buys, shortOne), usdt(5_829n));
});

test('an order within the part that closes the position costs nothing', () => {
  // long 1 BTC, sell 0.5 at 61,000
  assert.equal(incrementalOrderCostAtoms([], order(Side.SELL, 61_000n, 500n), ctx(btc(1n))), 0n);
});

test('an order on the smaller side of a flat account costs nothing', () => {
  // resting buy 1 BTC at 59,000 (5,929.5); a sell of 0.5 at 61,000 costs 3,050 + 15.25 < 5,929.5
  const buys = [order(Side.BUY, 59_000n, btc(1n))];
  assert.equal(incrementalOrderCostAtoms(buys, order(Side.SELL, 61_000n, 500n), ctx(0n)), 0n);
});

test('reduce-only orders cost nothing and are not counted', () => {
  assert.equal(incrementalOrderCostAtoms([], order(Side.BUY, 61_000n, btc(5n), true), ctx(0n)), 0n);
  assert.equal(openOrdersCostAtoms([order(Side.BUY, 61_000n, btc(5n), true)], ctx(0n)), 0n);
});

test('without a mark the cost is undefined', () => {
  assert.equal(incrementalOrderCostAtoms([], order(Side.BUY, 59_000n, btc(1n)), ctx(0n, 0n)), undefined);
  assert.equal(openOrdersCostAtoms([], ctx(0n, 0n)), undefined);
});

test('a side that would take the position into a lower-leverage tier uses that tier\'s maximum', () => {
  // flat, 50x chosen; buy 2 BTC at 60,000 would make N = 120,000 (tier 2, 25x): IM 4,800 + fee 60 = 4,860
  const c = { ...ctx(0n), leverage: 50n };
  assert.equal(incrementalOrderCostAtoms([], order(Side.BUY, 60_000n, btc(2n)), c), usdt(4_860n));
});

test('an order that could take the position past the top tier is refused with POSITION_LIMIT_EXCEEDED', () => {
  // top tier ends at 20,000,000 = 333.33 BTC at 60,000. Long 300 BTC: buying 33 more → 19,980,000 (OK);
  // 40 more → 20,400,000 (refused); 33 more with another 1 BTC buy resting → 20,040,000 (refused)
  const long300 = ctx(btc(300n));
  assert.equal(orderPositionLimitCode([], order(Side.BUY, 60_000n, btc(33n)), long300), Code.OK);
  assert.equal(orderPositionLimitCode([], order(Side.BUY, 60_000n, btc(40n)), long300), Code.POSITION_LIMIT_EXCEEDED);
  assert.equal(orderPositionLimitCode([order(Side.BUY, 59_000n, btc(1n))], order(Side.BUY, 60_000n, btc(33n)), long300), Code.POSITION_LIMIT_EXCEEDED);
});

test('the position limit values a buy above the mark at its own price', () => {
  // long 300 BTC, buy 33 at 61,000: 333·61,000 = 20,313,000 > 20,000,000
  assert.equal(orderPositionLimitCode([], order(Side.BUY, 61_000n, btc(33n)), ctx(btc(300n))), Code.POSITION_LIMIT_EXCEEDED);
});

test('reduce-only and reducing orders pass the position limit', () => {
  const long300 = ctx(btc(300n));
  assert.equal(orderPositionLimitCode([], order(Side.BUY, 60_000n, btc(100n), true), long300), Code.OK);
  assert.equal(orderPositionLimitCode([], order(Side.SELL, 60_000n, btc(40n)), long300), Code.OK);
});

const orderArb = fc.record({
  side: fc.constantFrom(Side.BUY, Side.SELL),
  priceTicks: fc.bigInt({ min: btcTicks(50_000n), max: btcTicks(70_000n) }),
  qtyLots: fc.bigInt({ min: 1n, max: 3_000n }),
  reduceOnly: fc.boolean(),
});
const posArb = fc.bigInt({ min: -5_000n, max: 5_000n });

test('open-order margin does not depend on the order of the list nor on how a level is split', () => {
  const seed = testSeed('risk/order-cost permutation');
  fc.assert(
    fc.property(fc.array(orderArb, { maxLength: 12 }), posArb, fc.nat(), (orders, q, rot) => {
      const c = ctx(q);
      const base = openOrdersCostAtoms(orders, c);
      const rotated = orders.slice(rot % (orders.length || 1)).concat(orders.slice(0, rot % (orders.length || 1))).reverse();
      assert.equal(openOrdersCostAtoms(rotated, c), base);
      const split = orders.flatMap((o) => (o.qtyLots > 1n ? [{ ...o, qtyLots: 1n }, { ...o, qtyLots: o.qtyLots - 1n }] : [o]));
      assert.equal(openOrdersCostAtoms(split, c), base);
    }),
    { seed },
  );
});

test('adding an order never lowers the margin and costs exactly the difference', () => {
  const seed = testSeed('risk/order-cost increment');
  fc.assert(
    fc.property(fc.array(orderArb, { maxLength: 12 }), orderArb, posArb, (orders, o, q) => {
      const c = ctx(q);
      const inc = incrementalOrderCostAtoms(orders, o, c)!;
      assert.ok(inc >= 0n);
      assert.equal(inc, openOrdersCostAtoms([...orders, o], c)! - openOrdersCostAtoms(orders, c)!);
      if (o.reduceOnly) assert.equal(inc, 0n);
    }),
    { seed },
  );
});
