// What the hub keeps for one market: the L2 book and the diff being gathered, the rolling ticker, the
// last mark, index and funding (retained: a new subscriber starts with them), and the subscribers of each
// channel. It turns decoded record fields into messages; the hub decides where they go.

import { bookChecksum, CHECKSUM_LEVELS } from './checksum.js';
import { L2Book, type LevelTuple } from './l2-book.js';
import type { BookDiff, Channel, Funding, Index, Mark, MarketDataMessage, Sink, Ticker, Trade } from './messages.js';
import { RollingTicker, type Bucket } from './ticker.js';
import { Side } from '../../engine/enums.js';

const MINUTE_US = 60_000_000;

export class MarketState {
  readonly book = new L2Book();
  /** seq of the last diff published (0: none). */
  seq = 0;
  bookTimeUs = 0;
  private readonly pendingBids = new Map<number, LevelTuple>();
  private readonly pendingAsks = new Map<number, LevelTuple>();
  private pendingTimeUs = 0;
  /** The checksum of the book as of the last diff, and whether a change since reached the top levels. */
  private checksum = 0;
  private topChanged = false;
  private readonly ticker = new RollingTicker();
  private tickerDirty = false;
  /** A trade changed the ticker's newest bucket since the last ticker was taken. */
  private bucketChanged = false;
  /** Gets the newest bucket when trades changed it, as the ticker is taken (md's ticker store). */
  onBucket: ((b: Readonly<Bucket>) => void) | undefined;
  private tickerMinute = -1;
  private markTicks = 0;
  private indexTicks = 0;
  private fundingRate = 0n;
  private readonly retained = new Map<Channel, MarketDataMessage>();
  private readonly subscribers = new Map<Channel, Set<Sink>>();

  constructor(readonly symbol: string) {}

  sinks(channel: Channel): Set<Sink> {
    let s = this.subscribers.get(channel);
    if (!s) this.subscribers.set(channel, (s = new Set()));
    return s;
  }

  latest(channel: Channel): MarketDataMessage | undefined {
    return this.retained.get(channel);
  }

  level(side: number, priceTicks: number, qtyLots: number, orderCount: number, timeUs: number): void {
    const at = this.book.set(side, priceTicks, qtyLots, orderCount);
    if (at >= 0 && at < CHECKSUM_LEVELS) this.topChanged = true;
    (side === Side.BUY ? this.pendingBids : this.pendingAsks).set(priceTicks, [priceTicks, qtyLots, orderCount]);
    this.pendingTimeUs = timeUs;
  }

  /**
   * Loads the whole book (a restarted gateway: the market shard's copy) in place of what it held. No
   * diff carries it: `seq` moves by one, so a subscriber that synced on the book before sees a gap at
   * the next diff and resyncs from a snapshot, which holds it.
   */
  loadBook(bids: readonly LevelTuple[], asks: readonly LevelTuple[], timeUs: number): void {
    this.book.load(bids, asks);
    this.pendingBids.clear();
    this.pendingAsks.clear();
    this.topChanged = true;
    this.bookTimeUs = timeUs;
    this.seq++;
  }

  hasPending(): boolean {
    return this.pendingBids.size + this.pendingAsks.size > 0;
  }

  /** The diff of every level changed since the last one, or undefined when none changed. */
  takeDiff(): BookDiff | undefined {
    if (!this.hasPending()) return undefined;
    const bids = sorted(this.pendingBids, true);
    const asks = sorted(this.pendingAsks, false);
    this.pendingBids.clear();
    this.pendingAsks.clear();
    const prevSeq = this.seq++;
    this.bookTimeUs = this.pendingTimeUs;
    return { channel: 'book', type: 'diff', market: this.symbol, seq: this.seq, prevSeq, timeUs: this.bookTimeUs, bids, asks, checksum: this.currentChecksum() };
  }

  /** The checksum of the book now, recomputed only when a change reached the levels it covers. */
  currentChecksum(): number {
    if (this.topChanged) {
      this.checksum = bookChecksum(this.book);
      this.topChanged = false;
    }
    return this.checksum;
  }

  trade(tradeId: number, priceTicks: number, qtyLots: number, takerSide: number, timeUs: number): Trade {
    this.ticker.trade(timeUs, priceTicks, qtyLots);
    this.tickerDirty = true;
    this.bucketChanged = true;
    return { channel: 'trades', market: this.symbol, tradeId, priceTicks, qtyLots, takerSide, timeUs };
  }

  /** Starts the ticker from stored buckets (a restarted gateway, before any record); the next flush publishes it. */
  loadTicker(buckets: readonly Bucket[]): void {
    this.ticker.load(buckets);
    this.tickerDirty = true;
  }

  mark(markTicks: number, indexTicks: number, fundingRate: bigint, nextFundingTimeUs: number, stale: boolean, timeUs: number): MarketDataMessage[] {
    this.markTicks = markTicks;
    this.indexTicks = indexTicks;
    this.fundingRate = fundingRate;
    this.ticker.advance(timeUs);
    // Time moving into a new minute moves the ticker's window even without trades.
    if (Math.floor(timeUs / MINUTE_US) !== this.tickerMinute) this.tickerDirty = true;
    const mark: Mark = { channel: 'mark', market: this.symbol, timeUs, markTicks, indexTicks, stale };
    const index: Index = { channel: 'index', market: this.symbol, timeUs, indexTicks, stale };
    const funding: Funding = { channel: 'funding', market: this.symbol, timeUs, type: 'current', rate: fundingRate, nextFundingTimeUs };
    return [this.retain(mark), this.retain(index), this.retain(funding)];
  }

  fundingApplied(rate: bigint, premiumRate: bigint, markTicks: number, intervalUs: number, fundingTimeUs: number, timeUs: number): Funding {
    this.fundingRate = rate;
    const msg: Funding = { channel: 'funding', market: this.symbol, timeUs, type: 'applied', rate, nextFundingTimeUs: fundingTimeUs + intervalUs, premiumRate, markTicks, intervalUs };
    return this.retain(msg);
  }

  /** The ticker, when a trade or a new minute moved it since the last one. */
  takeTicker(): Ticker | undefined {
    if (!this.tickerDirty) return undefined;
    this.tickerDirty = false;
    const t = this.ticker;
    if (this.bucketChanged) {
      this.bucketChanged = false;
      this.onBucket?.(t.newest()!);
    }
    this.tickerMinute = Math.floor(t.nowUs / MINUTE_US);
    const s = t.stats();
    const msg: Ticker = {
      channel: 'ticker',
      market: this.symbol,
      timeUs: t.nowUs,
      ...s,
      bestBidTicks: this.book.bestBid(),
      bestAskTicks: this.book.bestAsk(),
      markTicks: this.markTicks,
      indexTicks: this.indexTicks,
      fundingRate: this.fundingRate,
    };
    return this.retain(msg);
  }

  private retain<M extends MarketDataMessage>(msg: M): M {
    this.retained.set(msg.channel, msg);
    return msg;
  }
}

function sorted(levels: Map<number, LevelTuple>, descending: boolean): LevelTuple[] {
  const out = [...levels.values()];
  out.sort(descending ? (a, b) => b[0] - a[0] : (a, b) => a[0] - b[0]);
  return out;
}
