// The open orders' best-first lists (risk/shard/order-map.ts, derived from the columns) on the risk
// shard's own flow: after every command of a seeded random stream, every position's lists hold exactly
// its orders that are not reduce-only and have a number price, best price first (their self-check), and
// the position's open-order cost read through them equals the cost computed afresh from the order
// objects (one pass and a heap).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NumberCostContext, openOrdersCostNumber, type NumberOrders } from '../../../risk/order-cost-number.js';
import type { OrderMap } from '../../../risk/shard/order-map.js';
import { testSeed } from '../../support/seed.js';
import type { MiniExchange } from './mini-exchange.js';
import { drive } from './random-stream.js';

const ctx = new NumberCostContext();

/** Checks every position's lists and cost; returns how many positions with orders it looked at. */
function checkLists(x: MiniExchange, where: string): number {
  let looked = 0;
  for (const account of x.risk.state.accounts.values()) {
    for (const pos of account.positions.values()) {
      const map = pos.openOrders as OrderMap | undefined;
      if (map === undefined || map.size === 0) continue;
      looked++;
      assert.equal(map.columns.checkRanks(), undefined, `${where}: best-first lists of ${account.id}/${pos.marketId}`);
      const market = x.risk.state.markets.get(pos.marketId)!;
      ctx.positionQtyLots = pos.qtyN;
      ctx.markTicks = market.markN;
      ctx.atomsPerTickLot = market.atomsPerTickLotN;
      ctx.tiers = market.numberTiers;
      ctx.leverage = pos.leverageN;
      ctx.takerFeeRate = 50_000;
      const objects: NumberOrders = { values: () => [...map.values()].values() };
      const fromLists = openOrdersCostNumber(map, ctx);
      assert.ok(Object.is(fromLists, openOrdersCostNumber(objects, ctx)), `${where}: open-order cost of ${account.id}/${pos.marketId}`);
    }
  }
  return looked;
}

test('after every command of a random stream the best-first lists pass their self-check and cost as the full recomputation', () => {
  const seed = testSeed('order-cost lists');
  let looked = 0;
  drive(seed, (x, step) => {
    looked += checkLists(x, `seed ${seed}, step ${step}`);
  });
  assert.ok(looked > 100, `seed ${seed}: only ${looked} positions with open orders were checked`);
});
