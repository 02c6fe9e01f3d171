// Snapshots restore exchanges that cannot be told apart from the original (docs/SNAPSHOTS.md): a seeded
// command stream runs through the in-process exchange; at random points, and where the liquidation
// pipeline or an ADL ranking is mid-way, every shard is encoded and decoded into a fresh exchange with the
// records then in flight; both get the rest of the stream and must publish the same gateway records and
// reach the same state hashes (snapshot-round-trip.ts checks, after every command and at the end).
// This file: the simulated order flow of `npm start` (engine/sim), and a liquidation parked for want of an
// ADL counterparty in its shard. Every run prints its seed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelReason, OrderType, Side, TimeInForce } from '../../engine/enums.js';
import { DEFAULT_MARKETS } from '../../engine/market/spec.js';
import { RECORD_BYTES, RecordBuffer } from '../../engine/ring/record.js';
import { defaultPricing, type PricingConfig } from '../../engine/shard/market-pricing.js';
import { OrderFlow } from '../../engine/sim/order-flow.js';
import { Topology } from '../../exchange/topology.js';
import { DEFAULT_POOL, riskMarket } from '../../risk/shard/config.js';
import type { LiquidationEngine } from '../../risk/shard/liquidation-engine.js';
import { ExchangeHarness } from '../property/exchange-harness.js';
import { advanceTime, cancelAll, indexTick, place, type Cmd } from '../support/commands.js';
import { deposit, setLeverage, topUpInsuranceFund } from '../support/risk-commands.js';
import { rng, testSeed } from '../support/seed.js';
import { checkRoundTrip, pointsOf, type SnapPoint, type StreamCommand } from './snapshot-round-trip.js';

const USDT = 1_000_000n;

test('exchanges restored in the simulated order flow of npm start publish what the original does', () => {
  const seed = testSeed('snapshot round trip, simulated order flow');
  const markets = DEFAULT_MARKETS.slice(0, 2);
  const pricing = new Map<number, PricingConfig>(markets.map((m) => [m.marketId, defaultPricing(undefined, { fundingIntervalUs: 60_000_000 })]));
  const options = { topology: Topology.spread(markets, 2, 2), riskMarkets: markets.map((m) => riskMarket(m)), pool: { ...DEFAULT_POOL, adlRankingKeysPerRecord: 2 }, pricing };
  const flow = new OrderFlow({
    markets: [
      { market: markets[0]!, startMidTicks: 300_000, rungTicks: 10, maxTakerLots: 40, maxQuoteLots: 60 },
      { market: markets[1]!, startMidTicks: 200_000, rungTicks: 5, maxTakerLots: 40, maxQuoteLots: 60 },
    ],
    seed,
    firstAccountId: 1,
    makers: 4,
    takers: 12,
    quotesPerMaker: 12,
    mix: { quote: 45, cancel: 20, taker: 25 },
    firstOrderId: 1,
  });
  const commands: StreamCommand[] = [];
  let timeUs = 1_700_000_000_000_000;
  let request = 1;
  const at = (c: Cmd): Cmd => ({ ...c, header: { ...c.header, timeUs } });
  for (const a of [...flow.makerIds, ...flow.takerIds]) commands.push(at(deposit(a, 5_000_000_000_000n, request++)));
  commands.push(at(topUpInsuranceFund(1, 1_000_000_000n, request++)), at(topUpInsuranceFund(2, 1_000_000_000n, request++)));
  const buf = RecordBuffer.allocate(1);
  for (const m of markets) {
    flow.indexTick(m.marketId, buf, 0);
    commands.push(stamped(buf, timeUs));
  }
  for (let i = 0; i < 1_500; i++) {
    timeUs += 20_000;
    if (i % 50 === 49) commands.push(advanceTime(timeUs));
    flow.next(buf, 0);
    commands.push(stamped(buf, timeUs));
  }
  const r = rng(seed);
  const stats = checkRoundTrip(options, commands, pointsOf(r, commands.length, 4), `order flow (seed ${seed})`, { max: 2, spacing: 5 });
  console.log(`# ${stats.snapshots} snapshots restored, ${stats.recordsCompared} gateway records compared, largest ${stats.maxBytes} bytes`);
  assert.ok(stats.coverage.restingOrders > 0 && stats.recordsCompared > 1_000, `seed ${seed}`);
});

/** The record in `buf` (as OrderFlow writes it), stamped with timeUs. */
function stamped(buf: RecordBuffer, timeUs: number): Uint8Array {
  buf.setTimeUs(0, timeUs);
  return buf.u8.slice(0, RECORD_BYTES);
}

test('an exchange restored while a liquidation waits for an ADL counterparty in its shard goes on the same way', () => {
  // Two risk shards: trader 3 (shard 1) is long against maker 2 (shard 0) only, so when the book is empty
  // its remainder has no ADL counterparty in its own shard and the run parks; later trader 5 (shard 1)
  // goes short and a retry deleverages against it. Snapshots at every command from the park on, at every
  // depth of each.
  const h = new ExchangeHarness({ markets: [DEFAULT_MARKETS[0]!], marketShards: 1, riskShards: 2, startUs: 1_700_000_000_000_000 });
  const send = (cmd: Cmd): void => {
    h.nowUs += 1_000_000;
    h.send(cmd);
  };
  send(deposit(2, 20_000_000n * USDT, h.requestId()));
  send(deposit(3, 700n * USDT, h.requestId()));
  send(deposit(5, 1_000_000n * USDT, h.requestId()));
  send(setLeverage(3, 50));
  send(indexTick(300_000, h.nowUs));
  send(place({ orderId: h.orderId(), accountId: 2, side: Side.SELL, priceTicks: 300_100, qtyLots: 1_000 }));
  send(place({ orderId: h.orderId(), accountId: 3, side: Side.BUY, priceTicks: 300_100, qtyLots: 1_000, timeInForce: TimeInForce.IOC }));
  send(cancelAll(2, CancelReason.CANCEL_ALL));
  for (const p of [297_000, 294_000, 291_000]) send(indexTick(p, h.nowUs));
  const parkedFrom = h.sent.length - 2;
  assert.equal((h.exchange.riskShards[1]!.liquidation as LiquidationEngine).waiting.size, 1, 'the liquidation did not park');
  send(place({ orderId: h.orderId(), accountId: 2, side: Side.BUY, priceTicks: 290_000, qtyLots: 600 }));
  send(place({ orderId: h.orderId(), accountId: 5, side: Side.SELL, priceTicks: 0, qtyLots: 500, orderType: OrderType.MARKET, timeInForce: TimeInForce.IOC }));
  for (const p of [290_500, 291_000, 290_000, 292_000]) send(indexTick(p, h.nowUs));
  const points: SnapPoint[] = [];
  for (let c = parkedFrom; c < h.sent.length; c++) for (const d of [0, 1, 2, 4]) points.push({ command: c, deliveredBefore: d });
  const stats = checkRoundTrip(h.options, h.sent, points, 'parked liquidation', { max: 4, spacing: 0 });
  assert.ok(stats.coverage.parkedScopes > 0 && stats.coverage.pendingDeleverages > 0, JSON.stringify(stats.coverage));
  assert.ok(h.log.adlFills > 0, 'no ADL fill after the counterparty appeared');
});
