import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelReason, Side } from '../../../engine/enums.js';
import { CROSS_SCOPE } from '../../../risk/shard/seams.js';
import { BTC, ETH, btcTicks, usdt } from '../markets.js';
import { addAccount, addUserOrder, BTC_ID, ETH_ID, makeState, MarketSim, openPosition, setMark } from './liquidation-sim.js';
import { eth, ethTicks } from './liquidation-scenarios.js';

// Account 1: cross wallet 500 with a long 0.5 BTC at 60,000 and a user bid in BTC; an isolated long 1 ETH
// at 3,000 with 300 margin (healthy: MM 30) and its own user order. Marked 59,500 the cross side has
// equity 250 ≤ MM 297.5: liquidatable; at 60,000 equity 500 > MM 300.
function crossAccountWithOrders(): MarketSim {
  const state = makeState({}, usdt(10_000n));
  addAccount(state, 1, usdt(500n));
  openPosition(state, 1, BTC, 500n, btcTicks(60_000n));
  openPosition(state, 1, ETH, eth(1n), ethTicks(3_000n), usdt(300n));
  addUserOrder(state, 1, BTC_ID, 11, Side.BUY, btcTicks(58_000n), 100n);
  addUserOrder(state, 1, ETH_ID, 12, Side.BUY, ethTicks(2_900n), 10n);
  setMark(state, BTC_ID, btcTicks(59_500n));
  setMark(state, ETH_ID, ethTicks(3_000n));
  return new MarketSim(state);
}

test('a healthy scope is not triggered', () => {
  const sim = crossAccountWithOrders();
  setMark(sim.state, BTC_ID, btcTicks(60_000n));
  sim.check(1, CROSS_SCOPE);
  assert.deepEqual(sim.effects.calls, []);
  assert.equal(sim.engine.isFrozen(1, BTC_ID), false);
});

test('a scope whose market has no mark yet is not evaluated', () => {
  const sim = crossAccountWithOrders();
  setMark(sim.state, BTC_ID, 0n);
  sim.check(1, CROSS_SCOPE);
  assert.deepEqual(sim.effects.calls, []);
});

test('a liquidatable cross account is triggered with a new liquidation id and its cross orders are cancelled', () => {
  const sim = crossAccountWithOrders();
  sim.check(1, CROSS_SCOPE);
  assert.deepEqual(sim.effects.steps(), ['TRIGGERED']);
  assert.deepEqual(
    sim.effects.of('cancelAllOrders').map((c) => c.slice(0, 3)),
    [[1, BTC_ID, CancelReason.LIQUIDATION]],
  );
  assert.equal(sim.state.accounts.get(1)!.liquidationId, 1);
  assert.equal(sim.engine.liquidationIdOf(1, CROSS_SCOPE), 1);
});

test('the margin monitor may name the cross scope by any of its markets', () => {
  const sim = crossAccountWithOrders();
  sim.check(1, BTC_ID);
  assert.deepEqual(sim.effects.steps(), ['TRIGGERED']);
  assert.equal(sim.engine.liquidationIdOf(1, CROSS_SCOPE), 1);
});

test('a cross liquidation freezes every cross market of the account but not its isolated positions', () => {
  const sim = crossAccountWithOrders();
  sim.check(1, CROSS_SCOPE);
  assert.equal(sim.engine.isFrozen(1, BTC_ID), true);
  assert.equal(sim.engine.isFrozen(1, 7), true, 'a market the account has no position in would open a cross one');
  assert.equal(sim.engine.isFrozen(1, ETH_ID), false);
  assert.equal(sim.engine.isFrozen(2, BTC_ID), false);
});

test('nothing is placed while cancellations are outstanding, even when the scope is checked again', () => {
  const sim = crossAccountWithOrders();
  sim.check(1, CROSS_SCOPE);
  sim.check(1, CROSS_SCOPE);
  assert.deepEqual(sim.effects.steps(), ['TRIGGERED']);
  assert.equal(sim.effects.of('placeLiquidationOrder').length, 0);
});

test('a scope healthy again once its orders are cancelled is unfrozen as HEALTHY', () => {
  const sim = crossAccountWithOrders();
  sim.check(1, CROSS_SCOPE);
  setMark(sim.state, BTC_ID, btcTicks(60_000n));
  sim.check(1, CROSS_SCOPE);
  sim.deliver();
  assert.deepEqual(sim.effects.steps(), ['TRIGGERED', 'ORDERS_CANCELLED', 'HEALTHY']);
  assert.equal(sim.engine.isFrozen(1, BTC_ID), false);
  assert.equal(sim.state.accounts.get(1)!.liquidationId, 0);
  assert.deepEqual(sim.effects.of('publishScope').map((c) => c.slice(0, 2)), [[1, CROSS_SCOPE]]);
  assert.equal(sim.state.accounts.get(1)!.positions.get(ETH_ID)!.orders.size, 1, 'the isolated scope keeps its order');
  assert.deepEqual(sim.effects.violations, []);
});

test('a scope still liquidatable after its cancellations goes on to close', () => {
  const sim = crossAccountWithOrders();
  sim.check(1, CROSS_SCOPE);
  sim.deliver();
  assert.deepEqual(sim.effects.steps().slice(0, 3), ['TRIGGERED', 'ORDERS_CANCELLED', 'FULL_ORDER']);
});

test('a later check of the same scope starts no second liquidation', () => {
  const sim = crossAccountWithOrders();
  sim.check(1, CROSS_SCOPE);
  sim.check(1, BTC_ID);
  assert.equal(sim.effects.steps().filter((s) => s === 'TRIGGERED').length, 1);
});
