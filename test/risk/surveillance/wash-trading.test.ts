import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DetectorId } from '../../../risk/surveillance/alert.js';
import { Side } from '../../support/surveillance-driver.js';
import { alertsOf, BEST_ASK, BEST_BID, market, MID } from './episode-setup.js';

test('trades between two accounts of one declared owner are wash trades', () => {
  const d = market();
  d.link(110, 9);
  d.link(111, 9);
  for (let i = 0; i < 3; i++) {
    d.place(110, Side.SELL, MID, 5);
    d.take(111, Side.BUY, MID, 5);
    d.wait(1_000_000);
  }
  d.idle(31_000_000);
  const alerts = alertsOf(d, DetectorId.WASH_LINKED);
  assert.equal(alerts.length, 1);
  assert.deepEqual(alerts[0]!.accounts, [110, 111]);
  assert.equal(alerts[0]!.figures.trades, 3);
  assert.equal(alerts[0]!.trades.length, 3);
});

test('the same trades between accounts nobody linked are not linked wash trades', () => {
  const d = market();
  for (let i = 0; i < 3; i++) {
    d.place(112, Side.SELL, MID, 5);
    d.take(113, Side.BUY, MID, 5);
    d.wait(1_000_000);
  }
  d.idle(31_000_000);
  assert.equal(alertsOf(d, DetectorId.WASH_LINKED).length, 0);
});

/** Two accounts pass lots back and forth: each trade reverses the previous one. */
function roundTrips(d: ReturnType<typeof market>, a: number, b: number, trips: number): void {
  for (let i = 0; i < trips; i++) {
    const [seller, buyer] = i % 2 === 0 ? [a, b] : [b, a];
    d.place(seller, Side.SELL, MID, 5);
    d.take(buyer, Side.BUY, MID, 5);
    d.wait(10_000_000);
  }
}

test('two unlinked accounts that trade only with each other and end flat are circular wash trading', () => {
  const d = market();
  roundTrips(d, 120, 121, 8);
  d.idle(11 * 60_000_000);
  const alerts = alertsOf(d, DetectorId.WASH_CIRCULAR);
  assert.equal(alerts.length, 1);
  assert.deepEqual(alerts[0]!.accounts, [120, 121]);
  assert.equal(alerts[0]!.figures.trades, 8);
  assert.equal(alerts[0]!.figures.netLotsLow, 0);
});

test('round trips split across two half windows are counted whole (3 + 3 and 1 + 5 raised, 2 + 2 not)', () => {
  // Half windows start every 5 min; the trips run 10 s apart, the last before a boundary 5 s before it,
  // so `before` of them fall in one half window and `after` in the next. The detector skips looking a pair
  // up in the other half window when even that frame's busiest pair could not bring it to minTrades (6):
  // these pairs sit exactly at that edge, on both sides of it.
  for (const [before, after, raised] of [
    [3, 3, true],
    [1, 5, true],
    [2, 2, false],
  ] as const) {
    const d = market();
    const halfUs = 300_000_000;
    d.at((Math.floor(d.timeUs / halfUs) + 2) * halfUs - before * 10_000_000 + 5_000_000);
    roundTrips(d, 126, 127, before);
    // Carry on the alternation: the next trip sells from whoever bought last.
    if (before % 2 === 0) roundTrips(d, 126, 127, after);
    else roundTrips(d, 127, 126, after);
    d.idle(11 * 60_000_000);
    const alerts = alertsOf(d, DetectorId.WASH_CIRCULAR);
    assert.equal(alerts.length, raised ? 1 : 0, `${before} + ${after} trades`);
    if (raised) {
      assert.equal(alerts[0]!.figures.trades, before + after);
      assert.equal(alerts[0]!.figures.netLotsLow, 0);
    }
  }
});

test('two accounts that trade with each other now and then but mostly with the market are not', () => {
  const d = market();
  roundTrips(d, 122, 123, 8);
  // Account 122 is an active taker: most of its volume is with the background makers.
  for (let i = 0; i < 8; i++) {
    d.take(122, i % 2 === 0 ? Side.BUY : Side.SELL, i % 2 === 0 ? BEST_ASK : BEST_BID, 10);
    d.place(i % 2 === 0 ? 1 : 2, i % 2 === 0 ? Side.SELL : Side.BUY, i % 2 === 0 ? BEST_ASK : BEST_BID, 10);
    d.wait(5_000_000);
  }
  d.idle(11 * 60_000_000);
  assert.equal(alertsOf(d, DetectorId.WASH_CIRCULAR).length, 0);
});

test('two accounts trading with each other in one direction (a position changing hands) are not', () => {
  const d = market();
  for (let i = 0; i < 8; i++) {
    d.place(124, Side.SELL, MID, 5);
    d.take(125, Side.BUY, MID, 5);
    d.wait(10_000_000);
  }
  d.idle(11 * 60_000_000);
  assert.equal(alertsOf(d, DetectorId.WASH_CIRCULAR).length, 0);
});

test('repeated self-trades stopped by self-trade prevention are raised; a single one is not', () => {
  const d = market();
  for (let i = 0; i < 3; i++) {
    const rest = d.place(130, Side.SELL, MID, 5);
    d.take(130, Side.BUY, MID, 5); // meets its own order: STP expires the taker
    d.cancel(130, rest);
    d.wait(2_000_000);
  }
  d.place(131, Side.SELL, MID, 5);
  d.take(131, Side.BUY, MID, 5);
  const alerts = alertsOf(d, DetectorId.SELF_TRADE_ATTEMPTS);
  assert.equal(alerts.length, 1);
  assert.deepEqual(alerts[0]!.accounts, [130]);
  assert.equal(alerts[0]!.figures.attempts, 3);
});
