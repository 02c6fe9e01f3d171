// The escalation order (risk/shard/escalation-order.ts): runs take their steps in trigger order, one in
// flight at a time, whichever run's cancels were answered first.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Side } from '../../../engine/enums.js';
import { BTC, btc, btcTicks, usdt } from '../markets.js';
import { addAccount, addUserOrder, BTC_ID, equityOf, makeState, MarketSim, openPosition, setMark } from './liquidation-sim.js';
import { shortCounterparty } from './liquidation-scenarios.js';
import { EscalationOrder } from '../../../risk/shard/escalation-order.js';
import { testSeed } from '../../support/seed.js';

/** Two isolated longs of 0.5 BTC at 60,000 with 500 USDT each, each with a resting order; the fund holds 50. */
function twoScopes(): MarketSim {
  const state = makeState({}, usdt(50n));
  for (const id of [1, 2]) {
    addAccount(state, id);
    openPosition(state, id, BTC, 500n, btcTicks(60_000n), usdt(500n));
    addUserOrder(state, id, BTC_ID, 100 + id, Side.BUY, btcTicks(50_000n), 10n);
  }
  shortCounterparty(state, 3, btc(1n), usdt(5_000n));
  setMark(state, BTC_ID, btcTicks(59_500n));
  const sim = new MarketSim(state);
  sim.book(BTC_ID, [[btcTicks(58_900n), btc(2n)]]);
  return sim;
}

test('a scope triggered later whose cancels are answered first waits for the one triggered first', () => {
  const sim = twoScopes();
  sim.check(1, BTC_ID);
  sim.check(2, BTC_ID);
  // The market answers account 2's cancel before account 1's, as a second market shard could.
  sim.effects.outbox.reverse();
  sim.deliverNext(1);
  assert.deepEqual(sim.effects.of('sweepLiquidation'), [], 'account 2 is ready, but account 1 was triggered first');
  sim.deliver();
  // Account 1 escalates first and the fund's 50 is its budget; account 2 then finds the fund spent: ADL.
  assert.deepEqual(sim.effects.of('sweepLiquidation').map((c) => [c[0], c[6]]), [[1, usdt(50n)], [2, 0n]]);
  assert.deepEqual(sim.effects.of('deleverage').map((c) => [c[0], c[1], c[4]]), [[2, 3, 500n]]);
  assert.equal(equityOf(sim.state, 1, BTC_ID), 0n);
  assert.equal(equityOf(sim.state, 2, BTC_ID), 0n);
  assert.deepEqual(sim.effects.violations, []);
});

test('the outcome is the same whichever scope\'s cancels the market answers first', () => {
  const outcome = (reverse: boolean): unknown => {
    const sim = twoScopes();
    sim.check(1, BTC_ID);
    sim.check(2, BTC_ID);
    if (reverse) sim.effects.outbox.reverse();
    sim.deliver();
    // Commands without their time stamps (the simulated clock counts the answers delivered).
    const untimed = (kind: string): unknown[] => sim.effects.of(kind).map((c) => c.slice(0, -1));
    return [untimed('sweepLiquidation'), untimed('deleverage'), sim.state.insuranceFundAtoms, equityOf(sim.state, 1, BTC_ID), equityOf(sim.state, 2, BTC_ID)];
  };
  assert.deepEqual(outcome(true), outcome(false));
});

// One market input (a taker order, a sweep) can write many records here, and another market's answer can
// arrive between two of them; the runs wait for that input's last record (HeaderFlag.MORE), so a step
// never goes out before the scopes the rest of the input makes liquidatable are triggered.
test('no run steps while a market stream is in the middle of one input\'s records', () => {
  const sim = twoScopes();
  sim.check(1, BTC_ID);
  sim.engine.afterRecord(1, 2, true); // a record from market input 2 whose input wrote more after it
  sim.deliverNext(1); // account 1's cancel is answered (another stream): its run is ready
  assert.deepEqual(sim.effects.of('sweepLiquidation'), [], 'market input 2 is in the middle of an input');
  sim.engine.afterRecord(2, 2, false); // that input's last record
  assert.deepEqual(sim.effects.of('sweepLiquidation').map((c) => c[0]), [1]);
});

test('only one run has an order in flight at a time', () => {
  const sim = twoScopes();
  sim.check(1, BTC_ID);
  sim.check(2, BTC_ID);
  sim.deliverNext(2);
  assert.equal(sim.effects.outbox.filter((c) => c.kind === 'sweep' || c.kind === 'order').length, 1);
});

test('a scope that completes in the step that committed it does not hold the turn', () => {
  // Account 1's position is closed below its bankruptcy price while its cancel is out (a user's own fill):
  // at its turn it is flat below zero, commits and completes in one step. Account 2 must still go on.
  const sim = twoScopes();
  sim.check(1, BTC_ID);
  sim.check(2, BTC_ID);
  sim.settle(1, BTC_ID, -500n, btcTicks(58_000n));
  sim.deliver();
  assert.deepEqual(sim.effects.of('sweepLiquidation').map((c) => c[0]), [2]);
  assert.equal(sim.engine.runs.size, 0);
});

test('the open market inputs stay ascending, each once, as records with and without MORE come (property)', () => {
  const seed = testSeed('escalation-order open inputs');
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 9 }), fc.boolean()), { maxLength: 80 }), (records) => {
      const order = new EscalationOrder();
      const ref = new Set<number>();
      for (const [input, more] of records) {
        order.record(input, more);
        if (more) ref.add(input);
        else ref.delete(input);
        assert.deepEqual([...order.openMarketInputs], [...ref].sort((a, b) => a - b));
      }
    }),
    { seed },
  );
});
