// MarketDataHub: public market data of every market, built from the exchange's released gateway-bound
// records (docs/MARKET-DATA.md). The gateway's dispatch loop hands it every record (`onRecord`, the
// ThreadedExchange Listener signature); `flush()` after each poll publishes what it gathered (the first
// record of a poll queues it as a microtask, or the caller calls it). The hub keeps per market the L2
// book, the 24 h ticker, the last mark, index and funding, and fans messages out to subscribers.
//
//   BookLevelChanged ─▶ book + pending diff ── flush() ─▶ BookDiff (seq, prevSeq, checksum)
//   TradeExecuted ─▶ Trade, ticker window          MarkPriceUpdated ─▶ Mark, Index, Funding (current)
//   FundingRateApplied ─▶ Funding (applied)        LiquidationProgressed / AdlExecuted ─▶ Liquidation / Adl
//   InsuranceFundChanged ─▶ InsuranceFund (exchange-wide)               flush() ─▶ Ticker (if it moved)
//
// A diff holds every level that changed since the last flush, each once (the last value wins), so the
// book a client rebuilds equals the hub's at every diff boundary. Runs on the main thread, never on a
// shard's: it reads records the exchange already released and copies what it keeps.

import { Code } from '../../engine/codes.js';
import { AdlExecutedLayout as ADL } from '../../engine/ring/layouts/adl-executed.js';
import { BookLevelChangedLayout as LVL } from '../../engine/ring/layouts/book-level-changed.js';
import { FundingRateAppliedLayout as FRA } from '../../engine/ring/layouts/funding-rate-applied.js';
import { InsuranceFundChangedLayout as IFC } from '../../engine/ring/layouts/insurance-fund-changed.js';
import { LiquidationProgressedLayout as LIQ } from '../../engine/ring/layouts/liquidation-progressed.js';
import { MarkPriceUpdatedLayout as MPU } from '../../engine/ring/layouts/mark-price-updated.js';
import { TradeExecutedLayout as TRD } from '../../engine/ring/layouts/trade-executed.js';
import type { RecordBuffer } from '../../engine/ring/record.js';
import { RecordType } from '../../engine/ring/types.js';
import type { ShardStates } from '../../exchange/shard-states.js';
import type { Store } from '../../persistence/store.js';
import type { StoreBatcher } from '../orders/store-batcher.js';
import { MarketState } from './market-state.js';
import { TickerStore } from './ticker-store.js';
import type { Bucket } from './ticker.js';
import { CHANNELS, EXCHANGE_WIDE, type BookSnapshot, type Channel, type InsuranceFund, type MarketDataMessage, type Sink } from './messages.js';
import { levelsOf } from '../../engine/book/book-columns.js';

export interface HubMarket {
  readonly marketId: number;
  readonly symbol: string;
}

export type SubscribeResult = { readonly ok: true; readonly unsubscribe: () => void } | { readonly ok: false; readonly code: number; readonly message: string };

export interface HubStats {
  records: number;
  messages: number;
  /** Sinks that threw: each is dropped from its channel. */
  sinkErrors: number;
}

const CHANNEL_SET: ReadonlySet<string> = new Set(CHANNELS);

export class MarketDataHub {
  readonly stats: HubStats = { records: 0, messages: 0, sinkErrors: 0 };
  /**
   * False from construction until restore() when the gateway will restore this hub from the shards
   * (a restart): its books are not the exchange's yet, so the MQTT bus publishes no snapshot of them
   * (a retained empty book could outlive the loaded one on the broker).
   */
  loaded: boolean;
  private readonly byId = new Map<number, MarketState>();
  private readonly bySymbol = new Map<string, MarketState>();
  private readonly insuranceSinks = new Set<Sink>();
  private readonly partitions = new Map<number, bigint>();
  private lastInsurance: InsuranceFund | undefined;
  /** Every message published, whatever the channel (the MQTT bus listens here). */
  private readonly taps: Sink[] = [];
  /** Where a market's ticker minutes are stored, once loadTickers() opened the store (a market added later keeps its minutes there too). */
  private tickerWrite: ((marketId: number, bucket: Readonly<Bucket>) => void) | undefined;

  private flushQueued = false;
  private readonly flushSoon = (): void => {
    this.flushQueued = false;
    this.flush();
  };

  /**
   * autoFlush (default on): the first record of a poll queues a flush() as a microtask, so the diffs of a
   * poll go out when the poll returns, with no hook in the dispatch loop. Off: the caller flushes.
   */
  constructor(
    markets: readonly HubMarket[],
    private readonly autoFlush = true,
    awaitRestore = false,
  ) {
    this.loaded = !awaitRestore;
    for (const m of [...markets].sort((a, b) => a.marketId - b.marketId)) this.addMarket(m);
  }

  /**
   * A market listed at run time (or one of the constructor's): an empty book, no ticker yet, and its
   * channels open to subscribers from now on. A market the hub has is passed by.
   */
  addMarket(m: HubMarket): void {
    if (this.byId.has(m.marketId) || this.bySymbol.has(m.symbol)) return;
    const s = new MarketState(m.symbol);
    this.byId.set(m.marketId, s);
    this.bySymbol.set(m.symbol, s);
    const write = this.tickerWrite;
    if (write) s.onBucket = (bucket) => write(m.marketId, bucket);
  }

  markets(): string[] {
    return [...this.bySymbol.keys()];
  }

  /** ThreadedExchange Listener / InProcessExchange GatewayListener. Records of other types are ignored. */
  readonly onRecord = (buf: RecordBuffer, at: number, from: { kind: string; shard: number }): void => {
    const type = buf.type(at);
    if (type === RecordType.InsuranceFundChanged) return this.insurance(buf, at, from.shard);
    const m = this.byId.get(buf.marketId(at));
    if (!m) return;
    this.stats.records++;
    if (this.autoFlush && !this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flushSoon);
    }
    const timeUs = buf.timeUs(at);
    switch (type) {
      case RecordType.BookLevelChanged:
        return m.level(buf.u8At(at, LVL.offsets.side), buf.u53At(at, LVL.offsets.priceTicks), buf.u53At(at, LVL.offsets.levelQtyLots), buf.u32At(at, LVL.offsets.orderCount), timeUs);
      case RecordType.TradeExecuted:
        return this.emit(m, m.trade(buf.u53At(at, TRD.offsets.tradeId), buf.u53At(at, TRD.offsets.priceTicks), buf.u53At(at, TRD.offsets.qtyLots), buf.u8At(at, TRD.offsets.takerSide), timeUs));
      case RecordType.MarkPriceUpdated: {
        const out = m.mark(buf.u53At(at, MPU.offsets.markPriceTicks), buf.u53At(at, MPU.offsets.indexPriceTicks), buf.i64At(at, MPU.offsets.fundingRate), buf.u53At(at, MPU.offsets.nextFundingTimeUs), buf.u8At(at, MPU.offsets.stale) !== 0, timeUs);
        for (const msg of out) this.emit(m, msg);
        return;
      }
      case RecordType.FundingRateApplied:
        return this.emit(m, m.fundingApplied(buf.i64At(at, FRA.offsets.fundingRate), buf.i64At(at, FRA.offsets.premiumRate), buf.u53At(at, FRA.offsets.markPriceTicks), buf.u53At(at, FRA.offsets.intervalUs), buf.u53At(at, FRA.offsets.fundingTimeUs), timeUs));
      case RecordType.LiquidationProgressed:
        return this.emit(m, { channel: 'liquidations', market: m.symbol, timeUs, liquidationId: buf.u53At(at, LIQ.offsets.liquidationId), step: buf.u8At(at, LIQ.offsets.step), scope: buf.u8At(at, LIQ.offsets.scope), qtyLots: buf.i64At(at, LIQ.offsets.qtyLots), priceTicks: buf.u53At(at, LIQ.offsets.priceTicks), insuranceAtoms: buf.i64At(at, LIQ.offsets.insuranceAtoms) });
      case RecordType.AdlExecuted:
        return this.emit(m, { channel: 'adl', market: m.symbol, timeUs, liquidationId: buf.u53At(at, ADL.offsets.liquidationId), qtyLots: buf.u53At(at, ADL.offsets.qtyLots), priceTicks: buf.u53At(at, ADL.offsets.priceTicks), side: buf.u8At(at, ADL.offsets.side) });
    }
  };

  /**
   * Loads every market's book from the market shards' copies (a restarted gateway: the dispatcher calls
   * it before it hands this hub the records after them, gateway/views/restart-state.ts).
   */
  restore(states: ShardStates): void {
    this.loaded = true;
    for (const shard of states.market) {
      for (const b of shard.markets) {
        const m = this.byId.get(b.marketId);
        if (!m) continue;
        m.loadBook(
          levelsOf(b.bids).map((l) => [l.priceTicks, l.qtyLots, l.orderCount] as const),
          levelsOf(b.asks).map((l) => [l.priceTicks, l.qtyLots, l.orderCount] as const),
          b.timeUs,
        );
        // Announced as a snapshot (the MQTT bus retains it; one published before the load held less).
        this.emit(m, this.snapshotOf(m));
        this.emitTicker(m);
      }
    }
  }

  /**
   * Loads every market's ticker buckets from the gateway's store and keeps them there from now on
   * (ticker-store.ts); the gateway runs it before it serves (Gateway.beforeServing).
   */
  async loadTickers(store: Store, batcher: StoreBatcher): Promise<void> {
    const { tickers, buckets } = await TickerStore.open(store, batcher);
    this.tickerWrite = (id, bucket) => tickers.write(id, bucket);
    for (const [id, m] of this.byId) {
      const b = buckets.get(id);
      if (b !== undefined) m.loadTicker(b);
      m.onBucket = (bucket) => tickers.write(id, bucket);
      // Retained at once, for the first subscribers (after a restart restore() does it, with the books).
      if (this.loaded) this.emitTicker(m);
    }
  }

  private emitTicker(m: MarketState): void {
    const ticker = m.takeTicker();
    if (ticker) this.emit(m, ticker);
  }

  /** Publishes every market's pending book diff and any ticker that moved. Call after each poll. */
  flush(): void {
    for (const m of this.byId.values()) {
      const diff = m.takeDiff();
      if (diff) this.emit(m, diff);
      this.emitTicker(m);
    }
  }

  /**
   * Subscribes a sink to one channel of one market (the insurance channel's market is 'all'). The book
   * channel first gets a full snapshot, then every diff; retained channels (ticker, mark, index, funding,
   * insurance) first get their latest message, if any.
   */
  subscribe(channel: string, market: string, sink: Sink): SubscribeResult {
    if (!CHANNEL_SET.has(channel)) return { ok: false, code: Code.UNKNOWN_CHANNEL, message: `no channel ${JSON.stringify(channel)}; channels: ${CHANNELS.join(', ')}` };
    if (channel === 'insurance') {
      if (market !== EXCHANGE_WIDE) return { ok: false, code: Code.UNKNOWN_MARKET, message: `the insurance channel's market is ${JSON.stringify(EXCHANGE_WIDE)}` };
      this.insuranceSinks.add(sink);
      if (this.lastInsurance) this.deliver(this.insuranceSinks, sink, this.lastInsurance);
      return { ok: true, unsubscribe: () => this.insuranceSinks.delete(sink) };
    }
    const m = this.bySymbol.get(market);
    if (!m) return { ok: false, code: Code.UNKNOWN_MARKET, message: `no market ${JSON.stringify(market)}` };
    const set = m.sinks(channel as Channel);
    set.add(sink);
    const first = channel === 'book' ? this.snapshotOf(m) : m.latest(channel as Channel);
    if (first) this.deliver(set, sink, first);
    return { ok: true, unsubscribe: () => set.delete(sink) };
  }

  /** The book as of the last flushed diff, top `depth` levels a side (all by default); undefined for an unknown market. */
  snapshot(market: string, depth = Infinity): BookSnapshot | undefined {
    const m = this.bySymbol.get(market);
    return m ? this.snapshotOf(m, depth) : undefined;
  }

  /** The last message of a retained channel (ticker, mark, index, funding, insurance). */
  latest(channel: Channel, market: string): MarketDataMessage | undefined {
    if (channel === 'insurance') return this.lastInsurance;
    return this.bySymbol.get(market)?.latest(channel);
  }

  /** Sees every message published, on any channel and market (the MQTT bus). */
  tap(sink: Sink): void {
    this.taps.push(sink);
  }

  private snapshotOf(m: MarketState, depth = Infinity): BookSnapshot {
    // Pending changes are not in any diff yet: the snapshot is the book at the last diff boundary, so a
    // client that loads it and then applies the next diff ends where the hub does.
    if (m.hasPending()) this.emit(m, m.takeDiff()!);
    const b = m.book;
    return { channel: 'book', type: 'snapshot', market: m.symbol, seq: m.seq, timeUs: m.bookTimeUs, bids: b.topBids(depth), asks: b.topAsks(depth), checksum: m.currentChecksum() };
  }

  private insurance(buf: RecordBuffer, at: number, partition: number): void {
    this.stats.records++;
    const balanceAtoms = buf.i64At(at, IFC.offsets.balanceAtoms);
    this.partitions.set(partition, balanceAtoms);
    let totalAtoms = 0n;
    for (const v of this.partitions.values()) totalAtoms += v;
    const msg: InsuranceFund = { channel: 'insurance', market: EXCHANGE_WIDE, timeUs: buf.timeUs(at), partition, deltaAtoms: buf.i64At(at, IFC.offsets.deltaAtoms), balanceAtoms, totalAtoms, reason: buf.u8At(at, IFC.offsets.reason) };
    this.lastInsurance = msg;
    this.publish(this.insuranceSinks, msg);
  }

  private emit(m: MarketState, msg: MarketDataMessage): void {
    this.publish(m.sinks(msg.channel), msg);
  }

  private publish(sinks: Set<Sink>, msg: MarketDataMessage): void {
    this.stats.messages++;
    for (const t of this.taps) t(msg);
    for (const s of sinks) this.deliver(sinks, s, msg);
  }

  private deliver(sinks: Set<Sink>, sink: Sink, msg: MarketDataMessage): void {
    try {
      sink(msg);
    } catch {
      // One broken subscriber must not stop the others or the dispatch loop: it is dropped, counted.
      this.stats.sinkErrors++;
      sinks.delete(sink);
    }
  }
}
