import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { QUINTILE_REFRESH_US } from '../../../risk/shard/quintiles.js';
import { setLeverage } from '../../support/risk-commands.js';
import { BTC_60K, BTC_ID, ONE_BTC, ShardFixture, ofType, usdt } from './shard-fixture.js';

/** Five 1 BTC longs (accounts 2..6) entered at 55,000 … 59,000, all against account 9. */
function ladder(): ShardFixture {
  const fx = new ShardFixture();
  fx.fund(9, usdt(10_000_000));
  fx.mark(BTC_ID, 550_000);
  for (let i = 0; i < 5; i++) {
    fx.fund(2 + i, usdt(20_000));
    fx.trade(9, 2 + i, Side.BUY, 550_000 + 10_000 * i, ONE_BTC);
  }
  fx.mark(BTC_ID, BTC_60K);
  fx.take();
  return fx;
}

/**
 * Publishes each account's position (a leverage change republishes it) a refresh interval after the
 * setup, so the ranking is rebuilt at the current mark, and returns the quintiles.
 */
function published(fx: ShardFixture, accounts: number[]): number[] {
  for (const a of accounts) {
    const cmd = setLeverage(a, 10);
    fx.gw({ ...cmd, header: { ...cmd.header, timeUs: 1 + QUINTILE_REFRESH_US } });
  }
  const updates = ofType(fx.take(), 'PositionUpdated');
  return accounts.map((a) => updates.find((e) => e.accountId === a)!.adlQuintile as number);
}

test('the most profitable, most leveraged long is first in the ADL queue: quintile 5, the last quintile 1', () => {
  const fx = ladder();
  assert.deepEqual(published(fx, [2, 3, 4, 5, 6]), [5, 4, 3, 2, 1]);
});

test('a side with a single position puts it in quintile 5', () => {
  const fx = ladder();
  assert.deepEqual(published(fx, [9]), [5]);
});

test('a position opened after the ranking is placed among it until the next mark update', () => {
  const fx = ladder();
  published(fx, [2]);
  fx.fund(7, usdt(20_000));
  // Entered at the mark: no profit, behind every other long.
  fx.trade(9, 7, Side.BUY, BTC_60K, ONE_BTC);
  const update = ofType(fx.take(), 'PositionUpdated').find((e) => e.accountId === 7)!;
  assert.equal(update.adlQuintile, 1);
});

test('the ranking is rebuilt at most once per mark update and once per refresh interval of input time', () => {
  const fx = ladder();
  const cache = fx.shard.parts.quintiles;
  const publishAt = (accountId: number, timeUs: number): void => {
    const cmd = setLeverage(accountId, 9 + (timeUs % 2));
    fx.gw({ ...cmd, header: { ...cmd.header, timeUs } });
  };
  const start = cache.rebuilds;
  publishAt(2, 1 + QUINTILE_REFRESH_US);
  assert.equal(cache.rebuilds, start + 1);
  publishAt(3, 2 + QUINTILE_REFRESH_US);
  assert.equal(cache.rebuilds, start + 1, 'no mark update since');
  fx.mark(BTC_ID, 610_000);
  publishAt(4, 3 + QUINTILE_REFRESH_US);
  assert.equal(cache.rebuilds, start + 1, 'within the refresh interval');
  publishAt(5, 1 + 2 * QUINTILE_REFRESH_US);
  assert.equal(cache.rebuilds, start + 2);
});
