import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DetectorId } from '../../../risk/surveillance/alert.js';
import { Side } from '../../support/surveillance-driver.js';
import { alertsOf, BEST_ASK, BEST_BID, market, STEP } from './episode-setup.js';

const IGNITER = 102;

test('a burst of buys sweeping levels, then a sell into the move, is momentum ignition', () => {
  const d = market();
  for (const k of [1, 3, 5]) {
    d.take(IGNITER, Side.BUY, BEST_ASK + k * STEP, 20);
    d.wait(150_000);
  }
  d.wait(1_000_000);
  d.take(IGNITER, Side.SELL, BEST_BID - 3 * STEP, 40); // sells into the bids, 40 of the 60 lots it bought
  const alerts = alertsOf(d, DetectorId.MOMENTUM_IGNITION);
  assert.equal(alerts.length, 1);
  const a = alerts[0]!;
  assert.deepEqual(a.accounts, [IGNITER]);
  assert.equal(a.figures.burstOrders, 3);
  assert.ok(a.figures.burstLevels! >= 4);
  // Raised as soon as half the burst's 60 lots were sold back (the third 10-lot fill of the sale).
  assert.equal(a.figures.burstLots, 60);
  assert.equal(a.figures.reverseLots, 30);
});

test('a taker splitting a large buy into slices that sweep the book is not momentum ignition', () => {
  const d = market();
  const splitter = 202;
  for (const k of [1, 2, 3, 4, 5]) {
    d.take(splitter, Side.BUY, BEST_ASK + k * STEP, 12);
    d.wait(150_000);
  }
  d.wait(30_000_000);
  d.tick();
  assert.equal(alertsOf(d, DetectorId.MOMENTUM_IGNITION).length, 0);
});

test('a reversal long after the burst is not momentum ignition', () => {
  const d = market();
  for (const k of [1, 3, 5]) {
    d.take(IGNITER, Side.BUY, BEST_ASK + k * STEP, 20);
    d.wait(150_000);
  }
  d.wait(60_000_000);
  d.take(IGNITER, Side.SELL, BEST_BID - 3 * STEP, 40);
  assert.equal(alertsOf(d, DetectorId.MOMENTUM_IGNITION).length, 0);
});
