import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DetectorId } from '../../../risk/surveillance/alert.js';
import { Side } from '../../support/surveillance-driver.js';
import { alertsOf, BEST_ASK, BEST_BID, market, STEP } from './episode-setup.js';

const SPOOFER = 100;

test('a large sell near the touch, a buy fill, then the sell cancelled is spoofing', () => {
  const d = market();
  const spoof = d.place(SPOOFER, Side.SELL, BEST_ASK + STEP, 200);
  d.wait(200_000);
  d.take(SPOOFER, Side.BUY, BEST_ASK, 10);
  d.wait(400_000);
  d.cancel(SPOOFER, spoof);
  const alerts = alertsOf(d, DetectorId.SPOOFING);
  assert.equal(alerts.length, 1);
  const a = alerts[0]!;
  assert.deepEqual(a.accounts, [SPOOFER]);
  assert.equal(a.orders[0]!.orderId, spoof);
  assert.equal(a.figures.spoofLots, 200);
  assert.equal(a.figures.oppositeLots, 10);
  assert.ok(a.score >= 5_000 && a.score <= 10_000);
  assert.equal(a.trades.length, 1);
  // The episode starts at the spoof order's acceptance and ends with its cancel.
  assert.ok(a.fromSeq < a.toSeq);
  assert.equal(a.toUs, d.timeUs);
});

test('the same orders without the cancel raise nothing (the large order may still trade)', () => {
  const d = market();
  d.place(SPOOFER, Side.SELL, BEST_ASK + STEP, 200);
  d.wait(200_000);
  d.take(SPOOFER, Side.BUY, BEST_ASK, 10);
  d.wait(10_000_000);
  assert.equal(alertsOf(d, DetectorId.SPOOFING).length, 0);
});

test('a cancel long after the fill is not spoofing', () => {
  const d = market();
  const spoof = d.place(SPOOFER, Side.SELL, BEST_ASK + STEP, 200);
  d.wait(200_000);
  d.take(SPOOFER, Side.BUY, BEST_ASK, 10);
  d.wait(30_000_000);
  d.cancel(SPOOFER, spoof);
  assert.equal(alertsOf(d, DetectorId.SPOOFING).length, 0);
});

test('a market maker whose bid fills and who then cancels and requotes its large ask is not spoofing', () => {
  const d = market();
  const mm = 200;
  const bid = d.place(mm, Side.BUY, BEST_BID + STEP / 5, 60);
  const ask = d.place(mm, Side.SELL, BEST_ASK - STEP / 5, 60);
  d.wait(300_000);
  d.take(300, Side.SELL, BEST_BID + STEP / 5, 10); // a taker hits part of the maker's bid
  d.wait(100_000);
  d.cancel(mm, ask);
  d.cancel(mm, bid);
  d.place(mm, Side.BUY, BEST_BID, 60);
  d.place(mm, Side.SELL, BEST_ASK - STEP / 5, 60);
  assert.equal(alertsOf(d, DetectorId.SPOOFING).length, 0);
});
