// Each record the hub reads becomes the public message of its channel, with integers as the records
// carry them and no account ids; retained channels give a new subscriber their latest message; the
// ticker's 24 h window moves with the events' time; bad subscriptions get stable codes; a sink that
// throws is dropped without disturbing the others.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import { Code } from '../../../engine/codes.js';
import { Side } from '../../../engine/enums.js';
import { encodeRecord } from '../../../engine/ring/layouts/index.js';
import type { Layout } from '../../../engine/ring/layouts/layout.js';
import { AdlExecutedLayout } from '../../../engine/ring/layouts/adl-executed.js';
import { BookLevelChangedLayout } from '../../../engine/ring/layouts/book-level-changed.js';
import { FundingRateAppliedLayout } from '../../../engine/ring/layouts/funding-rate-applied.js';
import { InsuranceFundChangedLayout } from '../../../engine/ring/layouts/insurance-fund-changed.js';
import { LiquidationProgressedLayout } from '../../../engine/ring/layouts/liquidation-progressed.js';
import { MarkPriceUpdatedLayout } from '../../../engine/ring/layouts/mark-price-updated.js';
import { TradeExecutedLayout } from '../../../engine/ring/layouts/trade-executed.js';
import { RecordBuffer } from '../../../engine/ring/record.js';
import { bookChecksum, checksumString } from '../../../gateway/market-data/checksum.js';
import { MarketDataHub } from '../../../gateway/market-data/hub.js';
import { L2Book } from '../../../gateway/market-data/l2-book.js';
import type { MarketDataMessage } from '../../../gateway/market-data/messages.js';
import { TickerStore } from '../../../gateway/market-data/ticker-store.js';
import { StoreBatcher } from '../../../gateway/orders/store-batcher.js';
import { MemoryStore } from '../../../persistence/memory-store.js';
import { below, rng, testSeed } from '../../support/seed.js';

const T0 = 1_700_000_000_000_000;
const MIN = 60_000_000;
const HOUR = 60 * MIN;
const buf = RecordBuffer.allocate(1);
const market = { kind: 'market', shard: 0 };

function feed(hub: MarketDataHub, layout: Layout, header: { timeUs: number; marketId?: number; accountId?: number }, body: Record<string, number | bigint>, from = market): void {
  encodeRecord(buf, 0, layout, { marketId: 1, ...header }, body);
  hub.onRecord(buf, 0, from);
}

function collect(hub: MarketDataHub, channel: string, m = 'BTC-PERP'): MarketDataMessage[] {
  const out: MarketDataMessage[] = [];
  const r = hub.subscribe(channel, m, (x) => out.push(x));
  assert.ok(r.ok);
  return out;
}

const trade = (hub: MarketDataHub, timeUs: number, tradeId: number, priceTicks: number, qtyLots: number) =>
  feed(hub, TradeExecutedLayout, { timeUs, accountId: 7 }, { tradeId, priceTicks, qtyLots, takerSide: Side.SELL, makerAccountId: 8, takerOrderId: 1, makerOrderId: 2 });

test('trades, mark, index and funding carry the records integers and no account', () => {
  const hub = new MarketDataHub([{ marketId: 1, symbol: 'BTC-PERP' }]);
  const trades = collect(hub, 'trades');
  const marks = collect(hub, 'mark');
  const index = collect(hub, 'index');
  const funding = collect(hub, 'funding');
  trade(hub, T0, 41, 600_010, 3);
  feed(hub, MarkPriceUpdatedLayout, { timeUs: T0 + 1 }, { markPriceTicks: 600_005, indexPriceTicks: 600_000, fundingRate: -1234n, nextFundingTimeUs: T0 + 8 * HOUR, stale: 1 });
  feed(hub, FundingRateAppliedLayout, { timeUs: T0 + 2 }, { fundingRate: 5000n, markPriceTicks: 600_001, intervalUs: 8 * HOUR, fundingTimeUs: T0, premiumRate: 4000n });
  assert.deepEqual(trades, [{ channel: 'trades', market: 'BTC-PERP', tradeId: 41, priceTicks: 600_010, qtyLots: 3, takerSide: Side.SELL, timeUs: T0 }]);
  assert.deepEqual(marks, [{ channel: 'mark', market: 'BTC-PERP', timeUs: T0 + 1, markTicks: 600_005, indexTicks: 600_000, stale: true }]);
  assert.deepEqual(index, [{ channel: 'index', market: 'BTC-PERP', timeUs: T0 + 1, indexTicks: 600_000, stale: true }]);
  assert.deepEqual(funding, [
    { channel: 'funding', market: 'BTC-PERP', timeUs: T0 + 1, type: 'current', rate: -1234n, nextFundingTimeUs: T0 + 8 * HOUR },
    { channel: 'funding', market: 'BTC-PERP', timeUs: T0 + 2, type: 'applied', rate: 5000n, nextFundingTimeUs: T0 + 8 * HOUR, premiumRate: 4000n, markTicks: 600_001, intervalUs: 8 * HOUR },
  ]);
  // Retained: a late subscriber starts with the latest of each.
  assert.deepEqual(collect(hub, 'mark'), [marks[0]]);
  assert.deepEqual(collect(hub, 'funding'), [funding[1]]);
  assert.deepEqual(collect(hub, 'trades'), [], 'trades are not retained');
});

test('liquidations, ADL and the insurance fund (summed over risk shards partitions)', () => {
  const hub = new MarketDataHub([{ marketId: 1, symbol: 'BTC-PERP' }]);
  const liq = collect(hub, 'liquidations');
  const adl = collect(hub, 'adl');
  const fund = collect(hub, 'insurance', 'all');
  feed(hub, LiquidationProgressedLayout, { timeUs: T0, accountId: 9 }, { liquidationId: 3, qtyLots: -12n, priceTicks: 590_000, equityAtoms: 5n, maintenanceAtoms: 6n, insuranceAtoms: -700n, step: 7, scope: 1 }, { kind: 'risk', shard: 0 });
  feed(hub, AdlExecutedLayout, { timeUs: T0 + 1, accountId: 10 }, { liquidationId: 3, qtyLots: 4, priceTicks: 589_000, liquidatedAccountId: 9, side: Side.SELL }, { kind: 'risk', shard: 0 });
  feed(hub, InsuranceFundChangedLayout, { timeUs: T0 + 2, marketId: 0 }, { deltaAtoms: 100n, balanceAtoms: 1_000n, reason: 4 }, { kind: 'risk', shard: 0 });
  feed(hub, InsuranceFundChangedLayout, { timeUs: T0 + 3, marketId: 1 }, { deltaAtoms: -50n, balanceAtoms: 2_000n, reason: 3 }, { kind: 'risk', shard: 1 });
  assert.deepEqual(liq, [{ channel: 'liquidations', market: 'BTC-PERP', timeUs: T0, liquidationId: 3, step: 7, scope: 1, qtyLots: -12n, priceTicks: 590_000, insuranceAtoms: -700n }]);
  assert.deepEqual(adl, [{ channel: 'adl', market: 'BTC-PERP', timeUs: T0 + 1, liquidationId: 3, qtyLots: 4, priceTicks: 589_000, side: Side.SELL }]);
  assert.deepEqual(fund.map((f) => f.channel === 'insurance' && [f.partition, f.deltaAtoms, f.balanceAtoms, f.totalAtoms, f.reason]), [[0, 100n, 1_000n, 1_000n, 4], [1, -50n, 2_000n, 3_000n, 3]]);
  assert.deepEqual(collect(hub, 'insurance', 'all'), [fund[1]], 'retained');
});

test('the ticker is a rolling 24 h window of the events time, published on flush when it moved', () => {
  const hub = new MarketDataHub([{ marketId: 1, symbol: 'BTC-PERP' }]);
  const tickers = collect(hub, 'ticker');
  trade(hub, T0, 1, 100, 2);
  trade(hub, T0 + 1, 2, 130, 1);
  trade(hub, T0 + 2 * HOUR, 3, 90, 5);
  hub.flush();
  hub.flush();
  assert.equal(tickers.length, 1, 'one ticker per flush that saw trades');
  let t = tickers[0]!;
  assert.ok(t.channel === 'ticker');
  assert.deepEqual([t.openTicks, t.highTicks, t.lowTicks, t.lastTicks, t.volumeLots, t.quoteVolume, t.tradeCount], [100, 130, 90, 90, 8n, 200n + 130n + 450n, 3]);
  // 24 h after the first minute: the first two trades leave the window; a mark moves time without trades.
  feed(hub, MarkPriceUpdatedLayout, { timeUs: T0 + 24 * HOUR + MIN }, { markPriceTicks: 95, indexPriceTicks: 96, fundingRate: 0n, nextFundingTimeUs: T0 + 32 * HOUR, stale: 0 });
  hub.flush();
  t = tickers[1]!;
  assert.ok(t.channel === 'ticker');
  assert.deepEqual([t.openTicks, t.highTicks, t.lowTicks, t.lastTicks, t.volumeLots, t.tradeCount, t.markTicks, t.indexTicks], [90, 90, 90, 90, 5n, 1, 95, 96]);
  assert.equal(t.windowStartUs, (Math.floor((T0 + 24 * HOUR + MIN) / MIN) - 1_439) * MIN);
  // An event from another shard stamped earlier does not move the window back.
  trade(hub, T0 + 3 * HOUR, 4, 91, 1);
  hub.flush();
  t = tickers[2]!;
  assert.ok(t.channel === 'ticker');
  assert.deepEqual([t.tradeCount, t.timeUs], [2, T0 + 24 * HOUR + MIN]);
});

test('bad subscriptions get stable codes and change nothing; a sink that throws is dropped, the others still served', () => {
  const hub = new MarketDataHub([{ marketId: 1, symbol: 'BTC-PERP' }]);
  const r1 = hub.subscribe('candles', 'BTC-PERP', () => {});
  assert.ok(!r1.ok && r1.code === Code.UNKNOWN_CHANNEL);
  const r2 = hub.subscribe('trades', 'DOGE-PERP', () => {});
  assert.ok(!r2.ok && r2.code === Code.UNKNOWN_MARKET);
  const r3 = hub.subscribe('insurance', 'BTC-PERP', () => {});
  assert.ok(!r3.ok && r3.code === Code.UNKNOWN_MARKET);
  hub.subscribe('book', 'BTC-PERP', () => {
    throw new Error('broken client');
  });
  const good = collect(hub, 'book');
  feed(hub, BookLevelChangedLayout, { timeUs: T0 }, { side: Side.BUY, priceTicks: 100, levelQtyLots: 5, orderCount: 1 });
  hub.flush();
  feed(hub, BookLevelChangedLayout, { timeUs: T0 + 1 }, { side: Side.BUY, priceTicks: 100, levelQtyLots: 0, orderCount: 0 });
  hub.flush();
  assert.equal(hub.stats.sinkErrors, 1, 'the broken sink threw once (on its snapshot) and was dropped');
  assert.deepEqual(good.map((m) => m.channel === 'book' && [m.type, m.seq, m.bids]), [['snapshot', 0, []], ['diff', 1, [[100, 5, 1]]], ['diff', 2, [[100, 0, 0]]]]);
  // A record of an unknown market is ignored.
  feed(hub, BookLevelChangedLayout, { timeUs: T0 + 2, marketId: 99 }, { side: Side.BUY, priceTicks: 100, levelQtyLots: 5, orderCount: 1 });
  hub.flush();
  assert.equal(good.length, 3);
});

test('a snapshot asked between flushes publishes the pending diff first, so its seq is a diff boundary', () => {
  const hub = new MarketDataHub([{ marketId: 1, symbol: 'BTC-PERP' }]);
  const book = collect(hub, 'book');
  feed(hub, BookLevelChangedLayout, { timeUs: T0 }, { side: Side.SELL, priceTicks: 200, levelQtyLots: 2, orderCount: 1 });
  const snap = hub.snapshot('BTC-PERP')!;
  assert.equal(snap.seq, 1);
  assert.deepEqual(book.map((m) => m.channel === 'book' && [m.type, m.seq]), [['snapshot', 0], ['diff', 1]]);
  hub.flush();
  assert.equal(book.length, 2, 'nothing left to flush');
});

test('the checksum string and value of docs/MARKET-DATA.md\'s example, and only the top 25 levels count', () => {
  const b = new L2Book();
  b.set(Side.BUY, 100, 5, 1);
  b.set(Side.BUY, 99, 3, 2);
  b.set(Side.SELL, 101, 2, 1);
  assert.equal(checksumString(b), '100:5:101:2:99:3');
  assert.equal(bookChecksum(b), 3_714_380_598);
  assert.equal(bookChecksum(new L2Book()), 0, 'an empty book: the empty string');
  for (let i = 0; i < 30; i++) b.set(Side.SELL, 200 + i, 1, 1);
  const before = bookChecksum(b);
  b.set(Side.SELL, 200 + 29, 7, 1);
  assert.equal(bookChecksum(b), before, 'a change below the 25th level leaves it');
  b.set(Side.SELL, 200, 7, 1);
  assert.notEqual(bookChecksum(b), before);
});

test('the checksum is the CRC-32 of the checksum string on random books, large integers and thin sides included', () => {
  const seed = testSeed('book-checksum');
  const r = rng(seed);
  for (let n = 0; n < 300; n++) {
    const b = new L2Book();
    const big = below(r, 4) === 0;
    const levels = below(r, 40);
    for (let i = 0; i < levels; i++) {
      const price = big ? Number.MAX_SAFE_INTEGER - below(r, 1_000_000) : 1 + below(r, 100_000);
      b.set(below(r, 2), price, below(r, 5) === 0 ? 0 : big ? 2 ** 52 + below(r, 1_000) : 1 + below(r, 9_999), 1);
    }
    assert.equal(bookChecksum(b), crc32(checksumString(b)) >>> 0, `seed ${seed}, book ${n}: ${checksumString(b)}`);
  }
});

test('a market added at run time: unknown until added, then its records, channels and ticker minutes like any', async () => {
  const hub = new MarketDataHub([{ marketId: 1, symbol: 'BTC-PERP' }], false);
  const store = new MemoryStore();
  const batcher = new StoreBatcher(store);
  await hub.loadTickers(store, batcher);
  const tapped: MarketDataMessage[] = [];
  hub.tap((m) => tapped.push(m));
  const before = hub.subscribe('trades', 'SOL-PERP', () => {});
  assert.deepEqual(before.ok ? undefined : before.code, Code.UNKNOWN_MARKET);
  feed(hub, TradeExecutedLayout, { timeUs: T0, marketId: 7, accountId: 7 }, { tradeId: 1, priceTicks: 15_000, qtyLots: 2, takerSide: Side.BUY, makerAccountId: 8, takerOrderId: 1, makerOrderId: 2 });
  assert.equal(tapped.length, 0, "a market the hub does not hold is passed by");
  hub.addMarket({ marketId: 7, symbol: 'SOL-PERP' });
  hub.addMarket({ marketId: 8, symbol: 'SOL-PERP' });
  assert.deepEqual(hub.markets(), ['BTC-PERP', 'SOL-PERP'], 'a taken symbol is not added again (the MQTT bus resnapshots these)');
  const trades = collect(hub, 'trades', 'SOL-PERP');
  const book = collect(hub, 'book', 'SOL-PERP');
  feed(hub, BookLevelChangedLayout, { timeUs: T0 + 1, marketId: 7 }, { side: Side.BUY, priceTicks: 14_990, levelQtyLots: 10, orderCount: 1 });
  feed(hub, TradeExecutedLayout, { timeUs: T0 + 2, marketId: 7, accountId: 7 }, { tradeId: 2, priceTicks: 15_000, qtyLots: 3, takerSide: Side.BUY, makerAccountId: 8, takerOrderId: 1, makerOrderId: 2 });
  hub.flush();
  assert.deepEqual(trades.map((t) => (t.channel === 'trades' ? [t.market, t.tradeId, t.qtyLots] : undefined)), [['SOL-PERP', 2, 3]]);
  assert.deepEqual(book.map((b) => (b.channel === 'book' ? [b.type, b.bids] : undefined)), [['snapshot', []], ['diff', [[14_990, 10, 1]]]]);
  assert.ok(tapped.every((m) => m.market === 'SOL-PERP'), 'the bus hears it under its symbol');
  // The minute closes at the next minute's trade: kept in the store like a configured market's.
  feed(hub, TradeExecutedLayout, { timeUs: T0 + MIN, marketId: 7, accountId: 7 }, { tradeId: 3, priceTicks: 15_010, qtyLots: 1, takerSide: Side.BUY, makerAccountId: 8, takerOrderId: 1, makerOrderId: 2 });
  hub.flush();
  await batcher.settled();
  const { buckets } = await TickerStore.open(store, new StoreBatcher(store));
  assert.equal(buckets.get(7)?.[0]?.count, 1);
});
