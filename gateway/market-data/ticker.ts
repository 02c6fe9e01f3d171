// Rolling 24 h trade statistics of one market. The window is whole minutes of the events' time: the
// minute of the latest event and the 1,439 before it (so it moves when time does, with no clock). One
// bucket per minute that had trades; stats() evicts buckets that left the window and folds the rest
// (at most 1,440). The fold of every bucket but the newest is kept until the window's buckets change (a
// new minute with trades, or a minute leaving the window), so a ticker asked after each poll costs O(1)
// and the O(minutes with trades) fold is paid at most once per minute of event time; only the newest
// bucket, which trades still change, is folded in each time.
//
// The buckets survive a restart: md's hub writes the newest one to the gateway's store whenever trades
// changed it (ticker-store.ts) and load() puts them back before the gateway serves.

const MINUTE_US = 60_000_000;
export const WINDOW_MINUTES = 1_440;

export interface Bucket {
  minute: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: bigint;
  quote: bigint;
  count: number;
  /** Time of its last trade, µs. */
  lastUs: number;
}

export interface TickerStats {
  windowStartUs: number;
  openTicks: number;
  highTicks: number;
  lowTicks: number;
  lastTicks: number;
  volumeLots: bigint;
  quoteVolume: bigint;
  tradeCount: number;
}

/** The fold of a run of buckets (as a ticker states it, without the window start and last price). */
interface Fold {
  open: number;
  high: number;
  low: number;
  volume: bigint;
  quote: bigint;
  count: number;
}

export class RollingTicker {
  private readonly buckets: Bucket[] = [];
  private head = 0;
  /** The fold of buckets[head, length - 1): undefined once a bucket came or went. */
  private older: Fold | undefined;
  /** Latest event time seen, µs. */
  nowUs = 0;
  lastTicks = 0;

  trade(timeUs: number, priceTicks: number, qtyLots: number): void {
    this.advance(timeUs);
    const minute = Math.floor(this.nowUs / MINUTE_US);
    const last = this.buckets.length > this.head ? this.buckets[this.buckets.length - 1]! : undefined;
    const qty = BigInt(qtyLots);
    if (last && last.minute === minute) {
      if (priceTicks > last.high) last.high = priceTicks;
      if (priceTicks < last.low) last.low = priceTicks;
      last.close = priceTicks;
      last.volume += qty;
      last.quote += qty * BigInt(priceTicks);
      last.count++;
      last.lastUs = timeUs;
    } else {
      this.buckets.push({ minute, open: priceTicks, high: priceTicks, low: priceTicks, close: priceTicks, volume: qty, quote: qty * BigInt(priceTicks), count: 1, lastUs: timeUs });
      this.older = undefined;
    }
    this.lastTicks = priceTicks;
  }

  /** The bucket trades are changing now (the newest), if any. */
  newest(): Readonly<Bucket> | undefined {
    return this.buckets.length > this.head ? this.buckets[this.buckets.length - 1] : undefined;
  }

  /**
   * Starts from stored buckets, oldest first (a restarted gateway, before any record): the window ends at
   * the newest one's last trade until an event moves it on.
   */
  load(buckets: readonly Bucket[]): void {
    this.buckets.splice(0, this.buckets.length, ...buckets);
    this.head = 0;
    this.older = undefined;
    const newest = buckets[buckets.length - 1];
    if (newest === undefined) return;
    this.advance(newest.lastUs);
    this.lastTicks = newest.close;
  }

  /** Moves the window's end (never backwards: events of several shards may interleave out of order). */
  advance(timeUs: number): void {
    if (timeUs > this.nowUs) this.nowUs = timeUs;
  }

  stats(): TickerStats {
    const firstMinute = Math.floor(this.nowUs / MINUTE_US) - WINDOW_MINUTES + 1;
    const head = this.head;
    while (this.head < this.buckets.length && this.buckets[this.head]!.minute < firstMinute) this.head++;
    if (this.head !== head) this.older = undefined;
    if (this.head > 1024 && this.head * 2 > this.buckets.length) {
      this.buckets.splice(0, this.head);
      this.head = 0;
    }
    const s: TickerStats = { windowStartUs: Math.max(0, firstMinute * MINUTE_US), openTicks: 0, highTicks: 0, lowTicks: 0, lastTicks: this.lastTicks, volumeLots: 0n, quoteVolume: 0n, tradeCount: 0 };
    const end = this.buckets.length;
    if (end === this.head) return s;
    this.older ??= fold(this.buckets, this.head, end - 1);
    const f = foldInto({ ...this.older }, this.buckets[end - 1]!);
    s.openTicks = f.open;
    s.highTicks = f.high;
    s.lowTicks = f.low;
    s.volumeLots = f.volume;
    s.quoteVolume = f.quote;
    s.tradeCount = f.count;
    return s;
  }
}

/** The fold of buckets[from, to), oldest first (empty: count 0). */
function fold(buckets: readonly Bucket[], from: number, to: number): Fold {
  const f: Fold = { open: 0, high: 0, low: 0, volume: 0n, quote: 0n, count: 0 };
  for (let i = from; i < to; i++) foldInto(f, buckets[i]!);
  return f;
}

/** Folds one bucket, newer than everything in f, into f; returns f. */
function foldInto(f: Fold, b: Bucket): Fold {
  if (f.count === 0) {
    f.open = b.open;
    f.high = b.high;
    f.low = b.low;
  } else {
    if (b.high > f.high) f.high = b.high;
    if (b.low < f.low) f.low = b.low;
  }
  f.volume += b.volume;
  f.quote += b.quote;
  f.count += b.count;
  return f;
}
