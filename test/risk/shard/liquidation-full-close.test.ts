import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { DEFAULT_MARKETS, MarketSpec } from '../../../engine/market/spec.js';
import { riskMarket } from '../../../risk/shard/config.js';
import { MarketRiskState } from '../../../risk/shard/state.js';
import { SurplusPolicy } from '../../../risk/liquidation.js';
import { InsuranceReason } from '../../../risk/shard/events.js';
import { BTC, btc, btcTicks, usdt } from '../markets.js';
import { addAccount, BTC_ID, equityOf, makeState, MarketSim, openPosition, setMark } from './liquidation-sim.js';
import { isolatedLongBtc, shortCounterparty } from './liquidation-scenarios.js';

// isolatedLongBtc: long 0.5 BTC at 60,000, margin 500, marked 59,500; BP 59,000; the fund holds 10,000.
// The sweep reaches no further than the band's low edge 59,500·90% = 53,550 (535,500 ticks); the event's
// budget is what closing there would cost the fund: −(250 + 0.5·(53,550 − 59,500)) = 2,725.

test('a tier-1 position is closed with one sweep bounded by the band, at its bankruptcy price and the event\'s budget', () => {
  const sim = isolatedLongBtc();
  sim.check(1, BTC_ID);
  assert.deepEqual(sim.effects.of('sweepLiquidation').map((c) => c.slice(0, 7)), [[1, BTC_ID, Side.SELL, 500n, 535_500n, btcTicks(59_000n), usdt(2_725n)]]);
  assert.deepEqual(sim.effects.steps(), ['TRIGGERED', 'FULL_ORDER']);
});

test('CAPPED_FEE gives the fund its fee out of the surplus and refunds the trader the rest', () => {
  // 0.25 at 59,400 and 0.25 at 59,300: realized −325, margin 175. Fee 0.5% of 29,675 = 148.375; keeps 26.625
  const sim = isolatedLongBtc();
  sim.book(BTC_ID, [
    [btcTicks(59_400n), 250n],
    [btcTicks(59_300n), btc(1n)],
  ]);
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.steps(), ['TRIGGERED', 'FULL_ORDER', 'FULL_FILL', 'FULL_FILL', 'SURPLUS_SETTLED', 'COMPLETED']);
  assert.deepEqual(sim.effects.of('transferInsurance').map((c) => c.slice(0, 4)), [[1, BTC_ID, 148_375_000n, InsuranceReason.LIQUIDATION_FEE]]);
  assert.equal(equityOf(sim.state, 1, BTC_ID), 26_625_000n);
  assert.equal(sim.state.insuranceFundAtoms, usdt(10_000n) + 148_375_000n);
  assert.equal(sim.engine.isFrozen(1, BTC_ID), false);
  assert.deepEqual(sim.effects.violations, []);
});

test('ALL_TO_IF gives the fund the whole surplus', () => {
  const sim = isolatedLongBtc({ surplusPolicy: SurplusPolicy.ALL_TO_IF });
  sim.book(BTC_ID, [
    [btcTicks(59_400n), 250n],
    [btcTicks(59_300n), btc(1n)],
  ]);
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.of('transferInsurance').map((c) => c.slice(0, 4)), [[1, BTC_ID, usdt(175n), InsuranceReason.SURPLUS]]);
  assert.equal(equityOf(sim.state, 1, BTC_ID), 0n);
});

test('the fund pays a shortfall within its budget and the scope ends at exactly zero', () => {
  // 0.5 sold at 58,800: realized −600, margin −100
  const sim = isolatedLongBtc();
  sim.book(BTC_ID, [[btcTicks(58_800n), btc(1n)]]);
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.steps().slice(-2), ['SHORTFALL_COVERED', 'COMPLETED']);
  assert.deepEqual(sim.effects.of('transferInsurance').map((c) => c.slice(0, 4)), [[1, BTC_ID, -usdt(100n), InsuranceReason.SHORTFALL]]);
  assert.equal(equityOf(sim.state, 1, BTC_ID), 0n);
  assert.equal(sim.state.insuranceFundAtoms, usdt(9_900n));
});

test('the sweep spends what better-than-BP fills saved on worse levels, and only the rest is deleveraged', () => {
  // Budget 50, BP 59,000. 0.25 at 59,200 saves 50; 0.1 at 58,900 costs 10 and 0.05 at 58,500 costs 25
  // (running −15); at 57,000 a lot costs 2, so the 65 left take 32 lots. The other 68 lots are deleveraged
  // at BP, after a second sweep with the 1 of budget left took nothing (a lot at 57,000 costs 2). Realized
  // −200 − 110 − 75 − 96 − 68 = −549 against the 500 of margin: the fund pays 49.
  const sim = isolatedLongBtc({}, usdt(50n));
  shortCounterparty(sim.state, 2, btc(1n), usdt(5_000n));
  sim.book(BTC_ID, [
    [btcTicks(59_200n), 250n],
    [btcTicks(58_900n), 100n],
    [btcTicks(58_500n), 50n],
    [btcTicks(57_000n), btc(5n)],
  ]);
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.of('sweepLiquidation').map((c) => c.slice(3, 7)), [
    [500n, 535_500n, btcTicks(59_000n), usdt(50n)],
    [68n, 535_500n, btcTicks(59_000n), usdt(1n)],
  ]);
  assert.deepEqual(sim.effects.of('deleverage').map((c) => c.slice(0, 6)), [[1, 2, BTC_ID, Side.SELL, 68n, btcTicks(59_000n)]]);
  assert.deepEqual(sim.effects.of('transferInsurance').map((c) => c.slice(2, 4)), [[-usdt(49n), InsuranceReason.SHORTFALL]]);
  assert.equal(equityOf(sim.state, 1, BTC_ID), 0n);
  assert.equal(sim.state.insuranceFundAtoms, usdt(1n));
  assert.deepEqual(sim.effects.violations, []);
});

test('a sweep that filled all it asked for is followed by another for the rest (a position above the maximum order size)', () => {
  const state = makeState({}, usdt(10_000n));
  const small = new MarketSpec({ ...DEFAULT_MARKETS[0]!, maxQtyLots: 300 });
  state.markets.set(BTC_ID, new MarketRiskState(small, riskMarket(small)));
  addAccount(state, 1);
  openPosition(state, 1, small, 500n, btcTicks(60_000n), usdt(500n));
  setMark(state, BTC_ID, btcTicks(59_500n));
  const sim = new MarketSim(state);
  // 0.3 sold at BP 59,000 leaves margin 200 against 0.2 BTC at −100: equity 100 ≤ MM 119, still liquidatable.
  sim.book(BTC_ID, [[btcTicks(59_000n), btc(1n)]]);
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.of('sweepLiquidation').map((c) => c[3]), [300n, 200n]);
  assert.equal(state.accounts.get(1)!.positions.get(BTC_ID)!.qtyLots, 0n);
  assert.equal(sim.effects.steps().at(-1), 'COMPLETED');
  assert.equal(equityOf(state, 1, BTC_ID), 0n);
});

test('a short\'s full close buys up to the band\'s high edge and settles its surplus', () => {
  // Short 0.5 BTC at 60,000 with 500, marked 60,500: equity 250 ≤ MM 302.5; limit min(71,000 BP+budget,
  // 66,550 band). Bought at 60,600: realized −300, margin 200; fee 0.5% of 30,300 = 151.5; keeps 48.5
  const state = makeState({}, usdt(10_000n));
  addAccount(state, 1);
  openPosition(state, 1, BTC, -500n, btcTicks(60_000n), usdt(500n));
  setMark(state, BTC_ID, btcTicks(60_500n));
  const sim = new MarketSim(state);
  sim.book(BTC_ID, [], [[btcTicks(60_600n), btc(1n)]]);
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.of('sweepLiquidation')[0]!.slice(2, 5), [Side.BUY, 500n, 665_500n]);
  assert.equal(equityOf(state, 1, BTC_ID), 48_500_000n);
  assert.equal(state.insuranceFundAtoms, usdt(10_000n) + 151_500_000n);
});

test('fills are reported with their signed quantity and price, and the fund\'s take with the settlement step', () => {
  const sim = isolatedLongBtc();
  sim.book(BTC_ID, [[btcTicks(59_400n), btc(1n)]]);
  sim.check(1, BTC_ID);
  sim.deliver();
  const progress = sim.effects.of('progress').map((c) => [c[3], c[4], c[5], c[6]]);
  // 0.5 at 59,400: realized −300, margin 200; fee 0.5% of 29,700 = 148.5
  assert.deepEqual(progress, [
    ['TRIGGERED', 0n, 0n, 0n],
    ['FULL_ORDER', -500n, 535_500n, 0n],
    ['FULL_FILL', -500n, btcTicks(59_400n), 0n],
    ['SURPLUS_SETTLED', 0n, 0n, 148_500_000n],
    ['COMPLETED', 0n, 0n, 0n],
  ]);
});

test('two scopes closing at once do not count on the same insurance atoms', () => {
  // The fund holds 50. Account 1, triggered first, escalates first and reserves it; account 2, triggered
  // before any answer, waits its turn (escalation order) and then gets budget 0. Bids only at 58,900:
  // account 1's sweep takes its 0.5 for the fund's 50, account 2's takes nothing: ADL.
  const state = makeState({}, usdt(50n));
  for (const id of [1, 2]) {
    addAccount(state, id);
    openPosition(state, id, BTC, 500n, btcTicks(60_000n), usdt(500n));
  }
  shortCounterparty(state, 3, btc(1n), usdt(5_000n));
  setMark(state, BTC_ID, btcTicks(59_500n));
  const sim = new MarketSim(state);
  sim.book(BTC_ID, [[btcTicks(58_900n), btc(2n)]]);
  sim.check(1, BTC_ID);
  sim.check(2, BTC_ID);
  assert.deepEqual(sim.effects.of('sweepLiquidation').map((c) => [c[0], c[6]]), [[1, usdt(50n)]]);
  sim.deliver();
  assert.deepEqual(sim.effects.of('sweepLiquidation').map((c) => [c[0], c[6]]), [[1, usdt(50n)], [2, 0n]]);
  assert.deepEqual(sim.effects.of('deleverage').map((c) => [c[0], c[1], c[4]]), [[2, 3, 500n]]);
  assert.equal(state.insuranceFundAtoms, 0n);
  assert.equal(equityOf(state, 1, BTC_ID), 0n);
  assert.equal(equityOf(state, 2, BTC_ID), 0n);
  assert.deepEqual(sim.effects.violations, []);
});
