// The risk state hash covers everything that can reach an output (risk/shard/risk-state-hash.ts): two
// states that differ in one such field must hash differently, or a replay that diverged there would pass
// as equal. Each case changes one field of a live shard and checks the hash moves, then puts it back and
// checks it returns.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { MarginMode } from '../../../risk/shard/state.js';
import { setMarginMode } from '../../support/risk-commands.js';
import { BTC_60K, BTC_ID, ETH_ID, ONE_BTC, ShardFixture, usdt } from './shard-fixture.js';

function shard(): ShardFixture {
  const fx = new ShardFixture();
  fx.fund(2, usdt(100_000));
  fx.fund(3, usdt(100_000));
  fx.gw(setMarginMode(2, MarginMode.ISOLATED, ETH_ID));
  fx.mark(BTC_ID, BTC_60K);
  fx.mark(ETH_ID, 300_000);
  fx.trade(3, 2, Side.BUY, BTC_60K, ONE_BTC);
  fx.trade(3, 2, Side.BUY, 300_000, 100, ETH_ID);
  return fx;
}

function flips(fx: ShardFixture, label: string, flip: () => void): void {
  const before = fx.hash();
  flip();
  assert.notEqual(fx.hash(), before, `${label}: the hash did not see it`);
  assert.notEqual(fx.shard.stateHashExcludingStreams(), before, `${label}`);
  flip();
  assert.equal(fx.hash(), before, `${label}: back again`);
}

test('the hash sees an account\'s and an isolated position\'s margin-called flag', () => {
  const fx = shard();
  const account = fx.state.accounts.get(2)!;
  const isolated = account.positions.get(ETH_ID)!;
  assert.equal(isolated.marginMode, MarginMode.ISOLATED);
  flips(fx, 'cross margin call', () => (account.marginCalled = !account.marginCalled));
  flips(fx, 'isolated margin call', () => (isolated.marginCalled = !isolated.marginCalled));
});

test('the hash sees the shard\'s time and what a pending order\'s acceptance replaced', () => {
  const fx = shard();
  fx.order(2, Side.BUY, BTC_60K - 10, 5);
  const pos = fx.state.accounts.get(2)!.positions.get(BTC_ID)!;
  const order = [...pos.orders.values()][0]!;
  flips(fx, 'clock', () => (fx.shard.parts.clock.nowUs ^= 1));
  flips(fx, 'reservation mark', () => (pos.reserveMarkTicks ^= 1));
  flips(fx, 'reservation order', () => (pos.reserveOrderId ^= 1));
  flips(fx, 'mark before the order', () => (order.markBeforeTicks ^= 1));
  flips(fx, 'acceptance before the order', () => (order.reserveOrderIdBefore ^= 1));
});
