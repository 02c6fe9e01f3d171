import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DetectorId } from '../../../risk/surveillance/alert.js';
import { Side } from '../../support/surveillance-driver.js';
import { alertsOf, BEST_ASK, BEST_BID, market, STEP } from './episode-setup.js';

const LAYERER = 101;

test('sells stacked behind the ask, a buy, then the stack cancelled is layering', () => {
  const d = market();
  const stack = [1, 2, 3].map((k) => {
    d.wait(50_000);
    return d.place(LAYERER, Side.SELL, BEST_ASK + k * STEP, 30);
  });
  d.wait(300_000);
  d.take(LAYERER, Side.BUY, BEST_ASK, 10);
  d.wait(200_000);
  for (const id of stack) d.cancel(LAYERER, id);
  const alerts = alertsOf(d, DetectorId.LAYERING);
  assert.equal(alerts.length, 1);
  const a = alerts[0]!;
  assert.deepEqual(a.accounts, [LAYERER]);
  assert.equal(a.figures.stackOrders, 3);
  assert.equal(a.figures.levels, 3);
  assert.equal(a.figures.stackLots, 90);
  assert.deepEqual(
    a.orders.filter((o) => o.side === Side.SELL).map((o) => o.orderId),
    stack,
  );
});

test('a stack that stays after the trade is not layering', () => {
  const d = market();
  for (const k of [1, 2, 3]) d.place(LAYERER, Side.SELL, BEST_ASK + k * STEP, 30);
  d.wait(300_000);
  d.take(LAYERER, Side.BUY, BEST_ASK, 10);
  d.wait(5_000_000);
  d.tick();
  assert.equal(alertsOf(d, DetectorId.LAYERING).length, 0);
});

test('a market maker with a two-sided ladder that requotes after a fill is not layering', () => {
  const d = market();
  const mm = 201;
  const bids = [1, 2, 3].map((k) => d.place(mm, Side.BUY, BEST_BID - k * STEP + STEP / 2, 30));
  const asks = [1, 2, 3].map((k) => d.place(mm, Side.SELL, BEST_ASK + k * STEP - STEP / 2, 30));
  d.wait(300_000);
  d.take(300, Side.SELL, BEST_BID - STEP / 2, 20); // takes the background bid, then part of the maker's
  d.wait(100_000);
  for (const id of [...asks, ...bids]) d.cancel(mm, id);
  for (const k of [1, 2, 3]) {
    d.place(mm, Side.BUY, BEST_BID - k * STEP, 30);
    d.place(mm, Side.SELL, BEST_ASK + k * STEP - STEP / 2, 30);
  }
  assert.equal(alertsOf(d, DetectorId.LAYERING).length, 0);
});

test('a maker quoting both sides at once whose asks are swept, and who then pulls its bids, is not layering', () => {
  const d = market();
  const mm = 203;
  // Bids first, then asks, in one instant (one quoting cycle).
  const bids = [1, 2, 3].map((k) => d.place(mm, Side.BUY, BEST_BID - k * STEP + STEP / 2, 30));
  for (const k of [1, 2, 3]) d.place(mm, Side.SELL, BEST_ASK - STEP / 2 + (k - 1), 10);
  d.wait(300_000);
  d.take(300, Side.BUY, BEST_ASK, 30); // sweeps all three of the maker's asks
  d.wait(100_000);
  for (const id of bids) d.cancel(mm, id);
  assert.equal(alertsOf(d, DetectorId.LAYERING).length, 0);
});

test('a stack worn down by cancels spread over seconds is not layering', () => {
  const d = market();
  const stack = [1, 2, 3, 4].map((k) => d.place(LAYERER, Side.SELL, BEST_ASK + k * STEP, 30));
  d.wait(300_000);
  d.take(LAYERER, Side.BUY, BEST_ASK, 10);
  for (const id of stack) {
    d.wait(700_000);
    d.cancel(LAYERER, id);
  }
  assert.equal(alertsOf(d, DetectorId.LAYERING).length, 0);
});
