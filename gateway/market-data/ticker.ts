// Rolling 24 h trade statistics of one market. The window is whole minutes of the events' time: the
// minute of the latest event and the 1,439 before it (so it moves when time does, with no clock). One
// bucket per minute that had trades; stats() evicts buckets that left the window and folds the rest
// (at most 1,440), so a ticker costs O(minutes with trades), independent of the trade count.

const MINUTE_US = 60_000_000;
const WINDOW_MINUTES = 1_440;

interface Bucket {
  minute: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: bigint;
  quote: bigint;
  count: number;
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

export class RollingTicker {
  private readonly buckets: Bucket[] = [];
  private head = 0;
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
    } else {
      this.buckets.push({ minute, open: priceTicks, high: priceTicks, low: priceTicks, close: priceTicks, volume: qty, quote: qty * BigInt(priceTicks), count: 1 });
    }
    this.lastTicks = priceTicks;
  }

  /** Moves the window's end (never backwards: events of several shards may interleave out of order). */
  advance(timeUs: number): void {
    if (timeUs > this.nowUs) this.nowUs = timeUs;
  }

  stats(): TickerStats {
    const firstMinute = Math.floor(this.nowUs / MINUTE_US) - WINDOW_MINUTES + 1;
    while (this.head < this.buckets.length && this.buckets[this.head]!.minute < firstMinute) this.head++;
    if (this.head > 1024 && this.head * 2 > this.buckets.length) {
      this.buckets.splice(0, this.head);
      this.head = 0;
    }
    const s: TickerStats = { windowStartUs: Math.max(0, firstMinute * MINUTE_US), openTicks: 0, highTicks: 0, lowTicks: 0, lastTicks: this.lastTicks, volumeLots: 0n, quoteVolume: 0n, tradeCount: 0 };
    for (let i = this.head; i < this.buckets.length; i++) {
      const b = this.buckets[i]!;
      if (s.tradeCount === 0) {
        s.openTicks = b.open;
        s.highTicks = b.high;
        s.lowTicks = b.low;
      } else {
        if (b.high > s.highTicks) s.highTicks = b.high;
        if (b.low < s.lowTicks) s.lowTicks = b.low;
      }
      s.volumeLots += b.volume;
      s.quoteVolume += b.quote;
      s.tradeCount += b.count;
    }
    return s;
  }
}
