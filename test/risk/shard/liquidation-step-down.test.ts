import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { BTC, btc, btcTicks, usdt } from '../markets.js';
import { addAccount, BTC_ID, equityOf, makeState, MarketSim, openPosition, setMark } from './liquidation-sim.js';

// Isolated long 2 BTC at 60,000 with 3,000 margin, marked 59,000: notional 118,000 (tier 2), equity 1,000
// ≤ MM 118,000·2% − 500 = 1,860 → liquidatable; BP 58,500. Tier 1's cap 50,000 at 59,000 holds 0.847 BTC
// (49,973): the step closes 1.153 BTC, limit BP (585,000 ticks; the 10% band starts at 531,000).
function largeLong(): MarketSim {
  const state = makeState({}, usdt(10_000n));
  addAccount(state, 1);
  openPosition(state, 1, BTC, btc(2n), btcTicks(60_000n), usdt(3_000n));
  setMark(state, BTC_ID, btcTicks(59_000n));
  return new MarketSim(state);
}

test('a position above tier 1 is stepped down to the next tier\'s cap with an IOC limited at BP', () => {
  const sim = largeLong();
  sim.check(1, BTC_ID);
  assert.deepEqual(sim.effects.of('placeLiquidationOrder').map((c) => c.slice(0, 5)), [[1, BTC_ID, Side.SELL, 1_153n, btcTicks(58_500n)]]);
  assert.deepEqual(sim.effects.steps(), ['TRIGGERED', 'PARTIAL_ORDER']);
});

test('a step-down that restores health ends the liquidation with the rest of the position kept', () => {
  // 1.153 BTC sold at 58,900: realized −1,268.3, margin 1,731.7; 0.847 BTC left: equity 884.7 > MM 499.73
  const sim = largeLong();
  sim.book(BTC_ID, [[btcTicks(58_900n), btc(5n)]]);
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.steps(), ['TRIGGERED', 'PARTIAL_ORDER', 'PARTIAL_FILL', 'HEALTHY']);
  const pos = sim.state.accounts.get(1)!.positions.get(BTC_ID)!;
  assert.equal(pos.qtyLots, 847n);
  assert.equal(pos.isolatedMarginAtoms, 1_731_700_000n);
  assert.equal(equityOf(sim.state, 1, BTC_ID), 884_700_000n);
  assert.equal(sim.engine.isFrozen(1, BTC_ID), false);
});

test('each step re-evaluates and steps down again while the scope is still liquidatable', () => {
  // Only 0.1 BTC bid at 58,600: realized −140, margin 2,860, 1.9 BTC at cost 114,000. At 59,000 equity 960
  // ≤ MM 1,742: close 1.053 BTC down to 0.847, at the new BP (114,000 − 2,860)/1.9 = 58,494.74 → up to 584,948.
  const sim = largeLong();
  sim.book(BTC_ID, [[btcTicks(58_600n), 100n]]);
  sim.check(1, BTC_ID);
  sim.deliver();
  const orders = sim.effects.of('placeLiquidationOrder').map((c) => c.slice(2, 5));
  assert.deepEqual(orders[1], [Side.SELL, 1_053n, 584_948n]);
});

test('a scope that turns healthy while its step-down order is out is released when the order ends', () => {
  // As above, but the mark rises to 60,500 before the market answers: equity 3,810 > MM 1,799
  const sim = largeLong();
  sim.book(BTC_ID, [[btcTicks(58_600n), 100n]]);
  sim.check(1, BTC_ID);
  setMark(sim.state, BTC_ID, btcTicks(60_500n));
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.steps(), ['TRIGGERED', 'PARTIAL_ORDER', 'PARTIAL_FILL', 'HEALTHY']);
  assert.equal(sim.state.accounts.get(1)!.positions.get(BTC_ID)!.qtyLots, 1_900n);
});

test('a step-down that fills nothing moves on to the full close', () => {
  // Bids only at 58,000, below BP. The full close sweeps the whole 2 BTC: sold at 58,000 they leave
  // −1,000, which the fund pays out of its budget.
  const sim = largeLong();
  sim.book(BTC_ID, [[btcTicks(58_000n), btc(5n)]]);
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.steps(), ['TRIGGERED', 'PARTIAL_ORDER', 'FULL_ORDER', 'FULL_FILL', 'SHORTFALL_COVERED', 'COMPLETED']);
  assert.deepEqual(sim.effects.of('sweepLiquidation')[0]!.slice(2, 4), [Side.SELL, btc(2n)]);
  assert.equal(sim.state.insuranceFundAtoms, usdt(9_000n));
  assert.equal(equityOf(sim.state, 1, BTC_ID), 0n);
  assert.deepEqual(sim.effects.violations, []);
});

test('a scope already past bankruptcy skips the step-down', () => {
  // Marked 58,000 the equity is 3,000 − 4,000 < 0: a limit at BP (58,500) could not fill
  const sim = largeLong();
  setMark(sim.state, BTC_ID, btcTicks(58_000n));
  sim.check(1, BTC_ID);
  assert.deepEqual(sim.effects.steps(), ['TRIGGERED', 'FULL_ORDER']);
});
