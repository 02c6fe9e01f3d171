import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DetectorId } from '../../../risk/surveillance/alert.js';
import { Side } from '../../support/surveillance-driver.js';
import { alertsOf, BEST_ASK, BEST_BID, market } from './episode-setup.js';

const RUNNER = 103;
const CLIENT = 104;

function episode(linked: boolean) {
  const d = market();
  if (linked) {
    d.link(RUNNER, 7);
    d.link(CLIENT, 7);
  }
  d.take(RUNNER, Side.BUY, BEST_ASK, 10); // the pre-position
  d.wait(500_000);
  const big = d.place(CLIENT, Side.BUY, BEST_BID + 20, 100); // the large order, now the best bid
  d.wait(300_000);
  d.take(RUNNER, Side.SELL, BEST_BID + 20, 10); // unwinds into it
  return { d, big };
}

test('an account that buys ahead of a linked account\'s large buy and sells into it is front-running', () => {
  const { d, big } = episode(true);
  const alerts = alertsOf(d, DetectorId.FRONT_RUNNING);
  assert.equal(alerts.length, 1);
  const a = alerts[0]!;
  assert.deepEqual(a.accounts, [RUNNER, CLIENT]);
  assert.equal(a.orders[0]!.orderId, big);
  assert.equal(a.figures.preLots, 10);
  assert.equal(a.figures.unwoundLots, 10);
  assert.equal(a.trades.length, 2);
});

test('the same trades between accounts nobody linked are not front-running', () => {
  const { d } = episode(false);
  assert.equal(alertsOf(d, DetectorId.FRONT_RUNNING).length, 0);
});
