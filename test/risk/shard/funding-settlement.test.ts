import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Side } from '../../../engine/enums.js';
import { UpdateReason } from '../../../risk/shard/events.js';
import { CROSS_SCOPE } from '../../../risk/shard/seams.js';
import { MarginMode } from '../../../risk/shard/state.js';
import { fundingRateApplied, markPriceUpdated, setMarginMode } from '../../support/risk-commands.js';
import { BTC_60K, BTC_ID, ETH_ID, ONE_BTC, ShardFixture, ofType, usdt } from './shard-fixture.js';

/** Account 2 long 1 BTC against shorts of 0.3 BTC (3) and 0.7 BTC (4), all at 60,000. */
function positions(): ShardFixture {
  const fx = new ShardFixture();
  for (const id of [2, 3, 4]) fx.fund(id, usdt(100_000));
  fx.mark(BTC_ID, BTC_60K);
  fx.cross(3, 2, Side.BUY, BTC_60K, 300);
  fx.cross(4, 2, Side.BUY, BTC_60K, 700);
  fx.take();
  return fx;
}

const wallet = (fx: ShardFixture, id: number) => fx.state.accounts.get(id)!.walletAtoms;

test('longs pay the ceiling, shorts receive the floor, and the residue goes to funding clearing', () => {
  const fx = positions();
  const before = [2, 3, 4].map((id) => wallet(fx, id));
  // F = 1,234·10^-8 at 60,000.1 USDT: the long owes 740,401.234 atoms, the shorts are due 222,120.37 and 518,280.86.
  fx.mk(fundingRateApplied(BTC_ID, 1_234n, 600_001, 7));
  const paid = ofType(fx.take(), 'FundingPaid');
  assert.deepEqual(paid.map((e) => [e.accountId, e.amountAtoms, e.positionLots]), [
    [2, 740_402n, 1000n],
    [3, -222_120n, -300n],
    [4, -518_280n, -700n],
  ]);
  assert.equal(paid[0]!.fundingTimeUs, 7);
  assert.deepEqual([2, 3, 4].map((id, i) => before[i]! - wallet(fx, id)), [740_402n, -222_120n, -518_280n]);
  assert.equal(fx.state.fundingClearingAtoms, 2n);
  assert.deepEqual(fx.shard.checkInvariants({ allAccountsHere: true }), []);
});

test('a negative rate makes shorts pay longs, still rounding every payment against its receiver', () => {
  const fx = positions();
  fx.mk(fundingRateApplied(BTC_ID, -1_234n, 600_001));
  const paid = ofType(fx.take(), 'FundingPaid').map((e) => e.amountAtoms as bigint);
  assert.deepEqual(paid, [-740_401n, 222_121n, 518_281n]);
  assert.equal(fx.state.fundingClearingAtoms, 1n);
  assert.deepEqual(fx.shard.checkInvariants({ allAccountsHere: true }), []);
});

test('an isolated position pays funding from its margin, not the wallet', () => {
  const fx = new ShardFixture();
  for (const id of [2, 3]) fx.fund(id, usdt(100_000));
  fx.gw(setMarginMode(2, MarginMode.ISOLATED));
  fx.mark(BTC_ID, BTC_60K);
  fx.cross(3, 2, Side.BUY, BTC_60K, ONE_BTC);
  const account = fx.state.accounts.get(2)!;
  const walletBefore = account.walletAtoms;
  const marginBefore = account.positions.get(BTC_ID)!.isolatedMarginAtoms;
  fx.mk(fundingRateApplied(BTC_ID, 10_000n, BTC_60K));
  assert.equal(account.walletAtoms, walletBefore);
  assert.equal(account.positions.get(BTC_ID)!.isolatedMarginAtoms, marginBefore - usdt(6));
  assert.deepEqual(fx.shard.checkInvariants({ allAccountsHere: true }), []);
});

test('funding moves liquidation prices and republishes the positions with reason FUNDING', () => {
  const fx = new ShardFixture();
  fx.fund(2, usdt(100_000));
  fx.fund(3, usdt(5_000));
  fx.mark(BTC_ID, BTC_60K);
  fx.cross(2, 3, Side.BUY, BTC_60K, ONE_BTC);
  fx.take();
  fx.mk(fundingRateApplied(BTC_ID, 100_000n, BTC_60K));
  const events = fx.take();
  const updated = ofType(events, 'PositionUpdated').find((e) => e.accountId === 3)!;
  assert.equal(updated.reason, UpdateReason.FUNDING);
  assert.equal(ofType(events, 'AccountUpdated').find((e) => e.accountId === 3)!.reason, UpdateReason.FUNDING);
});

test('funding that takes a scope to its maintenance margin calls the liquidation check', () => {
  const fx = new ShardFixture();
  fx.fund(2, usdt(100_000));
  // 1 BTC long at 60,000 with 730 USDT and an atom: after the 30 fee its equity is one atom above its MM of 700.
  fx.fund(3, usdt(730) + 1n);
  fx.mark(BTC_ID, BTC_60K);
  fx.trade(2, 3, Side.BUY, BTC_60K, ONE_BTC);
  assert.deepEqual(fx.hooks.checks, []);
  fx.mk(fundingRateApplied(BTC_ID, 1n, BTC_60K));
  assert.deepEqual(fx.hooks.checks, [[3, CROSS_SCOPE]]);
});

// One timer tick settles funding in every market, on as many market shards, whose records reach the risk
// shard in thread order (issue 7, part 4). Account 3 is cross, long 1 BTC and short 10 ETH, with equity 50
// USDT above its maintenance margin: BTC's funding takes 100 from it, ETH's gives it 200. Paid BTC first, the
// state in between is liquidatable; ETH first, it never is. Before the funding round, the shard evaluated
// the scope after each record: a liquidation check (and its margin call) in one order only.
const FUNDING_AT = 28_800_000_000;
const ETH_3K = 300_000;
const TEN_ETH = 1_000;

function fundingRound(order: readonly number[]): ShardFixture {
  const fx = new ShardFixture();
  const probe = new ShardFixture();
  for (const f of [fx, probe]) {
    f.fund(2, usdt(1_000_000));
    for (const [id, ticks] of [[BTC_ID, BTC_60K], [ETH_ID, ETH_3K]] as const) f.mk(markPriceUpdated(id, ticks, { nextFundingTimeUs: FUNDING_AT }));
  }
  // The probe measures the fees and margin of the positions; the real account gets exactly MM + 50 after them.
  probe.fund(3, usdt(100_000));
  probe.trade(2, 3, Side.BUY, BTC_60K, ONE_BTC);
  probe.trade(2, 3, Side.SELL, ETH_3K, TEN_ETH, ETH_ID);
  const figures = probe.shard.parts.cross(probe.state.accounts.get(3)!);
  const spent = usdt(100_000) - figures.equityAtoms;
  fx.fund(3, spent + figures.maintenanceAtoms + usdt(50));
  fx.trade(2, 3, Side.BUY, BTC_60K, ONE_BTC);
  fx.trade(2, 3, Side.SELL, ETH_3K, TEN_ETH, ETH_ID);
  fx.take();
  const rates = new Map([[BTC_ID, 166_667n], [ETH_ID, 666_667n]]);
  const marks = new Map([[BTC_ID, BTC_60K], [ETH_ID, ETH_3K]]);
  for (const id of order) fx.mk(fundingRateApplied(id, rates.get(id)!, marks.get(id)!, FUNDING_AT));
  return fx;
}

test('funding of two markets commutes: either arrival order ends in the same state, records and checks', () => {
  const btcFirst = fundingRound([BTC_ID, ETH_ID]);
  const ethFirst = fundingRound([ETH_ID, BTC_ID]);
  assert.deepEqual(btcFirst.hooks.checks, []);
  assert.deepEqual(ethFirst.hooks.checks, []);
  assert.equal(btcFirst.hash(), ethFirst.hash());
  const kinds = (fx: ShardFixture) => fx.take().map((e) => `${e.type} ${e.accountId}`).sort();
  assert.deepEqual(kinds(btcFirst), kinds(ethFirst));
});

test('the paid scopes wait for the last market that owes funding, or for the next record of another kind', () => {
  const fx = fundingRound([BTC_ID]);
  // ETH still owes the funding of FUNDING_AT: the payment is made, the evaluation waits.
  assert.deepEqual(ofType(fx.take(), 'PositionUpdated'), []);
  assert.equal(fx.shard.parts.monitor.hasPendingWork(), true);
  // A record of another kind closes the round: ETH may not report soon.
  fx.mark(ETH_ID, ETH_3K);
  assert.deepEqual(ofType(fx.take(), 'AccountUpdated').map((e) => [e.accountId, e.reason]), [[2, UpdateReason.FUNDING], [3, UpdateReason.FUNDING]]);
  assert.deepEqual(fx.hooks.checks, [[3, CROSS_SCOPE]]);
});
