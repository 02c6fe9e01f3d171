// A world the no-frozen property found (SEED=182620534, test/fixtures/no-frozen): after its stream and the
// quiet period, account 4 (a short, isolated, on risk shard 0) was still liquidating, parked (phase 5).
//
// The cause was the quiet period, not the pipeline. A trader's bid rested at 29,008 when the index fell
// to 23,456, 24% above the mark. Every post-only ask the market makers offered would have crossed it and
// was refused, so BTC-PERP had no asks at all: each sweep of the short came back NO_LIQUIDITY, nobody on
// its risk shard held a long to deleverage (ADL ranks one shard's accounts, docs/RISK.md), and the run
// parked until the next mark, as the rule says. The quiet period was meant to clear such an order first
// (an IOC of the market's maximum size at the mark), but 1,000,000 lots of BTC at 23,456 is past the top
// risk tier, so the pre-trade check refused it POSITION_LIMIT_EXCEEDED and the bid stayed. The market
// makers now take exactly the lots resting on the wrong side of the mark (quiet-period.ts).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Side } from '../../engine/enums.js';
import { ActionDriver } from '../property/action-driver.js';
import type { Population, World } from '../property/exchange-actions.js';
import { liquidatingAfterQuiet, quietPeriod } from '../property/quiet-period.js';
import { fixture } from '../support/paths.js';

const { world } = JSON.parse(readFileSync(fixture('no-frozen', 'quiet-period-182620534.json'), 'utf8')) as { world: World };

test('the world of SEED=182620534 leaves no scope liquidating after the quiet period', () => {
  assert.deepEqual(liquidatingAfterQuiet(world), []);
});

// The same in small: a BTC-PERP bid left 20% above the mark by an index fall is taken in the quiet period,
// so the market makers' asks rest again. Before, the clearing order was refused and the book kept no ask.
test('the quiet period takes a BTC-PERP bid left above the mark, so asks rest again', () => {
  const population: Population = { traders: [{ depositUsdt: 50_000, isolated: [false, false], leverage: [10, 10] }], insuranceTopUpUsdt: 0, perEventCapUsdt: 1_000, markets: 1, marketShards: 1, riskShards: 1 };
  const d = new ActionDriver(population);
  d.run({
    population,
    actions: [
      { kind: 'limit', trader: 0, market: 0, buy: true, offsetBps: -5, eighths: 2, tif: 'GTC', reduceOnly: false },
      { kind: 'index', market: 0, moveBps: -2_000 },
    ],
  });
  const book = d.h.book(1);
  const mark = Number(d.h.markTicks(1));
  assert.ok(book.bestBid() > mark, `a bid above the mark before the quiet period (bid ${book.bestBid()}, mark ${mark})`);
  quietPeriod(d);
  const after = Number(d.h.markTicks(1));
  assert.ok(book.bestBid() < after, `no bid above the mark after it (bid ${book.bestBid()}, mark ${after})`);
  assert.ok(book.levels(Side.SELL, 5).length > 0, 'the market makers quote asks');
});
