// A market created at run time through the whole exchange (in-process: two market shards, two risk
// shards): the listing goes to every risk shard, each answers MarketListed and forwards it to the owner,
// whose answer routes the market's index ticks to it; accounts on both risk shards then trade it and
// their fills settle. No order trades against a zero mark; a replay of the inputs and a restore from
// snapshots both reach the live state.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { Side } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { decodeRecord, encodeRecord, type DecodedRecord } from '../../engine/ring/layouts/index.js';
import { RecordBuffer } from '../../engine/ring/record.js';
import { InProcessExchange, type InProcessOptions, type InProcessRestore } from '../../exchange/in-process-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { readHeader } from '../../engine/snapshot/snapshot-envelope.js';
import { riskMarket } from '../../risk/shard/config.js';
import { advanceTime, indexTick, place, type Cmd } from '../support/commands.js';
import { listingGroup, testListing } from '../support/listing.js';
import { deposit } from '../support/risk-commands.js';

const T0 = 1_700_000_000_000_000;
const S = 1_000_000;
const USDT = 1_000_000n;
const SOL = 7;

const topology = () => new Topology({ marketShards: [[DEFAULT_MARKETS[0]!], [DEFAULT_MARKETS[1]!]], riskShards: 2 });
const options = () => ({ topology: topology(), riskMarkets: DEFAULT_MARKETS.map((m) => riskMarket(m)) });

/**
 * An exchange that keeps every record it was sent, in the batches it was pumped in: the gateway's side of
 * the journal (a replay hands the shards the same records in the same order only when it pumps the same).
 */
function exchange(restore?: InProcessRestore, surveillance?: InProcessOptions['surveillance']) {
  const x = new InProcessExchange({ ...options(), surveillance }, restore);
  const events: DecodedRecord[] = [];
  const sent: RecordBuffer[][] = [];
  x.onGateway((b, at) => events.push(decodeRecord(b, at)));
  const record = (b: RecordBuffer, at: number) => {
    const one = RecordBuffer.allocate(1);
    one.copyFrom(b, at, 0);
    sent[sent.length - 1]!.push(one);
    x.submitRecord(one, 0);
  };
  const send = (c: Cmd, timeUs = T0) => {
    const b = RecordBuffer.allocate(1);
    encodeRecord(b, 0, c.layout, { ...c.header, timeUs }, c.body);
    sent.push([]);
    record(b, 0);
    x.pump();
  };
  const list = (shard: number, requestId = 9, listing = testListing(SOL, 'SOL-PERP')) => {
    const g = listingGroup(listing, { requestId, shard, timeUs: T0 });
    sent.push([]);
    for (let i = 0; i < g.capacity; i++) record(g, g.at(i));
    x.pump();
  };
  return { x, events, sent, send, list };
}

const hashes = (x: InProcessExchange) => [...x.marketShards.map((s) => s.stateHash()), ...x.riskShards.map((s) => s.stateHash())];

/** Listing on shard 1, deposits, the index, a resting sell from account 1 (risk 1) and a buy from 2 (risk 0). */
function listedAndTraded(h: ReturnType<typeof exchange>): void {
  h.send(deposit(1, 100_000n * USDT, 1));
  h.send(deposit(2, 100_000n * USDT, 2));
  h.list(1);
  h.send(indexTick(150_000, T0 + S, SOL), T0 + S);
  h.send(place({ orderId: 1, accountId: 1, side: Side.SELL, priceTicks: 150_100, qtyLots: 40, marketId: SOL }), T0 + S);
  h.send(place({ orderId: 2, accountId: 2, side: Side.BUY, priceTicks: 150_100, qtyLots: 30, marketId: SOL }), T0 + S);
}

test('every risk shard and the owning market shard answer MarketListed, and the market is on its owner only', () => {
  const { x, events, list } = exchange();
  list(1);
  const listed = events.filter((e) => e.type === 'MarketListed').map((e) => [e.by, e.byShard, e.shard, e.requestId]);
  assert.deepEqual(listed.sort(), [[1, 1, 1, 9], [2, 0, 1, 9], [2, 1, 1, 9]]);
  assert.equal(events.length, 3, 'one answer per shard, nothing else');
  assert.deepEqual(x.marketShards.map((m) => m.marketIds), [[1], [2, SOL]]);
  assert.ok(x.riskShards.every((r) => r.state.markets.has(SOL)));
  assert.equal(x.topology.marketShardOf(SOL), 1);
});

test('an order before the market has an index is refused MARK_PRICE_UNAVAILABLE: nothing trades against a zero mark', () => {
  const { events, send, list } = exchange();
  send(deposit(1, 100_000n * USDT, 1));
  list(1);
  events.length = 0;
  send(place({ orderId: 1, accountId: 1, side: Side.SELL, priceTicks: 150_100, qtyLots: 4, marketId: SOL }));
  assert.deepEqual(events.map((e) => [e.type, e.code]), [['OrderRejected', Code.MARK_PRICE_UNAVAILABLE]]);
});

test('accounts on both risk shards trade the listed market and their fills settle into positions', () => {
  const h = exchange();
  listedAndTraded(h);
  const trades = h.events.filter((e) => e.type === 'TradeExecuted' && e.marketId === SOL);
  assert.equal(trades.length, 1);
  const positions = h.events.filter((e) => e.type === 'PositionUpdated' && e.marketId === SOL);
  assert.deepEqual([...new Set(positions.map((e) => e.accountId))].sort(), [1, 2]);
  assert.equal(h.x.riskShards[0]!.state.accounts.get(2)!.positions.get(SOL)!.qtyLots, 30n);
  assert.equal(h.x.riskShards[1]!.state.accounts.get(1)!.positions.get(SOL)!.qtyLots, -30n);
});

test('a second listing of the same market is refused MARKET_EXISTS by every risk shard and changes nothing', () => {
  const h = exchange();
  h.list(1);
  const before = hashes(h.x).slice(0);
  h.events.length = 0;
  h.list(0, 10, testListing(SOL, 'SOL-PERP', { maxQtyLots: 77 }));
  assert.deepEqual(h.events.map((e) => [e.type, e.code, e.orderId]), [['OrderRejected', Code.MARKET_EXISTS, 10], ['OrderRejected', Code.MARKET_EXISTS, 10]]);
  const after = hashes(h.x);
  assert.deepEqual(after.slice(0, 2), before.slice(0, 2), 'the market shards saw nothing');
});

test('the same listing again (an operator\'s retry) is answered MarketListed by every risk shard and changes no state', () => {
  const h = exchange();
  h.list(1);
  const before = h.x.riskShards.map((r) => r.stateHashExcludingStreams());
  h.events.length = 0;
  h.list(1);
  assert.deepEqual(h.events.map((e) => [e.type, e.by]), [['MarketListed', 2], ['MarketListed', 2]]);
  assert.deepEqual(h.x.riskShards.map((r) => r.stateHashExcludingStreams()), before);
});

test('a replay of the exchange\'s inputs reaches the live state, listed market and positions included', () => {
  const live = exchange();
  listedAndTraded(live);
  live.send(advanceTime(T0 + 10 * S), T0 + 10 * S);
  const replay = exchange();
  for (const batch of live.sent) {
    for (const b of batch) replay.x.submitRecord(b, 0);
    replay.x.pump();
  }
  assert.deepEqual(hashes(replay.x), hashes(live.x));
});

test('an exchange restored from snapshots taken after the listing has the market, routes its index, and keeps trading like the live one', () => {
  const live = exchange();
  listedAndTraded(live);
  const snap = live.x.encodeShards();
  // Format 2 (market) and 3 (risk) where a shard holds a listing; the shard that never took one writes 1.
  assert.deepEqual([...snap.marketShards, ...snap.riskShards].map((b) => readHeader(b).version), [1, 2, 3, 3]);
  const restored = exchange({ ...snap, inFlight: live.x.inFlight(), pumpAt: live.x.pumpAt() });
  assert.deepEqual(hashes(restored.x), hashes(live.x));
  assert.equal(restored.x.topology.marketShardOf(SOL), 1);
  for (const h of [live, restored]) {
    h.events.length = 0;
    h.send(indexTick(150_500, T0 + 2 * S, SOL), T0 + 2 * S);
    h.send(place({ orderId: 3, accountId: 2, side: Side.BUY, priceTicks: 150_100, qtyLots: 10, marketId: SOL }), T0 + 2 * S);
  }
  assert.ok(restored.events.some((e) => e.type === 'TradeExecuted'), 'the resting remainder trades after the restore');
  assert.deepEqual(restored.events, live.events);
  assert.deepEqual(hashes(restored.x), hashes(live.x));
});

test('surveillance follows a listed market like a configured one: its own state, no failure', () => {
  const h = exchange(undefined, { onAlert: () => {} });
  listedAndTraded(h);
  assert.equal(h.x.failure, undefined);
  assert.ok(h.x.surveillance!.market(SOL) !== undefined, 'per-market surveillance state for the new id');
});
