// The open-order cost's derived caches on the risk shard's own flow (risk/shard/order-map.ts: the
// best-first lists and the kept side costs of risk/order-cost-number.ts): after every command of a seeded
// random stream, every position's lists pass their self-check and every kept side cost equals the cost
// computed afresh from the order objects in the context it was kept with; and the same stream with the
// kept costs never read gives the same records and the same state hash.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useSideCostMemo, type NumberOrders } from '../../../risk/order-cost-number.js';
import type { OrderMap } from '../../../risk/shard/order-map.js';
import { decodeAll } from '../../support/commands.js';
import { testSeed } from '../../support/seed.js';
import type { MiniExchange } from './mini-exchange.js';
import { drive } from './random-stream.js';

/** Checks every position's caches; returns how many positions with orders it looked at. */
function checkCaches(x: MiniExchange, where: string): number {
  let looked = 0;
  for (const account of x.risk.state.accounts.values()) {
    for (const pos of account.positions.values()) {
      const map = pos.openOrders as OrderMap | undefined;
      if (map === undefined || map.size === 0) continue;
      looked++;
      const c = map.columns;
      assert.equal(c.checkRanks(), undefined, `${where}: best-first lists of ${account.id}/${pos.marketId}`);
      const objects: NumberOrders = { values: () => [...map.values()].values() };
      assert.equal(c.costMemo().check(objects), undefined, `${where}: kept side costs of ${account.id}/${pos.marketId}`);
    }
  }
  return looked;
}

test('after every command of a random stream the best-first lists and the kept side costs equal their recomputation', () => {
  const seed = testSeed('order-cost caches');
  let looked = 0;
  drive(seed, (x, step) => {
    looked += checkCaches(x, `seed ${seed}, step ${step}`);
  });
  assert.ok(looked > 100, `seed ${seed}: only ${looked} positions with open orders were checked`);
});

test('the same stream with the kept side costs never read gives the same records and state hash', () => {
  const seed = testSeed('order-cost memo off');
  const on = drive(seed, () => {}).exchange;
  useSideCostMemo(false);
  try {
    const off = drive(seed, () => {}).exchange;
    assert.equal(on.riskGateway.length, off.riskGateway.length, `seed ${seed}`);
    assert.deepEqual(decodeAll(on.riskGateway), decodeAll(off.riskGateway), `seed ${seed}`);
    assert.equal(on.risk.stateHash(), off.risk.stateHash(), `seed ${seed}`);
  } finally {
    useSideCostMemo(true);
  }
});
