// What a market shard does with a record before any book sees it, and the answer every command gets
// (docs/COMMANDS.md): no field can make it throw or publish a value its field cannot hold, time never
// goes backwards or jumps past the horizon, and CancelAllOrders, SetAccountConfig and index ticks are
// answered even when they change nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../../engine/codes.js';
import { CancelReason, OrderType, Side, StpMode, TimeInForce } from '../../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../../engine/market/spec.js';
import { encodeRecord } from '../../../engine/ring/layouts/index.js';
import { MAX_TIME_US, RecordBuffer } from '../../../engine/ring/record.js';
import { RecordType } from '../../../engine/ring/types.js';
import { MemoryOutput } from '../../../engine/shard/event-output.js';
import { MarketShard } from '../../../engine/shard/market-shard.js';
import { defaultPricing } from '../../../engine/shard/market-pricing.js';
import { advanceTime, cancelAll, decodeAll, indexTick, place, setStp, type Cmd } from '../../support/commands.js';
import { COMMAND_U53_FIELDS, PAST_U53, putWords } from '../../support/hostile-fields.js';

const BTC = DEFAULT_MARKETS[0]!;
const T0 = 1_700_000_000_000_000;
const S = 1_000_000;
const HORIZON = 3_600 * S;

function shard(markets = [BTC]) {
  const gateway = new MemoryOutput();
  const risk = [new MemoryOutput()];
  const m = new MarketShard(markets, gateway, risk, undefined, undefined, undefined, HORIZON);
  const buf = RecordBuffer.allocate(1);
  let taken = 0;
  let takenRisk = 0;
  const raw = (b: RecordBuffer, input = 0) => {
    b.setSeq(0, m.lastSeq(input) + 1);
    m.handle(b, 0, input);
    m.flush();
  };
  const feed = (c: Cmd, timeUs = c.header.timeUs ?? T0, input = 0) => {
    encodeRecord(buf, 0, c.layout, { ...c.header, timeUs }, c.body);
    raw(buf, input);
  };
  /** Gateway records written since the last take(). */
  const take = () => {
    const all = decodeAll(gateway);
    const out = all.slice(taken);
    taken = all.length;
    return out;
  };
  const takeRisk = () => {
    const all = decodeAll(risk[0]!);
    const out = all.slice(takenRisk);
    takenRisk = all.length;
    return out;
  };
  return { m, feed, raw, take, takeRisk };
}

test('a command field past 2^53 is refused with that field\'s code, without a throw, changing nothing', () => {
  const { m, feed, raw, take } = shard();
  feed(indexTick(600_000, T0));
  feed(place({ orderId: 1, accountId: 2, side: Side.SELL, priceTicks: 600_100, qtyLots: 5 }), T0, 1);
  take();
  const b = RecordBuffer.allocate(1);
  for (const f of COMMAND_U53_FIELDS) {
    for (const words of PAST_U53) {
      const label = `${f.layout.name}.${f.name} = ${words}`;
      encodeRecord(b, 0, f.layout, { timeUs: T0, marketId: BTC.marketId, accountId: 2 }, {});
      // Every id the command carries is set, so the echo shows which one was refused.
      for (const other of COMMAND_U53_FIELDS) if (other.layout === f.layout && other !== f) b.setU53(0, other.offset, 7);
      putWords(b, 0, f.offset, words);
      const before = m.stateHashExcludingStreams();
      assert.doesNotThrow(() => raw(b, 1), label);
      const events = take();
      assert.deepEqual(events.map((e) => [e.type, e.code, e.commandType]), [['OrderRejected', f.code, f.layout.type]], label);
      const ids = ['orderId', 'requestId', 'deleverageId', 'sweepId'];
      const echoedId = ids.includes(f.name) ? 0 : f.layout.fields.some(([n]) => ids.includes(n)) ? 7 : 0;
      assert.equal(events[0]!.orderId, echoedId, `${label}: the id it echoes`);
      assert.equal(m.stateHashExcludingStreams(), before, label);
    }
  }
});

test('an index or timer tick that would move time backwards, past the horizon or past MAX_TIME_US is refused at the shard\'s own time', () => {
  const { m, feed, take, takeRisk } = shard();
  feed(indexTick(600_000, T0));
  take();
  takeRisk();
  const before = m.stateHashExcludingStreams();
  const refused: [Cmd, number, number][] = [
    [indexTick(600_100, T0 - 1), T0 - 1, Code.TIME_WENT_BACKWARDS],
    [advanceTime(T0 - 1), T0 - 1, Code.TIME_WENT_BACKWARDS],
    [indexTick(600_100, T0 + HORIZON + 1), T0 + HORIZON + 1, Code.TIME_BEYOND_HORIZON],
    [advanceTime(T0 + HORIZON + 1), T0 + HORIZON + 1, Code.TIME_BEYOND_HORIZON],
    [indexTick(600_100, 2 ** 53 - 1), 2 ** 53 - 1, Code.TIME_OUT_OF_RANGE],
  ];
  for (const [cmd, t, code] of refused) {
    feed(cmd, t);
    const [e, more] = take();
    assert.equal(more, undefined, `${code}: one answer`);
    assert.deepEqual([e!.type, e!.code, e!.commandType, e!.timeUs], ['OrderRejected', code, cmd.layout.type, T0], `${code} at ${t}`);
  }
  assert.equal(m.stateHashExcludingStreams(), before, 'refused ticks move nothing');
  assert.deepEqual(takeRisk(), [], 'a refused feed tick is the gateway\'s business only');
  feed(advanceTime(T0 + HORIZON), T0 + HORIZON);
  feed(indexTick(600_100, T0 + HORIZON + 1), T0 + HORIZON + 1);
  // The timer tick comes after a horizon without an index tick: the silent index goes stale (mark frozen).
  assert.deepEqual(take().map((e) => [e.type, e.stale]), [['MarkPriceUpdated', 1], ['MarkPriceUpdated', 0]], 'a tick one horizon later is taken, and the next ordinary one too');
  assert.equal(m.clock.nowUs, T0 + HORIZON + 1);
});

test('any record whose time is past MAX_TIME_US is refused, and its answer carries a time that fits', () => {
  const { feed, take } = shard();
  feed(indexTick(600_000, T0));
  take();
  feed(place({ orderId: 1, accountId: 2, priceTicks: 600_000, qtyLots: 1 }), MAX_TIME_US + 1, 1);
  const [e] = take();
  assert.deepEqual([e!.type, e!.code, e!.orderId, e!.timeUs], ['OrderRejected', Code.TIME_OUT_OF_RANGE, 1, T0]);
});

test('CancelAllOrders is answered with CommandApplied after the orders it cancelled, or alone when there were none', () => {
  const { feed, take, takeRisk } = shard();
  feed(place({ orderId: 1, accountId: 2, priceTicks: 600_000, qtyLots: 1 }), T0, 1);
  feed(place({ orderId: 2, accountId: 2, priceTicks: 600_001, qtyLots: 1 }), T0, 1);
  take();
  takeRisk();
  feed(cancelAll(2, CancelReason.CANCEL_ALL, BTC.marketId, 41), T0, 1);
  const events = take().filter((e) => e.type !== 'BookLevelChanged');
  assert.deepEqual(events.map((e) => [e.type, e.orderId ?? e.requestId]), [['OrderCancelled', 1], ['OrderCancelled', 2], ['CommandApplied', 41]]);
  assert.deepEqual([events[2]!.commandType, events[2]!.ordersCancelled, events[2]!.accountId], [RecordType.CancelAllOrders, 2, 2]);
  assert.deepEqual(takeRisk().map((e) => e.type), ['OrderCancelled', 'OrderCancelled'], 'the answer goes to the gateway only');
  feed(cancelAll(2, CancelReason.CANCEL_ALL, BTC.marketId, 42), T0, 1);
  assert.deepEqual(take().map((e) => [e.type, e.requestId, e.ordersCancelled]), [['CommandApplied', 42, 0]]);
});

test('SetAccountConfig is answered with CommandApplied, or refused', () => {
  const { feed, take } = shard();
  feed(setStp(2, StpMode.EXPIRE_MAKER, BTC.marketId, 9), T0, 1);
  assert.deepEqual(take().map((e) => [e.type, e.requestId, e.commandType]), [['CommandApplied', 9, RecordType.SetAccountConfig]]);
  feed(setStp(2, StpMode.DEFAULT, BTC.marketId, 10), T0, 1);
  assert.deepEqual(take().map((e) => [e.type, e.code, e.orderId]), [['OrderRejected', Code.INVALID_STP_MODE, 10]]);
});

test('every accepted index tick is answered with MarkPriceUpdated, even before there is a mark', () => {
  const { feed, take } = shard();
  feed(indexTick(0, T0, BTC.marketId, true));
  assert.deepEqual(take().map((e) => [e.type, e.markPriceTicks, e.stale]), [['MarkPriceUpdated', 0, 1]]);
  feed(indexTick(600_000, T0 + S));
  assert.deepEqual(take().map((e) => [e.type, e.markPriceTicks, e.stale]), [['MarkPriceUpdated', 600_000, 0]]);
  feed(indexTick(BTC.maxPriceTicks + 1, T0 + 2 * S, BTC.marketId, true));
  assert.deepEqual(take().map((e) => [e.type, e.code]), [['OrderRejected', Code.PRICE_OUT_OF_RANGE]], 'a stale index is still a price of the market');
});

test('the mark never leaves the market\'s price range, even when the band around the index would take it there', () => {
  const small = { ...BTC, marketId: 9, symbol: 'SMALL-PERP', maxPriceTicks: 1_000 };
  const { m, feed, take } = shard([small]);
  feed(indexTick(1_000, T0, 9));
  take();
  // A funding rate of 1% per interval puts the index·(1 + F·τ/T) estimate, the only one an empty book
  // leaves, above the index: inside the 5% band, past the market's top price.
  m.pricingOf(9)!.lastFundingRate = 1_000_000n;
  feed(indexTick(1_000, T0 + S, 9));
  const [mark] = take();
  assert.equal(mark!.type, 'MarkPriceUpdated');
  assert.equal(mark!.markPriceTicks, 1_000);
});

test('a premium past the i64 range is published at its bound, not wrapped', () => {
  // A market priced over the whole u53 range: an impact bid 2^52 ticks over an index of 1 tick is a premium
  // of 2^52 · 10^8 rate units, past 2^63.
  const wide = { ...BTC, marketId: 8, symbol: 'WIDE-PERP', maxPriceTicks: 2 ** 53 - 1, maxQtyLots: 1_000 };
  const gateway = new MemoryOutput();
  const m = new MarketShard([wide], gateway, [], undefined, new Map([[8, defaultPricing(undefined, { fundingIntervalUs: 60 * S })]]));
  const feed = (c: Cmd, timeUs: number) => {
    const b = RecordBuffer.allocate(1);
    encodeRecord(b, 0, c.layout, { ...c.header, timeUs, seq: m.lastSeq(0) + 1 }, c.body);
    m.handle(b, 0, 0);
  };
  const start = Math.floor(T0 / (60 * S)) * 60 * S + S;
  feed(place({ orderId: 1, accountId: 2, side: Side.BUY, priceTicks: 2 ** 52, qtyLots: 10, marketId: 8 }), start);
  feed(indexTick(1, start, 8), start);
  feed(advanceTime(start + 61 * S), start + 61 * S);
  const funding = decodeAll(gateway).find((e) => e.type === 'FundingRateApplied')!;
  assert.equal(funding.premiumRate, (1n << 63n) - 1n);
});

test('orders with every id, price and quantity at the edge of their range are matched without a throw', () => {
  const { feed, take } = shard();
  const big = 2 ** 53 - 1;
  feed(place({ orderId: big, clientOrderId: big, accountId: 2 ** 32 - 1, side: Side.SELL, priceTicks: BTC.maxPriceTicks, qtyLots: BTC.maxQtyLots }), T0, 1);
  feed(place({ orderId: big - 1, clientOrderId: big - 1, accountId: 1, side: Side.BUY, orderType: OrderType.MARKET, timeInForce: TimeInForce.IOC, priceTicks: BTC.maxPriceTicks, qtyLots: BTC.maxQtyLots }), T0, 1);
  const trade = take().find((e) => e.type === 'TradeExecuted')!;
  assert.deepEqual([trade.takerOrderId, trade.makerClientOrderId, trade.priceTicks, trade.qtyLots], [big - 1, big, BTC.maxPriceTicks, BTC.maxQtyLots]);
});
