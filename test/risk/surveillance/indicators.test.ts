// The scored indicators of the KX white paper: order-to-trade ratio, cancels within 1 ms, quote stuffing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DetectorId } from '../../../risk/surveillance/alert.js';
import { Side } from '../../support/surveillance-driver.js';
import { alertsOf, BEST_ASK, BEST_BID, market, STEP } from './episode-setup.js';

test('hundreds of orders placed and cancelled against one trade raise the order-to-trade ratio', () => {
  const d = market();
  d.take(140, Side.BUY, BEST_ASK, 1);
  for (let i = 0; i < 300; i++) {
    const id = d.place(140, Side.BUY, BEST_BID - 3 * STEP, 1);
    d.wait(100_000);
    d.cancel(140, id);
    d.wait(100_000);
  }
  const alerts = alertsOf(d, DetectorId.ORDER_TO_TRADE);
  assert.equal(alerts.length, 1);
  assert.deepEqual(alerts[0]!.accounts, [140]);
  assert.ok(alerts[0]!.figures.messages! >= 500);
});

test('a market maker that trades every few dozen orders stays under the order-to-trade threshold', () => {
  const d = market();
  const mm = 141;
  for (let i = 0; i < 300; i++) {
    const id = d.place(mm, Side.SELL, BEST_ASK - 10, 2);
    if (i % 10 === 0) d.take(300, Side.BUY, BEST_ASK - 10, 1);
    d.wait(100_000);
    d.cancel(mm, id);
    d.wait(100_000);
  }
  assert.equal(alertsOf(d, DetectorId.ORDER_TO_TRADE).length, 0);
});

test('orders cancelled within a millisecond of acceptance, many times, are raised', () => {
  const d = market();
  for (let i = 0; i < 60; i++) {
    const id = d.place(150, Side.SELL, BEST_ASK + 2 * STEP, 1);
    d.wait(400);
    d.cancel(150, id);
    d.wait(200_000);
  }
  const alerts = alertsOf(d, DetectorId.FAST_CANCELS);
  assert.equal(alerts.length, 1);
  assert.deepEqual(alerts[0]!.accounts, [150]);
  assert.equal(alerts[0]!.figures.fastCancels, 50);
});

test('a market maker that requotes every few milliseconds is not a fast canceller', () => {
  const d = market();
  for (let i = 0; i < 60; i++) {
    const id = d.place(151, Side.SELL, BEST_ASK + 2 * STEP, 1);
    d.wait(5_000);
    d.cancel(151, id);
    d.wait(200_000);
  }
  assert.equal(alertsOf(d, DetectorId.FAST_CANCELS).length, 0);
});

test('a burst of hundreds of order messages in a second, nearly all cancelled, is quote stuffing', () => {
  const d = market();
  for (let i = 0; i < 120; i++) {
    const id = d.place(160, Side.BUY, BEST_BID + 10, 1);
    d.wait(2_000);
    d.cancel(160, id);
    d.wait(2_000);
  }
  const alerts = alertsOf(d, DetectorId.QUOTE_STUFFING);
  assert.equal(alerts.length, 1);
  assert.deepEqual(alerts[0]!.accounts, [160]);
});

test('a quote-stuffing alert says how many orders were placed and how many cancelled, never "n of fewer orders cancelled"', () => {
  const d = market();
  // Fifty orders rest a while; then a burst places 75 more and cancels all 125 within a second, so the
  // window holds more cancels than placements.
  const resting = Array.from({ length: 50 }, () => d.place(162, Side.BUY, BEST_BID - 10, 1));
  d.wait(3_000_000);
  const burst: number[] = [];
  for (let i = 0; i < 75; i++) {
    burst.push(d.place(162, Side.BUY, BEST_BID + 10, 1));
    d.wait(2_000);
  }
  for (const id of [...resting, ...burst]) {
    d.cancel(162, id);
    d.wait(2_000);
  }
  const alerts = alertsOf(d, DetectorId.QUOTE_STUFFING);
  assert.equal(alerts.length, 1);
  const f = alerts[0]!.figures;
  assert.ok(f.cancelled! > f.accepted!, JSON.stringify(f));
  assert.equal(alerts[0]!.summary, `${f.messages} order messages in 1000 ms: ${f.accepted} orders placed and ${f.cancelled} cancelled`);
});

test('the same number of requotes spread over ten seconds is not quote stuffing', () => {
  const d = market();
  for (let i = 0; i < 120; i++) {
    const id = d.place(161, Side.BUY, BEST_BID + 10, 1);
    d.wait(40_000);
    d.cancel(161, id);
    d.wait(40_000);
  }
  assert.equal(alertsOf(d, DetectorId.QUOTE_STUFFING).length, 0);
});
