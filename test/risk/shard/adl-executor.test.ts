import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelReason, Side } from '../../../engine/enums.js';
import { AdlMode } from '../../../risk/adl.js';
import { AdlExecutor } from '../../../risk/shard/adl-executor.js';
import { BTC, btc, btcTicks, usdt } from '../markets.js';
import { CROSS_SCOPE } from '../../../risk/shard/seams.js';
import { addAccount, addUserOrder, BTC_ID, equityOf, makeState, MarketSim, openPosition, RecordingEffects, setMark } from './liquidation-sim.js';
import { isolatedLongBtc, shortCounterparty } from './liquidation-scenarios.js';

// isolatedLongBtc with an empty fund: budget 0, so the sweep takes only bids at or above BP (590,000 ticks)
// and, with none there, the whole 0.5 BTC goes to ADL at BP.
function emptyFund(mode: AdlMode = AdlMode.SEQUENTIAL): MarketSim {
  return isolatedLongBtc({ adlMode: mode }, 0n);
}

test('a shortfall beyond the fund\'s budget is deleveraged for exactly the remainder, at BP', () => {
  // Budget 50 (the fund's whole balance), BP 59,000. The sweep takes 0.2 at 58,950 (cost 10) and of the
  // 58,000 level what the 40 left pay for at 1,000 a BTC: 0.04 BTC. Margin 500 − 210 − 80 = 210. The
  // other 0.26 BTC goes to ADL at 59,000 (−260): margin −50, which the fund pays, all of its 50. ADL only
  // after a second sweep, with nothing of the budget left, took nothing: the first one's fills may have
  // fired stops that bid again (test/scenarios/sweep-fires-stop.test.ts).
  const sim = isolatedLongBtc({}, usdt(50n));
  shortCounterparty(sim.state, 2, btc(1n), usdt(5_000n));
  sim.book(BTC_ID, [
    [btcTicks(58_950n), 200n],
    [btcTicks(58_000n), btc(5n)],
  ]);
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.of('sweepLiquidation').map((c) => c.slice(3, 7)), [
    [500n, 535_500n, btcTicks(59_000n), usdt(50n)],
    [260n, 535_500n, btcTicks(59_000n), 0n],
  ]);
  assert.deepEqual(sim.effects.of('deleverage').map((c) => c.slice(0, 6)), [[1, 2, BTC_ID, Side.SELL, 260n, btcTicks(59_000n)]]);
  assert.deepEqual(sim.effects.of('adlExecuted').map((c) => c.slice(0, 7)), [[2, BTC_ID, 1, 1, Side.BUY, 260n, btcTicks(59_000n)]]);
  assert.deepEqual(sim.effects.steps(), [
    'TRIGGERED',
    'FULL_ORDER',
    'FULL_FILL',
    'FULL_FILL',
    'FULL_ORDER',
    'ADL_STARTED',
    'ADL_FILL',
    'SHORTFALL_COVERED',
    'COMPLETED',
  ]);
  assert.equal(sim.state.insuranceFundAtoms, 0n);
  assert.equal(equityOf(sim.state, 1, BTC_ID), 0n);
  // the counterparty closed 0.26 of its short at 59,000: +260
  assert.equal(sim.state.accounts.get(2)!.walletAtoms, usdt(5_260n));
  assert.equal(sim.state.accounts.get(2)!.positions.get(BTC_ID)!.qtyLots, -740n);
  assert.deepEqual(sim.effects.violations, []);
});

test('ADL ranks equal scores by notional, then lower account id, whatever order accounts were created in', () => {
  // 3 and 7: short 0.3 at 60,000, equity 6,150 each (same score and notional) → 3 first; 2 shorted at 59,000
  // and is losing (negative score) → last; 4 is long (same side) → never.
  const build = (ids: number[]): MarketSim => {
    const sim = emptyFund();
    for (const id of ids) {
      if (id === 4) {
        addAccount(sim.state, 4, usdt(6_000n));
        openPosition(sim.state, 4, BTC, 300n, btcTicks(60_000n));
      } else shortCounterparty(sim.state, id, 300n, usdt(6_000n), id === 2 ? 59_000n : 60_000n);
    }
    sim.check(1, BTC_ID);
    sim.deliver();
    return sim;
  };
  const a = build([7, 4, 3, 2]);
  const b = build([2, 3, 4, 7]);
  assert.deepEqual(a.effects.of('deleverage').map((c) => [c[1], c[4]]), [[3, 300n], [7, 200n]]);
  assert.deepEqual(a.effects.calls, b.effects.calls);
});

test('a rejected Deleverage is re-ranked without that counterparty', () => {
  // 3 is rejected; 7 takes its 0.2, then the re-ranked queue (7, 2) takes the remaining 0.3: 7's last 0.1, then 2
  const sim = emptyFund();
  for (const id of [2, 3, 7]) shortCounterparty(sim.state, id, 300n, usdt(6_000n), id === 2 ? 59_000n : 60_000n);
  sim.rejectDeleverageFor.add(3);
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.of('deleverage').map((c) => [c[1], c[4]]), [[3, 300n], [7, 200n], [7, 100n], [2, 200n]]);
  assert.deepEqual(sim.effects.of('adlExecuted').map((c) => [c[0], c[5]]), [[7, 200n], [7, 100n], [2, 200n]]);
  assert.equal(sim.state.accounts.get(3)!.positions.get(BTC_ID)!.qtyLots, -300n);
  assert.equal(sim.state.accounts.get(1)!.positions.get(BTC_ID)!.qtyLots, 0n);
  assert.deepEqual(sim.effects.steps().slice(-1), ['COMPLETED']);
});

test('PRO_RATA shares the remainder in proportion to quantity times score', () => {
  // Both short 1 BTC at 60,000; 3 with equity 3,000, 7 with 6,000: 3's score is twice 7's (its weight one unit
  // more after rounding), so 0.5 BTC splits 333 / 166 and the odd lot goes to the front of the queue.
  const sim = emptyFund(AdlMode.PRO_RATA);
  shortCounterparty(sim.state, 3, btc(1n), usdt(2_500n));
  shortCounterparty(sim.state, 7, btc(1n), usdt(5_500n));
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.of('deleverage').map((c) => [c[1], c[4]]), [[3, 334n], [7, 166n]]);
});

test('a counterparty\'s open orders in the market are cancelled just before its Deleverage', () => {
  const sim = emptyFund();
  shortCounterparty(sim.state, 2, btc(1n), usdt(5_000n));
  addUserOrder(sim.state, 2, BTC_ID, 21, Side.SELL, btcTicks(61_000n), 100n);
  sim.check(1, BTC_ID);
  sim.deliver();
  const kinds = sim.effects.calls.filter((c) => c[0] === 'cancelAllOrders' || c[0] === 'deleverage').map((c) => [c[0], c[1], c[2]]);
  assert.deepEqual(kinds.slice(-2), [
    ['cancelAllOrders', 2, BTC_ID],
    ['deleverage', 1, 2],
  ]);
  assert.equal(sim.effects.of('cancelAllOrders').at(-1)![2], CancelReason.LIQUIDATION);
});

test('with no counterparty in this shard the remainder waits, and a later check resumes it', () => {
  const sim = emptyFund();
  sim.check(1, BTC_ID);
  sim.deliver();
  // Nobody to deleverage: the book is offered the rest at the band's edge (empty here), then the run waits.
  assert.deepEqual(sim.effects.steps().slice(-2), ['ADL_STARTED', 'FULL_ORDER']);
  assert.equal(sim.engine.waiting.size, 1);
  assert.equal(sim.engine.isFrozen(1, BTC_ID), true);
  shortCounterparty(sim.state, 2, btc(1n), usdt(5_000n));
  sim.check(2, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.of('deleverage').map((c) => [c[1], c[4]]), [[2, 500n]]);
  assert.deepEqual(sim.effects.steps().slice(-1), ['COMPLETED']);
});

test('the candidates leave out same-side positions, the liquidated account, rejected ones and scopes in the pipeline', () => {
  const state = makeState();
  for (const id of [1, 2, 3, 4, 5]) addAccount(state, id, usdt(1_000n));
  openPosition(state, 1, BTC, 500n, btcTicks(60_000n));
  openPosition(state, 2, BTC, -100n, btcTicks(60_000n));
  openPosition(state, 3, BTC, 100n, btcTicks(60_000n));
  openPosition(state, 4, BTC, -100n, btcTicks(60_000n));
  openPosition(state, 5, BTC, -100n, btcTicks(60_000n));
  const adl = new AdlExecutor(state, new RecordingEffects(state), AdlMode.SEQUENTIAL, (a) => a === 5);
  assert.deepEqual(
    adl.candidates(BTC_ID, 500n, 1, [4]).map((c) => c.accountId),
    [2],
  );
});

test('a counterparty that cannot bear the BP after a gap closes where its equity reaches zero, and the rest is reported', () => {
  // The mark gaps to 57,000 before the pipeline runs: the long's BP 59,000 is now 2,000 above it. Account
  // 2 is short 0.5 BTC from 57,500 with a wallet of 200: equity 200 + 0.5·500 = 450 at the mark. At BP it
  // would lose 0.5·2,000 = 1,000 against the mark and end at −550; it can bear 450/0.5 = 900 per BTC, so it
  // buys at 57,900 and ends at exactly 0. The long sells at 57,900: margin 500 − 0.5·2,100 = −550, with the
  // fund empty: COMPLETED below zero, reported there.
  const sim = emptyFund();
  setMark(sim.state, BTC_ID, btcTicks(57_000n));
  shortCounterparty(sim.state, 2, 500n, usdt(200n), 57_500n);
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.of('deleverage').map((c) => c.slice(0, 6)), [[1, 2, BTC_ID, Side.SELL, 500n, btcTicks(57_900n)]]);
  assert.equal(equityOf(sim.state, 2, CROSS_SCOPE), 0n);
  assert.equal(equityOf(sim.state, 1, BTC_ID), -usdt(550n));
  assert.deepEqual(sim.effects.steps().slice(-3), ['ADL_FILL', 'SHORTFALL_COVERED', 'COMPLETED']);
  assert.deepEqual(sim.effects.leftNegative, [1]);
  assert.deepEqual(sim.effects.violations, []);
});
