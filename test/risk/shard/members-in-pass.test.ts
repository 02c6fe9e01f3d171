// A ranking job's members taken in a snapshot's pass over the accounts (quintiles.ts, MembersInPass)
// instead of by the state hash's walk over the job's trigger slots: the same members, values and order
// (so the same hash and bytes), and a walk of its own whenever the pass does not stand for it (an account
// missing from the pass, a member keyed since, the columns refilled since).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { readSnapshotStreams } from '../../../engine/snapshot/shard-streams.js';
import { QUINTILE_REFRESH_US } from '../../../risk/shard/quintiles.js';
import { RankingJob } from '../../../risk/shard/ranking-job.js';
import { advanceTime, setLeverage } from '../../support/risk-commands.js';
import { BTC_60K, BTC_ID, ETH_ID, ShardFixture, usdt } from './shard-fixture.js';

const PAIRS = 16;

/**
 * Accounts 1..16 each against a counterparty 200+a (opened in the order 1, 201, 2, 202, …: not id order), a
 * few also in ETH-PERP, then a ranking job of BTC-PERP started and `records` records of it run, so that
 * some members are keyed and the rest are not.
 */
function jobUnderWay(records: number): ShardFixture {
  const fx = new ShardFixture({ pool: { adlRankingKeysPerRecord: 4 } });
  for (let a = 1; a <= PAIRS; a++) {
    fx.fund(a, usdt(4_000 + 900 * a));
    fx.fund(200 + a, usdt(60_000 + 2_000 * a));
  }
  fx.mark(BTC_ID, BTC_60K);
  for (let a = 1; a <= PAIRS; a++) fx.trade(200 + a, a, a % 3 === 0 ? Side.SELL : Side.BUY, BTC_60K - 4_000 + 300 * a, 50 + 20 * a);
  for (let a = 2; a <= PAIRS; a += 5) fx.trade(200 + a, a, Side.SELL, 3_000, 10 * a, ETH_ID);
  fx.mark(BTC_ID, BTC_60K + 6_000);
  const cmd = setLeverage(1, 10);
  fx.gw({ ...cmd, header: { ...cmd.header, timeUs: 1 + QUINTILE_REFRESH_US } });
  for (let i = 0; i < records; i++) fx.gw(advanceTime(2 + QUINTILE_REFRESH_US));
  assert.equal(fx.shard.parts.quintiles.jobsUnderWay, 1, 'the job is still under way');
  return fx;
}

/** f's result and how many walks over a job's members (RankingJob.forEachMember) it made. */
function countingWalks<T>(f: () => T): [T, number] {
  const walk = RankingJob.prototype.forEachMember;
  let walks = 0;
  RankingJob.prototype.forEachMember = function (this: RankingJob, g) {
    walks++;
    walk.call(this, g);
  };
  try {
    return [f(), walks];
  } finally {
    RankingJob.prototype.forEachMember = walk;
  }
}

/** What the state hash takes of the jobs (forEachJob), with a pass or without, and how many walks it made. */
function jobs(fx: ShardFixture, pass?: ReturnType<ShardFixture['shard']['parts']['quintiles']['startPass']>): { values: unknown[]; walks: number } {
  const values: unknown[] = [];
  const [, walks] = countingWalks(() =>
    fx.shard.parts.quintiles.forEachJob(
      (...job) => values.push(job),
      (...member) => values.push(member),
      pass,
    ),
  );
  return { values, walks };
}

test('a pass over every account gives the walk’s members, values and order, without the walk', () => {
  for (const records of [0, 2, 5]) {
    const fx = jobUnderWay(records);
    const q = fx.shard.parts.quintiles;
    const want = jobs(fx);
    assert.equal(want.walks, 1);
    const ids = want.values.slice(1).map((m) => (m as number[])[0]!);
    assert.equal(ids.length, 2 * PAIRS, `every BTC-PERP position a member (after ${records} records)`);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'by account id');
    const pass = q.startPass()!;
    fx.shard.state.accounts.forEach(pass.account);
    assert.deepEqual(jobs(fx, pass), { values: want.values, walks: 0 }, `after ${records} records`);
  }
});

test('a pass that missed an account, or that a change or another hash overtook, gives way to the walk', () => {
  const fx = jobUnderWay(1);
  const q = fx.shard.parts.quintiles;
  const missing = q.startPass()!;
  fx.shard.state.accounts.forEach((a) => void (a.id !== 5 && missing.account(a)));
  const want = jobs(fx);
  assert.deepEqual(jobs(fx, missing), { values: want.values, walks: 1 }, 'an account missing');

  const refilled = q.startPass()!;
  fx.shard.state.accounts.forEach(refilled.account);
  jobs(fx);
  assert.deepEqual(jobs(fx, refilled), { values: want.values, walks: 1 }, 'another hash refilled the columns');

  const overtaken = q.startPass()!;
  fx.shard.state.accounts.forEach(overtaken.account);
  // A fill of two members keys them first (their values at the start are kept) and changes their accounts;
  // the record is also one of the job's (its progress moves).
  fx.trade(203, 3, Side.BUY, BTC_60K + 6_000, 5);
  const after = jobs(fx);
  assert.deepEqual(after.values.slice(1), want.values.slice(1), 'members keyed by a change keep their values at the start');
  assert.deepEqual(jobs(fx, overtaken), { values: after.values, walks: 1 }, 'a member keyed since the pass');
});

test('an encode with a job under way takes the members in its pass and writes the walk’s hash', () => {
  const fx = jobUnderWay(3);
  const [bytes, walks] = countingWalks(() => fx.shard.encodeState());
  assert.equal(walks, 0);
  assert.equal(readSnapshotStreams(bytes).header.stateHash, fx.shard.stateHash());
});
