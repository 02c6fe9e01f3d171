// Issue 7, part 3: the pipeline always has a way forward. Each test failed before its fix: a counterparty
// whose Deleverage was refused once stayed excluded for the whole event, and a run whose ADL found nobody
// on the shard parked until a counterparty appeared, never offering the book its position again.
//
// isolatedLongBtc with an empty fund: budget 0, BP 59,000 (590,000 ticks), mark 59,500; the liquidation
// band (10%) reaches down to 53,550 (535,500 ticks).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { btc, btcTicks, usdt } from '../markets.js';
import { BTC_ID, equityOf } from './liquidation-sim.js';
import { isolatedLongBtc, shortCounterparty } from './liquidation-scenarios.js';

const BAND_LOW_EDGE = 535_500n;

test('a counterparty whose Deleverage was refused is ranked again on the next mark', () => {
  const sim = isolatedLongBtc({}, 0n);
  shortCounterparty(sim.state, 2, btc(1n), usdt(5_000n));
  sim.rejectDeleverageFor.add(2);
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.equal(sim.effects.of('deleverage').length, 1);
  assert.equal(sim.engine.waiting.size, 1, 'parked: the only counterparty refused and the book is empty');
  // The refusal described a moment: the market's view has caught up since.
  sim.rejectDeleverageFor.delete(2);
  sim.engine.onMarkUpdated(BTC_ID, 2_000);
  sim.deliver();
  assert.deepEqual(sim.effects.of('deleverage').map((c) => [c[1], c[4]]), [[2, 500n], [2, 500n]]);
  assert.deepEqual(sim.effects.steps().slice(-1), ['COMPLETED']);
  assert.equal(sim.engine.runs.size, 0);
  assert.equal(equityOf(sim.state, 1, BTC_ID), 0n);
});

test('a parked run offers its position to the book again on the next mark', () => {
  const sim = isolatedLongBtc({}, 0n);
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.equal(sim.engine.waiting.size, 1, 'parked: nobody to deleverage and an empty book');
  sim.book(BTC_ID, [[btcTicks(59_000n), btc(1n)]]);
  sim.engine.onMarkUpdated(BTC_ID, 2_000);
  sim.deliver();
  assert.equal(sim.engine.runs.size, 0);
  assert.deepEqual(sim.effects.steps().slice(-3), ['FULL_ORDER', 'FULL_FILL', 'COMPLETED']);
  assert.equal(sim.state.accounts.get(1)!.positions.get(BTC_ID)!.qtyLots, 0n);
  assert.equal(equityOf(sim.state, 1, BTC_ID), 0n);
});

test('with nobody on the shard to deleverage, the book takes the rest at the band edge and the loss is reported', () => {
  // Bids at 58,000 only: below BP, so the budgeted sweep (budget 0) takes nothing and nobody can be
  // deleveraged. The last resort sweeps to the band's low edge with no budget limit: 0.5 at 58,000, margin
  // 500 − 0.5·2,000 = −500, which the empty fund cannot pay: COMPLETED below zero.
  const sim = isolatedLongBtc({}, 0n);
  sim.book(BTC_ID, [[btcTicks(58_000n), btc(1n)]]);
  sim.check(1, BTC_ID);
  sim.deliver();
  assert.deepEqual(sim.effects.of('sweepLiquidation').map((c) => [c[4], c[6]]), [[BAND_LOW_EDGE, 0n], [BAND_LOW_EDGE, (1n << 63n) - 1n]]);
  assert.deepEqual(sim.effects.steps(), ['TRIGGERED', 'FULL_ORDER', 'ADL_STARTED', 'FULL_ORDER', 'FULL_FILL', 'SHORTFALL_COVERED', 'COMPLETED']);
  assert.equal(sim.engine.runs.size, 0);
  assert.equal(equityOf(sim.state, 1, BTC_ID), -usdt(500n));
});
