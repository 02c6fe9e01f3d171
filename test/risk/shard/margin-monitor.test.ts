import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { UpdateReason } from '../../../risk/shard/events.js';
import { CROSS_SCOPE } from '../../../risk/shard/seams.js';
import { advanceTime } from '../../support/risk-commands.js';
import { BTC_60K, BTC_ID, ETH_ID, ONE_BTC, ShardFixture, ofType, usdt } from './shard-fixture.js';

/** A counterparty with deep pockets (account 9) and one 1 BTC position per given wallet, at 60,000. */
function longs(wallets: Record<number, number>, pool = {}): ShardFixture {
  const fx = new ShardFixture({ pool });
  fx.fund(9, usdt(10_000_000));
  fx.mark(BTC_ID, BTC_60K);
  for (const [id, w] of Object.entries(wallets)) {
    fx.fund(Number(id), usdt(w));
    fx.trade(9, Number(id), Side.BUY, BTC_60K, ONE_BTC);
  }
  fx.take();
  return fx;
}

const lp = (fx: ShardFixture, id: number, marketId = BTC_ID) => fx.state.accounts.get(id)!.positions.get(marketId)!.derived.liquidationPriceTicks;

test('a mark crossing one long liquidation price calls the check for exactly that scope', () => {
  // After the 30 USDT fee: 7,970, 4,970 and 2,970 of equity at 60,000; LPs 52,581.7, 55,642.9, 57,683.7.
  const fx = longs({ 2: 8_000, 3: 5_000, 4: 3_000 });
  assert.deepEqual([lp(fx, 2), lp(fx, 3), lp(fx, 4)], [525_817n, 556_429n, 576_837n]);
  fx.mark(BTC_ID, 570_000);
  assert.deepEqual(fx.hooks.checks, [[4, CROSS_SCOPE]]);
});

test('a short liquidation price is crossed from below', () => {
  const fx = new ShardFixture();
  fx.fund(9, usdt(10_000_000));
  fx.fund(5, usdt(3_000));
  fx.mark(BTC_ID, BTC_60K);
  fx.trade(9, 5, Side.SELL, BTC_60K, ONE_BTC);
  // 2,970 + 60,000 − P = 0.02·P − 500  →  P = 62,225.49, displayed rounded down.
  assert.equal(lp(fx, 5), 622_254n);
  fx.mark(BTC_ID, 622_000);
  assert.deepEqual(fx.hooks.checks, []);
  fx.mark(BTC_ID, 622_255);
  assert.deepEqual(fx.hooks.checks, [[5, CROSS_SCOPE]]);
});

test('the mark at the displayed liquidation price is the last tick that is not liquidatable', () => {
  const fx = longs({ 4: 3_000 });
  fx.mark(BTC_ID, 576_837);
  const scope = fx.shard.parts.cross(fx.state.accounts.get(4)!);
  assert.equal(scope.liquidatable, false);
  fx.mark(BTC_ID, 576_836);
  assert.deepEqual(fx.hooks.checks, [[4, CROSS_SCOPE]]);
});

test('bounded work: at most maxChecksPerUpdate scopes per record, the rest carried to the next records', () => {
  const fx = longs({ 10: 3_000, 11: 3_000, 12: 3_000, 13: 3_000, 14: 3_000 }, { maxChecksPerUpdate: 2 });
  fx.mark(BTC_ID, 570_000);
  assert.deepEqual(fx.hooks.checks.map((c) => c[0]), [10, 11]);
  assert.equal(fx.shard.parts.monitor.hasPendingWork(), true);
  fx.gw(advanceTime(2));
  assert.deepEqual(fx.hooks.checks.map((c) => c[0]), [10, 11, 12, 13]);
  fx.gw(advanceTime(3));
  assert.deepEqual(fx.hooks.checks.map((c) => c[0]), [10, 11, 12, 13, 14]);
  fx.gw(advanceTime(4));
  assert.equal(fx.hooks.checks.length, 5);
  assert.equal(fx.shard.parts.monitor.hasPendingWork(), false);
});

test('a liquidatable scope is checked again at the next mark, not again within the same one', () => {
  const fx = longs({ 4: 3_000 });
  fx.mark(BTC_ID, 570_000);
  fx.gw(advanceTime(2));
  fx.gw(advanceTime(3));
  assert.equal(fx.hooks.checks.length, 1);
  fx.mark(BTC_ID, 569_000);
  assert.equal(fx.hooks.checks.length, 2);
});

test('a move of another market re-solves the liquidation price of a cross account holding both', () => {
  const fx = longs({ 6: 10_000 });
  fx.mark(ETH_ID, 300_000);
  // 10 ETH long at 3,000 on the same cross account.
  fx.trade(9, 6, Side.BUY, 300_000, 1_000, ETH_ID);
  const before = lp(fx, 6);
  fx.take();
  fx.mark(ETH_ID, 270_000);
  const updates = ofType(fx.take(), 'PositionUpdated').filter((e) => e.accountId === 6);
  const btc = updates.find((e) => e.marketId === BTC_ID)!;
  assert.equal(btc.reason, UpdateReason.MARK);
  assert.ok((btc.liquidationPriceTicks as number) > Number(before));
  assert.equal(BigInt(btc.liquidationPriceTicks as number), lp(fx, 6));
});

test('a margin call goes out once per crossing of the threshold, and again after a recovery', () => {
  // 2,970 of equity: Σ MM / Equity reaches 80% at 57,851.3.
  const fx = longs({ 7: 3_000 });
  fx.mark(BTC_ID, 578_000);
  assert.equal(ofType(fx.take(), 'MarginCallIssued').length, 1);
  fx.mark(BTC_ID, 577_900);
  assert.equal(ofType(fx.take(), 'MarginCallIssued').length, 0);
  fx.mark(BTC_ID, 590_000);
  assert.equal(fx.state.accounts.get(7)!.marginCalled, false);
  fx.mark(BTC_ID, 578_000);
  const [call] = ofType(fx.take(), 'MarginCallIssued');
  assert.equal(call!.accountId, 7);
  assert.ok((call!.marginRatioRate as bigint) >= 80_000_000n);
  assert.deepEqual(fx.hooks.checks, []);
});

test('a mark crossing a tier edge republishes the position with its new tier', () => {
  const fx = longs({ 8: 100_000 });
  assert.equal(fx.state.accounts.get(8)!.positions.get(BTC_ID)!.derived.tier, 2);
  fx.mark(BTC_ID, 500_001);
  assert.equal(ofType(fx.take(), 'PositionUpdated').length, 0);
  fx.mark(BTC_ID, 500_000);
  const [update] = ofType(fx.take(), 'PositionUpdated').filter((e) => e.accountId === 8);
  assert.equal(update!.tier, 1);
  assert.equal(update!.reason, UpdateReason.MARK);
});

test('a mark that crosses nothing publishes nothing', () => {
  const fx = longs({ 2: 8_000, 3: 5_000 });
  fx.mark(BTC_ID, 601_000);
  fx.mark(BTC_ID, 599_000);
  assert.deepEqual(fx.take(), []);
  assert.equal(fx.shard.parts.monitor.evaluations, 0);
});
