// A silent oracle is a stale one: when no index tick has come for longer than the market's
// indexMaxAgeUs, the next timer tick marks the index stale exactly as a stale index tick would (one
// MarkPriceUpdated with stale = 1 and the mark frozen), and every risk shard makes the market reduce-only;
// the next index tick makes it fresh again. Before the fix an oracle that stopped sending left the last
// index and mark in force forever.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { Side } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { decodeRecord, type DecodedRecord } from '../../engine/ring/layouts/index.js';
import { DEFAULT_INDEX_MAX_AGE_US, defaultPricing } from '../../engine/shard/market-pricing.js';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';
import { advanceTime, indexTick, place, type Cmd } from '../support/commands.js';
import { deposit } from '../support/risk-commands.js';

const T0 = 1_700_000_000_000_000;
const S = 1_000_000;
const market = DEFAULT_MARKETS[0]!;

function exchange(indexMaxAgeUs?: number) {
  const topology = new Topology({ marketShards: [[market]], riskShards: 1 });
  const pricing = indexMaxAgeUs === undefined ? undefined : new Map([[market.marketId, defaultPricing(undefined, { indexMaxAgeUs })]]);
  const ex = new InProcessExchange({ topology, riskMarkets: [riskMarket(market)], pricing });
  const out: DecodedRecord[] = [];
  ex.onGateway((buf, at) => out.push(decodeRecord(buf, at)));
  const send = (c: Cmd, timeUs: number) => {
    out.length = 0;
    ex.send(c.layout, { ...c.header, timeUs }, c.body);
    return out.filter((e) => e.type !== 'CommandApplied');
  };
  return { ex, send };
}

const marks = (events: DecodedRecord[]) => events.filter((e) => e.type === 'MarkPriceUpdated').map((e) => [e.markPriceTicks, e.indexPriceTicks, e.stale]);

test('timer ticks past the index age mark a silent index stale once, the market goes reduce-only, a new tick revives it', () => {
  const { send } = exchange();
  send(deposit(1, 10n ** 12n, 1), T0);
  assert.deepEqual(marks(send(indexTick(600_000, T0), T0)), [[600_000, 600_000, 0]]);
  assert.deepEqual(marks(send(advanceTime(T0 + DEFAULT_INDEX_MAX_AGE_US), T0 + DEFAULT_INDEX_MAX_AGE_US)), [], 'at the age exactly: still fresh');
  const stale = send(advanceTime(T0 + DEFAULT_INDEX_MAX_AGE_US + 1), T0 + DEFAULT_INDEX_MAX_AGE_US + 1);
  assert.deepEqual(marks(stale), [[600_000, 600_000, 1]], 'one stale mark, frozen where it was');
  assert.deepEqual(marks(send(advanceTime(T0 + 20 * S), T0 + 20 * S)), [], 'published once, not on every tick');

  const opened = send(place({ orderId: 1, accountId: 1, side: Side.BUY, priceTicks: 599_000, qtyLots: 1 }), T0 + 21 * S);
  assert.deepEqual(opened.map((e) => [e.type, e.code]), [['OrderRejected', Code.MARKET_REDUCE_ONLY]], 'a stale market takes no order that opens a position');

  assert.deepEqual(marks(send(indexTick(600_100, T0 + 22 * S), T0 + 22 * S)).map((m) => m[2]), [0], 'the next index tick is fresh');
  const taken = send(place({ orderId: 2, accountId: 1, side: Side.BUY, priceTicks: 599_000, qtyLots: 1 }), T0 + 23 * S);
  assert.equal(taken[0]!.type, 'OrderAccepted');
});

test('the age is the market\'s pricing setting; a market that never had an index is not touched', () => {
  const { send } = exchange(60 * S);
  assert.deepEqual(marks(send(advanceTime(T0), T0)), []);
  assert.deepEqual(marks(send(advanceTime(T0 + 3_600 * S), T0 + 3_600 * S)), [], 'no index yet: nothing to go stale');
  send(indexTick(600_000, T0 + 3_600 * S), T0 + 3_600 * S);
  assert.deepEqual(marks(send(advanceTime(T0 + 3_659 * S), T0 + 3_659 * S)), []);
  assert.deepEqual(marks(send(advanceTime(T0 + 3_661 * S), T0 + 3_661 * S)).map((m) => m[2]), [1]);
});

test('a timer tick that settles funding leaves the silence check to the next tick (the risk shard\'s funding round sees only funding)', () => {
  const MIN = 60 * S;
  const topology = new Topology({ marketShards: [[market]], riskShards: 1 });
  const ex = new InProcessExchange({ topology, riskMarkets: [riskMarket(market)], pricing: new Map([[market.marketId, defaultPricing(undefined, { fundingIntervalUs: MIN, sampleIntervalUs: S })]]) });
  const out: DecodedRecord[] = [];
  ex.onGateway((buf, at) => out.push(decodeRecord(buf, at)));
  const send = (c: Cmd, timeUs: number) => {
    out.length = 0;
    ex.send(c.layout, { ...c.header, timeUs }, c.body);
    return out.map((e) => e.type).filter((t) => t === 'FundingRateApplied' || t === 'MarkPriceUpdated');
  };
  send(indexTick(600_000, T0), T0);
  send(advanceTime(T0 + S), T0 + S);
  const fundingTick = Math.ceil((T0 + DEFAULT_INDEX_MAX_AGE_US + S) / MIN) * MIN;
  assert.deepEqual(send(advanceTime(fundingTick), fundingTick), ['FundingRateApplied'], 'funding only, though the index is silent');
  assert.deepEqual(send(advanceTime(fundingTick + S), fundingTick + S), ['MarkPriceUpdated'], 'the next tick marks it stale');
});
