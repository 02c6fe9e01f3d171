import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { QUINTILE_REFRESH_US } from '../../../risk/shard/quintiles.js';
import { advanceTime, deposit, fundingRateApplied, setLeverage } from '../../support/risk-commands.js';
import { rng, testSeed } from '../../support/seed.js';
import { BTC_60K, BTC_ID, ShardFixture, usdt } from './shard-fixture.js';

const POSITIONS = 24;
const PER_RECORD = 4;
/** Account a trades against account COUNTERPARTY + a, so every position is one fill, whatever the order. */
const COUNTERPARTY = 100;
/** The ranked positions: the 24 accounts and their 24 counterparties. */
const MEMBERS = 2 * POSITIONS;

/** The cached boundaries (market header and boundary account ids), the way the state hash reads them. */
function boundaries(fx: ShardFixture): number[] {
  const out: number[] = [];
  fx.shard.parts.quintiles.forEachCached(
    (marketId, epoch, builtAtUs) => out.push(marketId, epoch, builtAtUs),
    (long, count, accountId) => out.push(long ? 1 : 0, count, accountId),
  );
  return out;
}

/** 24 pairs of positions in BTC-PERP opened in the given account order, longs and shorts, entries spread out. */
function market(order: number[], perRecord: number): ShardFixture {
  const fx = new ShardFixture({ pool: { adlRankingKeysPerRecord: perRecord } });
  for (let a = 1; a <= POSITIONS; a++) {
    fx.fund(a, usdt(5_000 + 1_000 * a));
    fx.fund(COUNTERPARTY + a, usdt(50_000 + 3_000 * a));
  }
  fx.mark(BTC_ID, BTC_60K);
  for (const a of order) fx.trade(COUNTERPARTY + a, a, a % 3 === 0 ? Side.SELL : Side.BUY, BTC_60K - 5_000 + 400 * a, 100 + 10 * a);
  fx.mark(BTC_ID, BTC_60K + 7_000);
  return fx;
}

/** What happens while a ranking job runs: fills, a deposit, funding, idle records. */
function duringJob(fx: ShardFixture, seed: number): void {
  const next = rng(seed);
  for (let i = 0; i < 12; i++) {
    const a = 1 + (next() % POSITIONS);
    const r = next() % 5;
    if (r <= 1) fx.trade(COUNTERPARTY + a, a, next() % 2 === 0 ? Side.SELL : Side.BUY, BTC_60K + 7_000 - 200 + (next() % 400), 1 + (next() % 500));
    else if (r === 2) fx.gw(deposit(a, usdt(1 + (next() % 1_000)), fx.requestId()));
    else if (r === 3) fx.mk(fundingRateApplied(BTC_ID, BigInt(next() % 20_000) - 10_000n, BTC_60K + 7_000));
    else fx.gw(advanceTime(2 + QUINTILE_REFRESH_US));
  }
}

/** Publishes one position a refresh interval on: the ranking starts (as a job when the market is large). */
function publishAfterRefresh(fx: ShardFixture, accountId: number): void {
  const cmd = setLeverage(accountId, 10);
  fx.gw({ ...cmd, header: { ...cmd.header, timeUs: 1 + QUINTILE_REFRESH_US } });
}

test('a market larger than one record\'s share is ranked by a job of a fixed number of records: keying, then ranking steps', () => {
  const fx = market(Array.from({ length: POSITIONS }, (_, i) => i + 1), PER_RECORD);
  const cache = fx.shard.parts.quintiles;
  const before = cache.rebuilds;
  publishAfterRefresh(fx, 1);
  // The publishing record itself was the job's first record. Keying takes ceil(members / share) records,
  // then each side one selection step and one step per boundary (24 longs and 24 shorts: 4 boundaries).
  const records = Math.ceil(MEMBERS / PER_RECORD) + 2 * (1 + 4);
  for (let i = 1; i < records; i++) {
    assert.equal(cache.rebuilds, before, `still running after ${i} record(s)`);
    fx.gw(advanceTime(2 + QUINTILE_REFRESH_US));
  }
  assert.equal(cache.rebuilds, before + 1);
});

test('a ranking job finds the boundaries an immediate ranking finds at its start, whatever changes meanwhile', () => {
  const seed = testSeed('ranking job vs immediate ranking');
  const spread = market(Array.from({ length: POSITIONS }, (_, i) => i + 1), PER_RECORD);
  const atOnce = market(Array.from({ length: POSITIONS }, (_, i) => i + 1), 1_000);
  publishAfterRefresh(spread, 1);
  publishAfterRefresh(atOnce, 1);
  const expected = boundaries(atOnce);
  const before = spread.shard.parts.quintiles.rebuilds;
  duringJob(spread, seed);
  while (spread.shard.parts.quintiles.rebuilds === before) spread.gw(advanceTime(2 + QUINTILE_REFRESH_US));
  assert.deepEqual(boundaries(spread), expected, `seed ${seed}`);
});

test('the same state reached in a different order ranks and publishes the same, job under way or not', () => {
  const seed = testSeed('ranking job order independence');
  const ascending = Array.from({ length: POSITIONS }, (_, i) => i + 1);
  const shuffled = [...ascending];
  const next = rng(seed);
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = next() % (i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
  }
  const a = market(ascending, PER_RECORD);
  const b = market(shuffled, PER_RECORD);
  assert.equal(a.hash(), b.hash(), 'same state before the job');
  a.take();
  b.take();
  publishAfterRefresh(a, 1);
  publishAfterRefresh(b, 1);
  assert.equal(a.hash(), b.hash(), 'same state with the job under way');
  // Both hash definitions: the second hashes a member whose state gives its values at the start by its id
  // alone (docs/SNAPSHOTS.md, "The encode at risksnap8"), whichever members the sweep keyed first.
  assert.equal(a.shard.stateHashAs(1), b.shard.stateHashAs(1), 'definition 1, job under way');
  duringJob(a, seed);
  duringJob(b, seed);
  assert.equal(a.shard.stateHashAs(1), b.shard.stateHashAs(1), `definition 1, seed ${seed}`);
  assert.deepEqual(a.take(), b.take(), `seed ${seed}`);
  assert.equal(a.hash(), b.hash(), `seed ${seed}`);
});
