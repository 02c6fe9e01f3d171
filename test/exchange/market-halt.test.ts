// Halting a market (SetMarketStatus, operator only): while halted, accounts' new orders and amendments
// are refused MARKET_HALTED by the market shard and withdrawn by the risk shard as if never sent; cancels
// go on, and the other markets trade. Resuming lets orders in again. The halt is part of the market
// shard's state hash and of its snapshot (a decoded shard stays halted); a shard that never halted hashes
// and encodes as before. Without the operator flag the command is refused NOT_PERMITTED.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Code } from '../../engine/codes.js';
import { Side } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { decodeRecord, type DecodedRecord } from '../../engine/ring/layouts/index.js';
import { MarketStatus, SetMarketStatusLayout } from '../../engine/ring/layouts/set-market-status.js';
import { HeaderFlag } from '../../engine/ring/record.js';
import { MarketShard } from '../../engine/shard/market-shard.js';
import { MemoryOutput } from '../../engine/shard/event-output.js';
import { openMarketSnapshot } from '../../engine/shard/market-snapshot.js';
import { InProcessExchange } from '../../exchange/in-process-exchange.js';
import { Topology } from '../../exchange/topology.js';
import { riskMarket } from '../../risk/shard/config.js';
import { amend, cancel, indexTick, place, type Cmd } from '../support/commands.js';
import { deposit } from '../support/risk-commands.js';

const T0 = 1_700_000_000_000_000;
const USDT = 1_000_000n;
const BTC = 1;
const ETH = 2;

const status = (marketId: number, s: number, requestId: number, operator = true): Cmd => ({
  layout: SetMarketStatusLayout,
  header: { marketId, flags: operator ? HeaderFlag.OPERATOR : 0, timeUs: T0 },
  body: { requestId, status: s },
});

function exchange() {
  const x = new InProcessExchange({ topology: new Topology({ marketShards: [[DEFAULT_MARKETS[0]!, DEFAULT_MARKETS[1]!]], riskShards: 1 }), riskMarkets: DEFAULT_MARKETS.map((m) => riskMarket(m)) });
  const events: DecodedRecord[] = [];
  x.onGateway((b, at) => events.push(decodeRecord(b, at)));
  const send = (c: Cmd) => {
    x.send(c.layout, { ...c.header, timeUs: T0 }, c.body);
  };
  send(deposit(1, 100_000n * USDT, 1));
  send(deposit(2, 100_000n * USDT, 2));
  send(indexTick(600_000, T0, BTC));
  send(indexTick(30_000, T0, ETH));
  send(place({ orderId: 10, accountId: 1, side: Side.BUY, priceTicks: 599_000, qtyLots: 5 }));
  events.length = 0;
  return { x, events, send };
}

const hashes = (x: InProcessExchange) => [...x.marketShards.map((s) => s.stateHashExcludingStreams()), ...x.riskShards.map((s) => s.stateHashExcludingStreams())];
const brief = (e: DecodedRecord) => [e.type, e.type === 'OrderRejected' ? e.code : e.type === 'CommandApplied' ? e.requestId : e.orderId];

test('a halted market refuses new orders and amendments, lets cancels through, and the other market trades', () => {
  const { x, events, send } = exchange();
  send(status(BTC, MarketStatus.HALTED, 7));
  assert.deepEqual(events.map(brief), [['CommandApplied', 7]]);
  assert.equal(events[0]!.commandType, SetMarketStatusLayout.type);
  assert.deepEqual(x.marketShards[0]!.haltedMarkets(), [BTC]);
  events.length = 0;

  const before = hashes(x);
  send(place({ orderId: 11, accountId: 2, side: Side.SELL, priceTicks: 601_000, qtyLots: 3 }));
  send(amend(1, 10, 599_500, 5));
  assert.deepEqual(events.map(brief), [
    ['OrderRejected', Code.MARKET_HALTED],
    ['OrderRejected', Code.MARKET_HALTED],
  ]);
  // Refused by the market after the risk shard accepted it: withdrawn as if never sent.
  assert.deepEqual(hashes(x), before);
  events.length = 0;

  send(place({ orderId: 12, accountId: 2, side: Side.SELL, priceTicks: 30_100, qtyLots: 3, marketId: ETH }));
  assert.equal(events[0]!.type, 'OrderAccepted');
  events.length = 0;
  send(cancel(1, 10));
  assert.equal(events[0]!.type, 'OrderCancelled');
  events.length = 0;

  send(status(BTC, MarketStatus.OPEN, 8));
  assert.deepEqual(x.marketShards[0]!.haltedMarkets(), []);
  send(place({ orderId: 13, accountId: 2, side: Side.SELL, priceTicks: 601_000, qtyLots: 3 }));
  assert.deepEqual(events.map((e) => e.type), ['CommandApplied', 'OrderAccepted', 'BookLevelChanged']);
});

test('only the operator may halt; a bad status or an unknown market is refused and changes nothing', () => {
  const { x, events, send } = exchange();
  const before = hashes(x);
  send(status(BTC, MarketStatus.HALTED, 1, false));
  send(status(BTC, 2, 2));
  send(status(99, MarketStatus.HALTED, 3));
  assert.deepEqual(events.map(brief), [
    ['OrderRejected', Code.NOT_PERMITTED],
    ['OrderRejected', Code.INVALID_FLAGS],
    ['OrderRejected', Code.UNKNOWN_MARKET],
  ]);
  assert.deepEqual(events.map((e) => e.orderId), [1, 2, 3]);
  assert.deepEqual(hashes(x), before);
});

test('the halt is in the state hash and the snapshot; a shard that never halted encodes without it', () => {
  const { x, send } = exchange();
  const shard = x.marketShards[0]!;
  assert.equal(openMarketSnapshot(shard.encodeState()).config.halted, undefined);
  const open = shard.stateHashExcludingStreams();
  send(status(ETH, MarketStatus.HALTED, 1));
  assert.notEqual(shard.stateHashExcludingStreams(), open);
  const bytes = shard.encodeState();
  assert.deepEqual(openMarketSnapshot(bytes).config.halted, [ETH]);
  const streams = shard.streamPositions();
  const decoded = MarketShard.decode(bytes, new MemoryOutput(1 << 12, streams.gatewayNextSeq), streams.outputNextSeqs.map((seq) => new MemoryOutput(1 << 12, seq)));
  assert.deepEqual(decoded.haltedMarkets(), [ETH]);
  assert.equal(decoded.stateHash(), shard.stateHash());
  send(status(ETH, MarketStatus.OPEN, 2));
  assert.equal(openMarketSnapshot(shard.encodeState()).config.halted, undefined);
});
