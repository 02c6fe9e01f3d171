import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrderOrigin, Side } from '../../../engine/enums.js';
import { Liquidity, UpdateReason } from '../../../risk/shard/events.js';
import { MarginMode } from '../../../risk/shard/state.js';
import { adjustIsolatedMargin, orderCancelled, setFeeTier, setMarginMode, tradeExecuted } from '../../support/risk-commands.js';
import { BTC_60K, BTC_ID, ONE_BTC, ShardFixture, ofType, usdt } from './shard-fixture.js';

function fixture(): ShardFixture {
  const fx = new ShardFixture();
  for (const id of [2, 3, 4]) fx.fund(id, usdt(100_000));
  fx.mark(BTC_ID, BTC_60K);
  fx.take();
  return fx;
}

const pos = (fx: ShardFixture, id: number) => fx.state.accounts.get(id)!.positions.get(BTC_ID)!;
const wallet = (fx: ShardFixture, id: number) => fx.state.accounts.get(id)!.walletAtoms;

test('a fill publishes FillSettled, PositionUpdated and AccountUpdated for each party, taker first', () => {
  const fx = fixture();
  fx.cross(2, 3, Side.BUY, BTC_60K, ONE_BTC);
  const events = fx.take();
  assert.deepEqual(
    events.map((e) => `${e.type}:${e.accountId}`),
    ['FillSettled:3', 'PositionUpdated:3', 'AccountUpdated:3', 'FillSettled:2', 'PositionUpdated:2', 'AccountUpdated:2'],
  );
  assert.equal(events[1]!.qtyLots, 1000n);
  assert.equal(events[4]!.qtyLots, -1000n);
  assert.equal(events[1]!.reason, UpdateReason.FILL);
  assert.equal(fx.shard.checkInvariants({ allAccountsHere: true }).length, 0);
});

test('the taker pays the taker rate and the maker the maker rate, once each, into the fee pool', () => {
  const fx = fixture();
  fx.cross(2, 3, Side.BUY, BTC_60K, ONE_BTC);
  const [takerFill, makerFill] = ofType(fx.take(), 'FillSettled');
  // 60,000 USDT of notional: 5 bp taker, 2 bp maker (fee tier 0).
  assert.equal(takerFill!.feeAtoms, usdt(30));
  assert.equal(takerFill!.liquidity, Liquidity.TAKER);
  assert.equal(makerFill!.feeAtoms, usdt(12));
  assert.equal(makerFill!.liquidity, Liquidity.MAKER);
  assert.equal(fx.state.feePoolAtoms, usdt(42));
  assert.equal(wallet(fx, 3), usdt(100_000 - 30));
  assert.equal(wallet(fx, 2), usdt(100_000 - 12));
});

test('a maker rebate is paid out rounded down and a taker fee charged rounded up', () => {
  const fx = fixture();
  fx.gw(setFeeTier(2, 3));
  // One lot at 60,000.1 USDT: 60,000,100 atoms. Taker 5 bp = 30,000.05 → 30,001; maker −0.5 bp = 3,000.005 → 3,000 paid.
  fx.cross(2, 3, Side.BUY, 600_001, 1);
  const [takerFill, makerFill] = ofType(fx.take(), 'FillSettled');
  assert.equal(takerFill!.feeAtoms, 30_001n);
  assert.equal(makerFill!.feeAtoms, -3_000n);
  assert.equal(fx.state.feePoolAtoms, 27_001n);
  assert.equal(wallet(fx, 2), usdt(100_000) + 3_000n);
});

test('closing a long above its entry realizes the profit into the wallet', () => {
  const fx = fixture();
  fx.cross(2, 3, Side.BUY, BTC_60K, ONE_BTC);
  fx.mark(BTC_ID, 610_000);
  fx.take();
  const before = wallet(fx, 3);
  fx.cross(4, 3, Side.SELL, 610_000, ONE_BTC);
  const [close] = ofType(fx.take(), 'FillSettled');
  assert.equal(close!.realizedPnlAtoms, usdt(1_000));
  assert.equal(pos(fx, 3).qtyLots, 0n);
  assert.equal(pos(fx, 3).realizedPnlAtoms, usdt(1_000));
  assert.equal(wallet(fx, 3), before + usdt(1_000) - (close!.feeAtoms as bigint));
  assert.equal(fx.shard.checkInvariants({ allAccountsHere: true }).length, 0);
});

test('an isolated position takes its initial margin from the wallet and releases its share on a partial close', () => {
  const fx = fixture();
  fx.gw(setMarginMode(3, MarginMode.ISOLATED));
  fx.cross(2, 3, Side.BUY, BTC_60K, ONE_BTC);
  // 60,000 USDT at 20x: 3,000 moves into M_iso; the 30 USDT fee stays a wallet charge.
  assert.equal(pos(fx, 3).isolatedMarginAtoms, usdt(3_000));
  assert.equal(wallet(fx, 3), usdt(100_000 - 3_000 - 30));
  fx.cross(4, 3, Side.SELL, 610_000, ONE_BTC / 4);
  // 250 lots closed at +1,000 USDT/BTC: +250 USDT into M_iso, then a quarter of it released.
  const m = usdt(3_000) + usdt(250);
  assert.equal(pos(fx, 3).isolatedMarginAtoms, m - m / 4n);
  assert.equal(fx.shard.checkInvariants({ allAccountsHere: true }).length, 0);
});

test('isolated margin added before the fill stays with the position', () => {
  const fx = fixture();
  fx.gw(setMarginMode(3, MarginMode.ISOLATED));
  fx.gw(adjustIsolatedMargin(3, usdt(1_000), 50));
  fx.cross(2, 3, Side.BUY, BTC_60K, ONE_BTC);
  assert.equal(pos(fx, 3).isolatedMarginAtoms, usdt(4_000));
});

test('a fill releases the filled part of the order margin and a cancel releases the rest', () => {
  const fx = fixture();
  const buyId = fx.order(3, Side.BUY, BTC_60K, 2 * ONE_BTC);
  const sellId = fx.order(2, Side.SELL, BTC_60K, ONE_BTC);
  const full = pos(fx, 3).orderMarginAtoms;
  fx.mk(tradeExecuted({ taker: 2, maker: 3, takerOrderId: sellId, makerOrderId: buyId, takerSide: Side.SELL, priceTicks: BTC_60K, qtyLots: ONE_BTC, makerRemainingLots: ONE_BTC }));
  // The rest (1 BTC) still reserves, now on top of a long of 1 BTC: half the original cost.
  assert.equal(pos(fx, 3).orderMarginAtoms, full / 2n);
  assert.equal(pos(fx, 3).orders.get(buyId)!.filledLots, 1000n);
  fx.mk(orderCancelled(3, buyId, ONE_BTC));
  assert.equal(pos(fx, 3).orderMarginAtoms, 0n);
  assert.equal(pos(fx, 3).orders.size, 0);
});

test('liquidation fills pay no trading fee and are reported to the liquidation engine', () => {
  const fx = fixture();
  fx.cross(2, 3, Side.BUY, BTC_60K, ONE_BTC);
  const resting = fx.order(4, Side.BUY, BTC_60K, ONE_BTC);
  const liq = fx.shard.effects.placeLiquidationOrder(3, BTC_ID, Side.SELL, BigInt(ONE_BTC), 590_000n, 1);
  fx.take();
  fx.mk(tradeExecuted({ taker: 3, maker: 4, takerOrderId: liq, makerOrderId: resting, takerSide: Side.SELL, priceTicks: BTC_60K, qtyLots: ONE_BTC, takerOrigin: OrderOrigin.LIQUIDATION }));
  const [liqFill, makerFill] = ofType(fx.take(), 'FillSettled');
  assert.equal(liqFill!.feeAtoms, 0n);
  assert.equal(liqFill!.origin, OrderOrigin.LIQUIDATION);
  assert.equal(makerFill!.feeAtoms, usdt(12));
  assert.deepEqual(fx.hooks.fills, [[3, BTC_ID, liq, OrderOrigin.LIQUIDATION, -1000n, 600_000n]]);
  assert.deepEqual(fx.hooks.ended, [[3, BTC_ID, liq, 0]]);
});

test('a fill that leaves its scope below initial margin cancels the risk-increasing orders only', () => {
  const fx = new ShardFixture();
  fx.fund(2, usdt(100_000));
  fx.fund(3, usdt(3_400));
  fx.mark(BTC_ID, BTC_60K);
  const opening = fx.order(3, Side.BUY, BTC_60K, ONE_BTC);
  const adding = fx.order(3, Side.BUY, 590_000, 10);
  const closing = fx.order(3, Side.SELL, 620_000, ONE_BTC / 2);
  fx.mark(BTC_ID, 590_000);
  fx.takeMarket();
  const maker = fx.order(2, Side.SELL, BTC_60K, ONE_BTC);
  fx.mk(tradeExecuted({ taker: 3, maker: 2, takerOrderId: opening, makerOrderId: maker, takerSide: Side.BUY, priceTicks: BTC_60K, qtyLots: ONE_BTC }));
  // Equity 3,400 − 30 − 1,000 = 2,370 against an IM of 2,950: the extra buy goes, the closing sell stays.
  const sent = fx.takeMarket().filter((r) => r.type === 'CancelOrder');
  assert.deepEqual(sent.map((r) => r.orderId), [adding]);
  assert.equal(pos(fx, 3).orders.get(adding)!.cancelRequested, true);
  assert.equal(pos(fx, 3).orders.has(closing), true);
  assert.equal(fx.hooks.checks.length, 0);
});

test('a reduce-only fill that grows a position is counted as an I9 breach', () => {
  const fx = fixture();
  fx.cross(2, 3, Side.BUY, BTC_60K, ONE_BTC);
  const ro = fx.order(3, Side.SELL, BTC_60K, ONE_BTC, { reduceOnly: true });
  const bid = fx.order(4, Side.BUY, BTC_60K, 2 * ONE_BTC);
  assert.deepEqual(fx.shard.checkInvariants({ allAccountsHere: true }), []);
  // A market shard that failed to clip: the reduce-only sell fills 2 BTC and flips the long.
  fx.mk(tradeExecuted({ taker: 3, maker: 4, takerOrderId: ro, makerOrderId: bid, takerSide: Side.SELL, priceTicks: BTC_60K, qtyLots: 2 * ONE_BTC }));
  assert.match(fx.shard.checkInvariants({ allAccountsHere: true }).join(), /I9/);
});

test('every PositionUpdated carries its scope\'s margin ratio: the cross account\'s, or the isolated position\'s own', () => {
  const fx = fixture();
  fx.gw(setMarginMode(4, BTC_ID, MarginMode.ISOLATED));
  fx.take();
  fx.cross(3, 2, Side.BUY, BTC_60K, ONE_BTC); // 2 long in cross
  fx.cross(3, 4, Side.SELL, BTC_60K, ONE_BTC); // 4 short, isolated
  const events = fx.take();
  const positionOf = (id: number) => ofType(events, 'PositionUpdated').filter((e) => e.accountId === id).at(-1)!;
  const accountOf = (id: number) => ofType(events, 'AccountUpdated').filter((e) => e.accountId === id).at(-1)!;
  // Cross: the position's figure is the account's.
  assert.ok((positionOf(2).marginRatioRate as bigint) > 0n);
  assert.equal(positionOf(2).marginRatioRate, accountOf(2).marginRatioRate);
  // Isolated: ceil(MM · 10^8 / (M_iso + UPnL)) of the position alone.
  const account = fx.state.accounts.get(4)!;
  const scope = fx.shard.parts.scopeOf(account, pos(fx, 4));
  const expected = (scope.maintenanceAtoms * 100_000_000n + scope.equityAtoms - 1n) / scope.equityAtoms;
  assert.equal(positionOf(4).marginRatioRate, expected);
  assert.notEqual(positionOf(4).marginRatioRate, accountOf(4).marginRatioRate, 'the isolated scope is not the account\'s cross scope');
});
