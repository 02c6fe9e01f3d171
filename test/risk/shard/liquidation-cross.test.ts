import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { CROSS_SCOPE } from '../../../risk/shard/seams.js';
import { BTC, ETH, btc, btcTicks, usdt } from '../markets.js';
import { addAccount, addUserOrder, BTC_ID, equityOf, ETH_ID, makeState, MarketSim, openPosition, setMark } from './liquidation-sim.js';
import { eth, ethTicks } from './liquidation-scenarios.js';

// Cross account 1, wallet 700: long 0.2 BTC at 60,000 marked 59,000 (UPnL −200, MM 118) and short 5 ETH at
// 3,000 marked 3,050 (UPnL −250, MM 152.5). Equity 250 ≤ 270.5: liquidatable. Both in tier 1: straight to
// the full close, ETH first (larger MM, although its market id is higher). The ETH ask decides what comes
// after: at 3,080 (−400, wallet 300) the account is still liquidatable (equity 100 ≤ MM 118) and BTC is
// swept too; at 3,060 (−300, wallet 400) it is healthy again (equity 200 > 118) and keeps its BTC.
function twoMarkets(ethAskUsdt = 3_080n): MarketSim {
  const state = makeState({}, usdt(10_000n));
  addAccount(state, 1, usdt(700n));
  openPosition(state, 1, BTC, 200n, btcTicks(60_000n));
  openPosition(state, 1, ETH, -eth(5n), ethTicks(3_000n));
  setMark(state, BTC_ID, btcTicks(59_000n));
  setMark(state, ETH_ID, ethTicks(3_050n));
  const sim = new MarketSim(state);
  sim.book(BTC_ID, [[btcTicks(59_400n), btc(1n)]]);
  sim.book(ETH_ID, [], [[ethTicks(ethAskUsdt), eth(10n)]]);
  return sim;
}

test('a cross account closes its positions one market at a time, largest maintenance margin first', () => {
  // ETH bought at 3,080: realized −400, wallet 300. BTC then sold at 59,400: realized −120, wallet 180.
  const sim = twoMarkets();
  sim.check(1, CROSS_SCOPE);
  sim.deliver();
  assert.deepEqual(
    sim.effects.of('sweepLiquidation').map((c) => c.slice(1, 4)),
    [
      [ETH_ID, Side.BUY, eth(5n)],
      [BTC_ID, Side.SELL, 200n],
    ],
  );
  assert.deepEqual(sim.effects.steps(), ['TRIGGERED', 'FULL_ORDER', 'FULL_FILL', 'FULL_ORDER', 'FULL_FILL', 'SURPLUS_SETTLED', 'COMPLETED']);
});

test('a cross account settles once flat: the fee is taken from the wallet and the rest refunded', () => {
  // Surplus 180; fee 0.5% of (15,400 + 11,880) = 136.4; the wallet keeps 43.6
  const sim = twoMarkets();
  sim.check(1, CROSS_SCOPE);
  sim.deliver();
  assert.deepEqual(sim.effects.of('transferInsurance').map((c) => c.slice(0, 3)), [[1, CROSS_SCOPE, 136_400_000n]]);
  assert.equal(sim.state.accounts.get(1)!.walletAtoms, 43_600_000n);
  assert.equal(equityOf(sim.state, 1, CROSS_SCOPE), 43_600_000n);
  assert.equal(sim.engine.isFrozen(1, BTC_ID), false);
  assert.deepEqual(sim.effects.violations, []);
});

test('the cross full close prices each position with the others held at mark', () => {
  // ETH first: collateral 700 − 200 = 500: BP (15,000 + 500)/5 = 3,100; limit the band's high edge 3,355.
  // BTC next: collateral 300 (the wallet after ETH): BP (12,000 − 300)/0.2 = 58,500; limit the low edge 53,100.
  const sim = twoMarkets();
  sim.check(1, CROSS_SCOPE);
  sim.deliver();
  assert.deepEqual(sim.effects.of('sweepLiquidation').map((c) => [c[4], c[5]]), [
    [ethTicks(3_355n), ethTicks(3_100n)],
    [btcTicks(53_100n), btcTicks(58_500n)],
  ]);
});

test('a cross account healthy again after one position\'s close leaves the pipeline and keeps the other', () => {
  const sim = twoMarkets(3_060n);
  sim.check(1, CROSS_SCOPE);
  sim.deliver();
  assert.deepEqual(sim.effects.of('sweepLiquidation').map((c) => c[1]), [ETH_ID]);
  assert.deepEqual(sim.effects.steps(), ['TRIGGERED', 'FULL_ORDER', 'FULL_FILL', 'HEALTHY']);
  assert.equal(sim.state.accounts.get(1)!.positions.get(BTC_ID)!.qtyLots, 200n);
  assert.equal(sim.state.accounts.get(1)!.walletAtoms, usdt(400n));
  assert.equal(sim.engine.isFrozen(1, BTC_ID), false);
  assert.equal(sim.engine.insuranceFund.reservationCount, 0);
  assert.deepEqual(sim.effects.violations, []);
});

test('a cross step-down takes the position with the largest maintenance margin above tier 1', () => {
  // Wallet 4,000, long 2 BTC at 60,000 marked 59,000 (MM 1,860) and long 20 ETH at 3,000 marked 2,950
  // (MM 680): equity 1,000 ≤ 2,540. BTC's BP with ETH at mark: (120,000 − 3,000)/2 = 58,500.
  const state = makeState({}, usdt(10_000n));
  addAccount(state, 1, usdt(4_000n));
  openPosition(state, 1, BTC, btc(2n), btcTicks(60_000n));
  openPosition(state, 1, ETH, eth(20n), ethTicks(3_000n));
  setMark(state, BTC_ID, btcTicks(59_000n));
  setMark(state, ETH_ID, ethTicks(2_950n));
  const sim = new MarketSim(state);
  sim.check(1, CROSS_SCOPE);
  assert.deepEqual(sim.effects.of('placeLiquidationOrder').map((c) => c.slice(1, 5)), [[BTC_ID, Side.SELL, 1_153n, btcTicks(58_500n)]]);
});

test('an isolated position is liquidated while the account\'s cross side is untouched', () => {
  // Isolated long 0.5 BTC at 60,000 with 500, marked 59,500; the cross side holds a short 1 ETH and an order.
  const state = makeState({}, usdt(10_000n));
  addAccount(state, 1, usdt(2_000n));
  openPosition(state, 1, BTC, 500n, btcTicks(60_000n), usdt(500n));
  openPosition(state, 1, ETH, -eth(1n), ethTicks(3_000n));
  addUserOrder(state, 1, ETH_ID, 12, Side.SELL, ethTicks(3_100n), 10n);
  setMark(state, BTC_ID, btcTicks(59_500n));
  setMark(state, ETH_ID, ethTicks(3_000n));
  const sim = new MarketSim(state);
  sim.book(BTC_ID, [[btcTicks(59_400n), btc(1n)]]);
  sim.check(1, BTC_ID);
  assert.equal(sim.engine.isFrozen(1, BTC_ID), true);
  assert.equal(sim.engine.isFrozen(1, ETH_ID), false);
  sim.deliver();
  assert.deepEqual(sim.effects.steps().slice(-1), ['COMPLETED']);
  assert.ok(sim.effects.of('progress').every((c) => c[1] === BTC_ID));
  assert.equal(sim.effects.of('cancelAllOrders').length, 0);
  const account = state.accounts.get(1)!;
  assert.equal(account.walletAtoms, usdt(2_000n));
  assert.equal(account.positions.get(ETH_ID)!.qtyLots, -eth(1n));
  assert.equal(account.positions.get(ETH_ID)!.orders.size, 1);
  assert.equal(account.liquidationId, 0);
  // 0.5 at 59,400: margin 200; fee 0.5% of 29,700 = 148.5; the isolated margin keeps 51.5
  assert.equal(account.positions.get(BTC_ID)!.isolatedMarginAtoms, 51_500_000n);
});

test('an isolated and a cross liquidation of one account run side by side with their own ids', () => {
  const state = makeState({}, usdt(10_000n));
  addAccount(state, 1, usdt(100n));
  openPosition(state, 1, BTC, 500n, btcTicks(60_000n), usdt(500n));
  openPosition(state, 1, ETH, -eth(5n), ethTicks(3_000n));
  setMark(state, BTC_ID, btcTicks(59_500n));
  setMark(state, ETH_ID, ethTicks(3_050n));
  const sim = new MarketSim(state);
  sim.check(1, BTC_ID);
  sim.check(1, ETH_ID);
  assert.equal(sim.engine.liquidationIdOf(1, BTC_ID), 1);
  assert.equal(sim.engine.liquidationIdOf(1, CROSS_SCOPE), 2);
  assert.equal(state.accounts.get(1)!.positions.get(BTC_ID)!.liquidationId, 1);
  assert.equal(state.accounts.get(1)!.liquidationId, 2);
});
